"""Surveys: the satisfaction survey after a session, the managers' campaigns, feedback at any
time and round tables.

Answers outlive the people who gave them (erasure keeps anonymous statistics): the link
to the enrolment or the member is set to NULL, the answer and its session stay.

These models were born in programme and moved here without moving their data: each keeps
its `programme_…` table (`db_table`), and surveys.0001 only took them over in the
migration state.
"""

from .campaigns import (
    Audience,
    CampaignAnswer,
    CampaignQuestion,
    CampaignResponse,
    CampaignStatus,
    QuestionKind,
    SessionFeedback,
    SurveyCampaign,
)
from .feedback import (
    FEEDBACK_MAX_CHARS,
    FeedbackEvent,
    FeedbackItem,
    FeedbackKind,
    FeedbackStatus,
)
from .roundtables import (
    CHANGE_TEXT_MAX,
    DECISION_TEXT_MAX,
    PARTICIPANTS_MAX,
    ROUND_TABLE_SUMMARY_MAX,
    Decision,
    DecisionStatus,
    RoundTable,
)

__all__ = [
    "Audience",
    "CHANGE_TEXT_MAX",
    "CampaignAnswer",
    "CampaignQuestion",
    "CampaignResponse",
    "CampaignStatus",
    "DECISION_TEXT_MAX",
    "Decision",
    "DecisionStatus",
    "FEEDBACK_MAX_CHARS",
    "FeedbackEvent",
    "FeedbackItem",
    "FeedbackKind",
    "FeedbackStatus",
    "PARTICIPANTS_MAX",
    "QuestionKind",
    "ROUND_TABLE_SUMMARY_MAX",
    "RoundTable",
    "SessionFeedback",
    "SurveyCampaign",
]
