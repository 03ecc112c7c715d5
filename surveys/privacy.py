"""What the surveys hold about a member, as part of the programme's privacy hooks.

The scores stay as anonymous statistics; free text may say who wrote it, so it goes on
erasure. Registered in programme.privacy by surveys.apps.
"""

from django.db.models import Prefetch

from programme.models import Enrolment

from .models import CampaignAnswer, CampaignResponse, FeedbackItem, SessionFeedback


def export_enrolment_feedback(enrolment: Enrolment) -> dict | None:
    """The satisfaction survey of one enrolment (joined to the enrolments' query)."""
    feedback = getattr(enrolment, "feedback", None)
    if feedback is None:
        return None
    return {
        "answered_at": feedback.created_at,
        "usefulness": feedback.usefulness,
        "quality": feedback.quality,
        "would_recommend": feedback.recommend,
        "comment": feedback.comment,
    }


def export_survey_answers(user) -> list[dict]:
    """Two queries whatever the number of answers."""
    responses = (
        CampaignResponse.objects.filter(user=user)
        .select_related("campaign")
        .prefetch_related(
            Prefetch(
                "answers",
                queryset=CampaignAnswer.objects.select_related("question").order_by(
                    "question__position", "pk"
                ),
            )
        )
        .order_by("created_at", "pk")
    )
    return [
        {
            "survey": response.campaign.title,
            "answered_at": response.created_at,
            "answers": [
                {
                    "question": answer.question.text,
                    "answer": answer.scale_value
                    if answer.scale_value is not None
                    else answer.text_value,
                }
                for answer in response.answers.all()
            ],
        }
        for response in responses
    ]


def export_feedback_items(user) -> list[dict]:
    """The notes a member signed ("let the team know it is me"); anonymous ones name
    nobody, so nobody can be shown them. One query."""
    return [
        {
            "sent_at": item.created_at,
            "kind": item.kind,
            "message": item.text,
            "about_module": item.module.title if item.module else None,
            "status": item.status,
            "public_reason": item.public_reason,
            "reply_email": item.reply_email,
            "reply": item.reply_text,
            "replied_at": item.replied_at,
        }
        for item in FeedbackItem.objects.filter(author=user)
        .select_related("module")
        .order_by("created_at", "pk")
    ]


def erase_feedback_items(user) -> None:
    """A signed note is the member's own words: it goes with them. Notes merged into one
    of them stay, as originals of their own."""
    FeedbackItem.objects.filter(author=user).delete()


def erase_member(user) -> None:
    """Run by programme's erasure while the enrolments still name the member."""
    SessionFeedback.objects.filter(enrolment__user=user).exclude(comment="").update(comment="")
    CampaignAnswer.objects.filter(response__user=user).exclude(text_value="").update(text_value="")
    CampaignResponse.objects.filter(user=user).update(user=None)
