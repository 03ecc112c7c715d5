"""The listening cell's e-mails, handed to notifications.

Advisors: an alert at once when an urgent case comes in or a colleague hands a case over,
an alert when a case's first contact is late, and a morning digest of their open work. Ambassadors: a notice that a signal they passed on was handled.

E-mails carry references, counts, dates and links, never the person's name, the
topics, notes or free text: mail is a weaker channel than the portal, whose pages log
every read of a case. The builders read fresh data at send time and skip a message
that no longer fits (contact made, case closed or taken by a colleague meanwhile).
"""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.belgium import BRUSSELS
from members.models import User
from members.roles import Role, has_role
from notifications.links import reverse_absolute
from notifications.preferences import SERVICE, STAFF_ALERTS
from notifications.registry import Skip, register_kind
from notifications.services import Planned, deliveries_schedule_now, delivery_schedule

from . import selectors
from .choices import CaseStatus, Source, Urgency
from .models import Case, CaseEvent

CASE_OVERDUE = "referrals.case_overdue"
ADVISOR_DIGEST = "referrals.advisor_digest"
SIGNAL_HANDLED = "referrals.signal_handled"
URGENT_CASE = "referrals.urgent_case"
CASE_HANDED_OVER = "referrals.case_handed_over"


def overdue_intent(case_id: int, advisor_id: int) -> str:
    return f"case:{case_id}:user:{advisor_id}"


def digest_intent(day: date, advisor_id: int) -> str:
    return f"digest:{day.isoformat()}:user:{advisor_id}"


def _alert_settings() -> dict:
    return {"alert_settings_url": reverse_absolute("referrals:alert-settings")}


# --- Advisors: first contact overdue ---------------------------------------------------------


def _case_awaiting_contact(delivery) -> Case | Skip:
    """The delivery's case, while nobody has contacted the person yet."""
    case = (
        Case.objects.filter(pk=delivery.context.get("case_id"))
        .select_related("assigned_to")
        .first()
    )
    if case is None:
        return Skip("the case no longer exists")
    if case.status == CaseStatus.CLOSED:
        return Skip("the case was closed")
    if case.first_contact_at is not None:
        return Skip("the first contact was made")
    return case


def build_case_overdue(delivery) -> dict | Skip:
    case = _case_awaiting_contact(delivery)
    if isinstance(case, Skip):
        return case
    holder = case.assigned_to
    holder_left = holder is not None and not selectors.may_work_cases(holder)
    if holder is not None and holder.pk != delivery.recipient_id and not holder_left:
        return Skip("another advisor holds the case")
    if not selectors.may_work_cases(delivery.recipient):
        return Skip("the recipient no longer works cases")
    return {
        "reference": case.reference,
        "source": case.source_label,
        "urgency": case.urgency_label,
        "urgent": case.urgency == Urgency.HIGH,
        "received_at": case.created_at,
        "due_at": case.first_contact_due,
        "unassigned": holder is None,
        "holder_left": holder_left,
        "action_url": reverse_absolute("referrals:case-detail", case.pk),
        "action_label": gettext("Open case %(reference)s") % {"reference": case.reference},
        **_alert_settings(),
    }


# --- Advisors: an urgent case came in ---------------------------------------------------------


def urgent_intent(case_id: int, advisor_id: int) -> str:
    return f"urgent:case:{case_id}:user:{advisor_id}"


def urgent_case_alert_schedule(*, case: Case) -> None:
    """Alert every advisor on duty that an urgent case came in, handed to the workers as
    soon as the opening commits (a rollback sends nothing). Call inside the service that
    creates the case: its intents cannot exist yet, so one INSERT records them all."""
    now = timezone.now()
    deliveries_schedule_now(
        kind=URGENT_CASE,
        planned=[
            Planned(
                recipient_id=advisor_id,
                intent_key=urgent_intent(case.pk, advisor_id),
                due_at=now,
                context={"case_id": case.pk},
            )
            for advisor_id in selectors.advisors().values_list("pk", flat=True)
        ],
        new_intents=True,
    )


def build_urgent_case(delivery) -> dict | Skip:
    # The reference, dates and a link only: not why it is urgent (a crisis is a health
    # detail), nor the topics, the person or their message.
    case = _case_awaiting_contact(delivery)
    if isinstance(case, Skip):
        return case
    holder = case.assigned_to
    if holder is not None and holder.pk != delivery.recipient_id:
        return Skip("another advisor holds the case")
    if not selectors.may_work_cases(delivery.recipient):
        return Skip("the recipient no longer works cases")
    return {
        "reference": case.reference,
        "received_at": case.created_at,
        "due_at": case.first_contact_due,
        "unassigned": holder is None,
        "action_url": reverse_absolute("referrals:case-detail", case.pk),
        "action_label": gettext("Open case %(reference)s") % {"reference": case.reference},
        **_alert_settings(),
    }


# --- Advisors: a colleague handed a case over ------------------------------------------------


def handover_notice_schedule(*, case: Case, event: CaseEvent, recipient: User) -> None:
    """Tell the advisor a colleague gave the case to, once the hand-over commits."""
    delivery_schedule(
        kind=CASE_HANDED_OVER,
        recipient=recipient,
        intent_key=f"case:{case.pk}:handover:{event.pk}",
        context={"case_id": case.pk, "event_id": event.pk},
        send_now=True,
    )


def build_case_handed_over(delivery) -> dict | Skip:
    # Who handed it over and when, with a link; the note itself stays on the case's page.
    event = (
        CaseEvent.objects.filter(pk=delivery.context.get("event_id"))
        .select_related("case__assigned_to", "actor")
        .first()
    )
    if event is None:
        return Skip("the case no longer exists")
    case = event.case
    if case.status == CaseStatus.CLOSED:
        return Skip("the case was closed")
    if case.assigned_to_id != delivery.recipient_id:
        return Skip("the case was handed on to someone else meanwhile")
    if not selectors.may_work_cases(delivery.recipient):
        return Skip("the recipient no longer works cases")
    return {
        "reference": case.reference,
        "colleague": event.actor.display_name if event.actor else "",
        "handed_at": event.created_at,
        "with_note": bool(event.body),
        "due_at": case.first_contact_due if case.first_contact_at is None else None,
        "action_url": reverse_absolute("referrals:case-detail", case.pk),
        "action_label": gettext("Open case %(reference)s") % {"reference": case.reference},
        **_alert_settings(),
    }


# --- Advisors: the morning digest -------------------------------------------------------------


def build_advisor_digest(delivery) -> dict | Skip:
    day = date.fromisoformat(delivery.context["day"])
    now = timezone.now()
    if timezone.localdate(now, BRUSSELS) != day:
        # Stuck past its day (mail server down): tomorrow's digest says it better.
        return Skip("the day of this digest is over")
    if not selectors.may_work_cases(delivery.recipient):
        return Skip("the recipient no longer works cases")
    digest = selectors.advisor_digest(delivery.recipient, now=now)
    if digest.is_empty:
        return Skip("nothing to report today")
    return {
        "day": day,
        "digest": digest,
        "queue_url": reverse_absolute("referrals:queue"),
        "action_url": reverse_absolute("referrals:queue"),
        "action_label": gettext("Open the queue"),
        **_alert_settings(),
    }


# --- Ambassadors: your signal was handled --------------------------------------------------


def signal_handled_schedule(*, case: Case) -> None:
    """Tell the ambassador who raised a signal that it was handled, once the closing
    commits. Call inside the service that closes the case: a rollback sends nothing."""
    if case.source != Source.SIGNAL or case.raised_by_id is None:
        return
    delivery_schedule(
        kind=SIGNAL_HANDLED,
        recipient=case.raised_by_id,
        intent_key=f"case:{case.pk}",
        context={"case_id": case.pk},
        send_now=True,
    )


def build_signal_handled(delivery) -> dict | Skip:
    # Only what the ambassador's own page shows: no outcome, note, topic or partner.
    case = (
        Case.objects.filter(pk=delivery.context.get("case_id"))
        .only("pk", "status", "raised_by_id", "created_at")
        .first()
    )
    if case is None:
        return Skip("the case no longer exists")
    if case.status != CaseStatus.CLOSED:
        return Skip("the case is not closed")
    if case.raised_by_id != delivery.recipient_id:
        return Skip("the recipient did not raise this signal")
    if not has_role(delivery.recipient, Role.AMBASSADOR):
        return Skip("the recipient is no longer an ambassador")
    return {
        "reference": case.reference,
        "raised_at": case.created_at,
        "action_url": reverse_absolute("referrals:my-signals"),
        "action_label": gettext("See the signals you passed on"),
    }


def register_emails() -> None:
    register_kind(
        CASE_HANDED_OVER,
        label=_("Listening cell: a colleague handed a case over to you"),
        category=STAFF_ALERTS,
        template="referrals/email/case_handed_over",
        build_context=build_case_handed_over,
    )
    register_kind(
        CASE_OVERDUE,
        label=_("Listening cell: first contact overdue"),
        category=STAFF_ALERTS,
        template="referrals/email/case_overdue",
        build_context=build_case_overdue,
    )
    register_kind(
        URGENT_CASE,
        label=_("Listening cell: an urgent case came in"),
        category=STAFF_ALERTS,
        template="referrals/email/urgent_case",
        build_context=build_urgent_case,
    )
    register_kind(
        ADVISOR_DIGEST,
        label=_("Listening cell: advisor's daily digest"),
        category=STAFF_ALERTS,
        template="referrals/email/advisor_digest",
        build_context=build_advisor_digest,
    )
    # A service message: it closes the loop on something the ambassador did, as their
    # own signals page does; it is rare and says nothing that page does not.
    register_kind(
        SIGNAL_HANDLED,
        label=_("Ambassadors: your signal was handled"),
        category=SERVICE,
        template="referrals/email/signal_handled",
        build_context=build_signal_handled,
    )
