"""Signed survey links: they open a survey without logging in.

The token is what identifies the respondent (an enrolment, or a member and a campaign),
so it is signed with its own salt and expires (PROGRAMME_SURVEY_LINK_DAYS).
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing

# Salts from when the surveys were part of programme: links already sent must still open.
FEEDBACK_SALT = "programme.session-feedback"
CAMPAIGN_SALT = "programme.campaign-response"


class BadSurveyLink(Exception):
    """The link was altered or cut short."""


class ExpiredSurveyLink(Exception):
    """The link is genuine but too old."""


def _max_age() -> timedelta:
    return timedelta(days=settings.PROGRAMME_SURVEY_LINK_DAYS)


def _read(token: str, salt: str) -> dict:
    try:
        data = signing.loads(token, salt=salt, max_age=_max_age())
    except signing.SignatureExpired as error:
        raise ExpiredSurveyLink(str(error)) from error
    except signing.BadSignature as error:
        raise BadSurveyLink(str(error)) from error
    if not isinstance(data, dict):
        raise BadSurveyLink("not a survey token")
    return data


def feedback_token(*, enrolment_id: int) -> str:
    return signing.dumps({"e": enrolment_id}, salt=FEEDBACK_SALT)


def feedback_token_read(token: str) -> int:
    """The enrolment id the link was made for."""
    try:
        return int(_read(token, FEEDBACK_SALT)["e"])
    except (KeyError, TypeError, ValueError) as error:
        raise BadSurveyLink(str(error)) from error


@dataclass(frozen=True)
class CampaignInvitee:
    campaign_id: int
    user_id: int


def campaign_token(*, campaign_id: int, user_id: int) -> str:
    return signing.dumps({"c": campaign_id, "u": user_id}, salt=CAMPAIGN_SALT)


def campaign_token_read(token: str) -> CampaignInvitee:
    data = _read(token, CAMPAIGN_SALT)
    try:
        return CampaignInvitee(campaign_id=int(data["c"]), user_id=int(data["u"]))
    except (KeyError, TypeError, ValueError) as error:
        raise BadSurveyLink(str(error)) from error
