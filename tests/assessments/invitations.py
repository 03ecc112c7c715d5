"""Shared set-up for the re-assessment invitation tests: a member who opted in, with a
kept result and a plan falling due on a known day, and the e-mails that came of it."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.core import mail

from assessments.emails import REASSESSMENT_INVITATION
from assessments.models import AssessmentResult, ReassessmentInterval, ReassessmentPlan
from members.consents import ConsentKind
from members.services import consent_give
from notifications.models import Delivery
from notifications.sending import send_inline, sweep
from tests.factories import member

from .factories import keep_result

BRUSSELS = ZoneInfo("Europe/Brussels")
BASE = "https://bien-etre.example.org"
TAKEN_AT = datetime(2026, 11, 15, 9, 30, tzinfo=BRUSSELS)
DUE_ON = date(2027, 1, 15)  # TAKEN_AT + 61 days
# The due day at 11:00, after the invitations' morning hour.
NOW = "2027-01-15 11:00 +01:00"


def brussels(*args) -> datetime:
    return datetime(*args, tzinfo=BRUSSELS)


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
    user.profile.notify_reassessment = True
    user.profile.save(update_fields=["preferred_language", "notify_reassessment"])
    consent_give(user=user, kind=ConsentKind.HEALTH_DATA)
    result = keep_result(user, code, band, when=taken_at)
    plan = ReassessmentPlan.objects.create(
        user=user,
        instrument=code,
        interval_days=ReassessmentInterval.TWO_MONTHS,
        next_due_on=due_on,
    )
    return plan, result


def send_due():
    """One sweep as `send_due_messages` runs it: planners, then every due message."""
    return sweep(dispatch=send_inline)


def invitations() -> list[Delivery]:
    return list(Delivery.objects.filter(kind=REASSESSMENT_INVITATION).order_by("pk"))


def delivery_id(message) -> int:
    """The delivery an e-mail came from (notifications puts it in the Message-ID)."""
    return int(re.match(r"<delivery\.(\d+)\.", message.extra_headers["Message-ID"]).group(1))


def invitation_mails(to=None) -> list:
    deliveries = Delivery.objects.filter(kind=REASSESSMENT_INVITATION)
    if to is not None:
        deliveries = deliveries.filter(recipient=to)
    ids = set(deliveries.values_list("pk", flat=True))
    return [message for message in mail.outbox if delivery_id(message) in ids]


def html_of(message) -> str:
    [(content, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return content


def one_click(client, message) -> int:
    """What a mail client does with the List-Unsubscribe header (RFC 8058)."""
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert url.startswith(BASE + "/")
    response = client.post(url.removeprefix(BASE), {"List-Unsubscribe": "One-Click"})
    return response.status_code
