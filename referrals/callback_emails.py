"""The call-back reminder: one e-mail to the advisor holding the case when the time
agreed with the person comes (planned by referrals.planners.plan_callback_reminders).

Like the cell's other e-mails it carries the case reference, the time and links, never
the person's name, phone, the note or anything they shared. The intent names the
call-back, its time and the holder: the same time is reminded once however often the
sweep runs (even moved away and back), a new time or a new holder gets its own.
"""

from datetime import UTC, datetime

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from notifications.links import reverse_absolute
from notifications.preferences import SERVICE
from notifications.registry import Skip, register_kind

from . import selectors
from .choices import CaseStatus
from .models import CallBack

CALLBACK_REMINDER = "referrals.callback_reminder"


def callback_time_key(at: datetime) -> str:
    """The time as the intent and the context spell it: in UTC, whatever zone it came in."""
    return at.astimezone(UTC).isoformat()


def callback_intent(callback_id: int, at: datetime, advisor_id: int) -> str:
    return f"callback:{callback_id}:at:{callback_time_key(at)}:user:{advisor_id}"


def build_callback_reminder(delivery) -> dict | Skip:
    callback = (
        CallBack.objects.filter(pk=delivery.context.get("callback_id"))
        .select_related("case")
        .first()
    )
    if callback is None:
        return Skip("the call-back no longer exists")
    if not callback.is_open:
        return Skip("the call-back was done or cancelled")
    if callback_time_key(callback.at) != delivery.context.get("at"):
        return Skip("the call-back was moved to another time")
    case = callback.case
    if case.status == CaseStatus.CLOSED:
        return Skip("the case was closed")
    if case.assigned_to_id != delivery.recipient_id:
        return Skip("another advisor holds the case")
    if not selectors.may_work_cases(delivery.recipient):
        return Skip("the recipient no longer works cases")
    return {
        "reference": case.reference,
        "at": callback.at,
        "today_url": reverse_absolute("referrals:today"),
        "action_url": reverse_absolute("referrals:case-detail", case.pk),
        "action_label": gettext("Open case %(reference)s") % {"reference": case.reference},
    }


def register_callback_emails() -> None:
    # A service message: the advisor asked for it by booking the call-back, and a promise
    # made to a person is not something to lose with the cell's optional alerts.
    register_kind(
        CALLBACK_REMINDER,
        label=_("Listening cell: time for a call-back"),
        category=SERVICE,
        template="referrals/email/callback_reminder",
        build_context=build_callback_reminder,
    )
