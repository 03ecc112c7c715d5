"""Shared set-up for the re-assessment invitation tests: a member who opted in, with a
kept result and a plan falling due on a known day, and the e-mails that came of it."""

from datetime import date, datetime

from assessments.emails import REASSESSMENT_INVITATION
from assessments.models import AssessmentResult, ReassessmentInterval, ReassessmentPlan
from members.consents import ConsentKind
from members.services import consent_give
from notifications.models import Delivery
from notifications.services import preference_set
from tests.emails import BRUSSELS, sent
from tests.factories import member

from .factories import keep_result

TAKEN_AT = datetime(2026, 11, 15, 9, 30, tzinfo=BRUSSELS)
DUE_ON = date(2027, 1, 15)  # TAKEN_AT + 61 days
# The due day at 11:00, after the invitations' morning hour.
NOW = "2027-01-15 11:00 +01:00"


def member_with_plan(
    language: str = "fr",
    *,
    code: str = "who-5",
    band: str = "low",
    due_on: date = DUE_ON,
    taken_at: datetime = TAKEN_AT,
) -> tuple[ReassessmentPlan, AssessmentResult]:
    """A member who kept a result (with consent) and asked to be invited every two months."""
    user = member()
    user.profile.preferred_language = language
    user.profile.save(update_fields=["preferred_language"])
    preference_set(user=user, category="reassessment", enabled=True)
    consent_give(user=user, kind=ConsentKind.HEALTH_DATA)
    result = keep_result(user, code, band, when=taken_at)
    plan = ReassessmentPlan.objects.create(
        user=user,
        instrument=code,
        interval_days=ReassessmentInterval.TWO_MONTHS,
        next_due_on=due_on,
    )
    return plan, result


def invitations() -> list[Delivery]:
    return list(Delivery.objects.filter(kind=REASSESSMENT_INVITATION).order_by("pk"))


def invitation_mails(to=None) -> list:
    return sent(REASSESSMENT_INVITATION, to)
