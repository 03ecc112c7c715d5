"""The programme's e-mails: what each says (context builders) and when it is recorded.

Enrolment news (confirmation, waitlist, promotion, a change of time or place, cancellation
by the organiser) are service messages: they answer something the member did, or change
a commitment they made, so they cannot be turned off. Reminders belong to a category the
member controls. Planners (planners.py) record the timed ones; the services record the
immediate ones, handed to a worker after their transaction commits. (The surveys'
invitations are surveys.emails.)

Every builder loads fresh data at send time and returns Skip when the message lost its
point (the enrolment was cancelled, the session moved).

This module imports neither the planners nor the services: they import it, for its
kinds and intents, and apps.py registers both.
"""

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from notifications.links import reverse_absolute
from notifications.models import Delivery, DeliveryStatus
from notifications.preferences import SERVICE
from notifications.registry import Skip, register_kind
from notifications.services import (
    Planned,
    deliveries_cancel,
    deliveries_schedule_now,
)

from .models import (
    ACTIVE_STATUSES,
    Enrolment,
    EnrolmentStatus,
    Session,
    SessionMode,
)
from .session_changes import (
    LINK,
    Facts,
    change_lines,
    changed_kinds,
    session_facts,
    subject_case,
)

ENROLMENT_CONFIRMED = "programme.enrolment_confirmed"
WAITLIST_JOINED = "programme.waitlist_joined"
WAITLIST_PROMOTED = "programme.waitlist_promoted"
SESSION_CANCELLED = "programme.session_cancelled"
SESSION_CHANGED = "programme.session_changed"
REMINDER_DAY = "programme.session_reminder_day"
REMINDER_HOUR = "programme.session_reminder_hour"

REMINDER_KINDS = (REMINDER_DAY, REMINDER_HOUR)
HOUR_BEFORE = timedelta(hours=1)


def day_before(starts_at: datetime) -> datetime:
    """When the day-before reminder falls due: the same Belgian clock time the day before.

    On the nights the clocks change that is 23 or 25 hours ahead, not 24, so a session
    at 10:00 is reminded at 10:00 the day before all year round.
    """
    local = timezone.localtime(starts_at, timezone.get_default_timezone())
    # Arithmetic on an aware datetime moves its wall-clock time; the zone then gives
    # the offset of the day before.
    return (local - timedelta(days=1)).astimezone(UTC)


# --- Intents -----------------------------------------------------------------------


def enrolment_intent(enrolment_id: int) -> str:
    return f"enrolment:{enrolment_id}"


def reminder_prefix(session_id: int) -> str:
    return f"session:{session_id}:"


def reminder_intent(session_id: int, starts_at: datetime, enrolment_id: int) -> str:
    """Reminders carry the start time in their intent: a session that moves gets new ones."""
    return f"{reminder_prefix(session_id)}{int(starts_at.timestamp())}:enrolment:{enrolment_id}"


def session_plan(session: Session) -> str:
    """What a member arranged their day around (time, format, place or join link) as one
    comparable string: a change to it is news to them. Times in UTC, as read back from
    the database whatever zone they were given in."""
    return "|".join(session_facts(session).values())


# --- Recorded by the services -------------------------------------------------------


def enrolment_notice(enrolment: Enrolment) -> None:
    """A new enrolment: the confirmation, or the waitlist acknowledgement. Recorded with
    one INSERT (the enrolment is new, so is its intent): the session row is locked."""
    assert enrolment.user_id is not None  # a new enrolment is its member's own
    confirmed = enrolment.status == EnrolmentStatus.CONFIRMED
    deliveries_schedule_now(
        kind=ENROLMENT_CONFIRMED if confirmed else WAITLIST_JOINED,
        planned=[
            Planned(
                recipient_id=enrolment.user_id,
                intent_key=enrolment_intent(enrolment.pk),
                due_at=enrolment.queued_at,
                context={"enrolment_id": enrolment.pk},
            )
        ],
        new_intents=True,
    )


def _now_many(kind: str, enrolments: Iterable[Enrolment]) -> None:
    """The same notice to many enrolments, recorded in bulk and handed to the workers
    once the transaction commits."""
    now = timezone.now()
    deliveries_schedule_now(
        kind=kind,
        planned=[
            Planned(
                recipient_id=enrolment.user_id,
                intent_key=enrolment_intent(enrolment.pk),
                due_at=now,
                context={"enrolment_id": enrolment.pk},
            )
            for enrolment in enrolments
            if enrolment.user_id is not None  # a member who erased their account is not told
        ],
    )


def promotion_notices(enrolments: list[Enrolment]) -> None:
    """Tell each person given a seat from the waitlist."""
    _now_many(WAITLIST_PROMOTED, enrolments)


def cancellation_notices(session: Session, released: list[Enrolment]) -> None:
    """Tell everyone released by the organiser, and drop the reminders still to come."""
    _now_many(SESSION_CANCELLED, released)
    reminders_cancel(session_id=session.pk)


def change_notices(session: Session, *, before: Facts) -> None:
    """Tell everyone holding or awaiting a seat what changed in the session, `before`
    being its facts (session_facts) until this change.

    Each change is its own intent (it carries the moment of the change), so a session
    moved twice tells people twice; a notice still unsent when the next change comes is
    skipped at send time, the newer one saying it all: it starts from what the skipped
    one started from, so people read the change from what they last knew. A new join
    link concerns the confirmed seats only: the link is theirs alone.
    """
    prefix = f"{reminder_prefix(session.pk)}changed:"
    known: dict[int, Facts] = {}
    # Oldest first: the first unsent notice of a member holds what they last knew.
    for context in (
        Delivery.objects.filter(
            kind=SESSION_CHANGED, intent_key__startswith=prefix, status=DeliveryStatus.PENDING
        )
        .order_by("pk")
        .values_list("context", flat=True)
    ):
        if isinstance(context.get("before"), dict):
            known.setdefault(context.get("enrolment_id"), context["before"])
    statuses: tuple[str, ...] = ACTIVE_STATUSES
    if changed_kinds(before, session_facts(session)) == [LINK]:
        statuses = (EnrolmentStatus.CONFIRMED,)
    plan = session_plan(session)
    changed = int(timezone.now().timestamp() * 1000)
    enrolments = (
        Enrolment.objects.of_present_members()
        .filter(session=session, status__in=statuses)
        .values_list("pk", "user_id")
    )
    now = timezone.now()
    deliveries_schedule_now(
        kind=SESSION_CHANGED,
        planned=[
            Planned(
                recipient_id=user_id,
                intent_key=f"{prefix}{changed}:enrolment:{enrolment_id}",
                due_at=now,
                context={
                    "enrolment_id": enrolment_id,
                    "plan": plan,
                    "before": known.get(enrolment_id, before),
                },
            )
            for enrolment_id, user_id in enrolments
        ],
    )


def reminders_cancel(*, session_id: int) -> None:
    """Pending reminders of a cancelled session are dropped."""
    for kind in REMINDER_KINDS:
        deliveries_cancel(kind=kind, intent_prefix=reminder_prefix(session_id))


def enrolment_reminders_cancel(*, session: Session, enrolment_id: int) -> None:
    """Pending reminders of a seat given up are dropped (those planned for an earlier
    start of a moved session are skipped at send time anyway)."""
    keys = [reminder_intent(session.pk, session.starts_at, enrolment_id)]
    for kind in REMINDER_KINDS:
        deliveries_cancel(kind=kind, intent_keys=keys)


# --- What the e-mails say ------------------------------------------------------------


def delivery_enrolment(delivery) -> Enrolment | None:
    """The enrolment a message is about, with its session and module, or None."""
    enrolment_id = delivery.context.get("enrolment_id")
    return (
        Enrolment.objects.select_related("session__module").filter(pk=enrolment_id).first()
        if enrolment_id
        else None
    )


def session_context(session: Session) -> dict:
    return {
        "session": session,
        "module": session.module,
        "is_online": session.mode == SessionMode.ONLINE,
        "session_url": reverse_absolute("programme:session-detail", session.pk),
        "ics_url": reverse_absolute("programme:session-ics", session.pk),
    }


def _why_not_ahead(enrolment: Enrolment | None, now: datetime) -> str | None:
    """Why a message about a confirmed seat to come has lost its point, or None."""
    if enrolment is None:
        return "the enrolment no longer exists"
    if enrolment.status != EnrolmentStatus.CONFIRMED:
        return "the enrolment is no longer confirmed"
    if enrolment.session.is_cancelled:
        return "the session was cancelled"
    if enrolment.session.starts_at <= now:
        return "the session has already started"
    return None


def build_confirmation(delivery) -> dict | Skip:
    enrolment = delivery_enrolment(delivery)
    if reason := _why_not_ahead(enrolment, timezone.now()):
        return Skip(reason)
    assert enrolment is not None  # _why_not_ahead gave a reason otherwise
    context = session_context(enrolment.session)
    return {**context, "action_url": context["session_url"], "action_label": _("See the session")}


def build_waitlist(delivery) -> dict | Skip:
    enrolment = delivery_enrolment(delivery)
    if enrolment is None or enrolment.status != EnrolmentStatus.WAITLISTED:
        return Skip("no longer on the waitlist (promoted or left)")
    if enrolment.session.is_cancelled:
        return Skip("the session was cancelled")
    ahead = (
        Enrolment.objects.filter(session_id=enrolment.session_id, status=EnrolmentStatus.WAITLISTED)
        .filter(queued_at__lte=enrolment.queued_at)
        .exclude(queued_at=enrolment.queued_at, pk__gte=enrolment.pk)
        .count()
    )
    context = session_context(enrolment.session)
    return {
        **context,
        "position": ahead + 1,
        "action_url": context["session_url"],
        "action_label": _("See the session"),
    }


def build_cancellation(delivery) -> dict | Skip:
    enrolment = delivery_enrolment(delivery)
    if enrolment is None or not enrolment.cancelled_by_organiser:
        return Skip("the enrolment was not cancelled by the organiser")
    session = enrolment.session
    module_url = reverse_absolute("programme:module-detail", session.module.slug)
    catalogue_url = reverse_absolute("programme:catalogue")
    other_sessions = session.module.is_published
    return {
        **session_context(session),
        "reason": session.cancellation_reason,
        "action_url": module_url if other_sessions else catalogue_url,
        "action_label": (
            _("See the other sessions of this module")
            if other_sessions
            else _("Browse the catalogue")
        ),
    }


def build_change(delivery) -> dict | Skip:
    enrolment = delivery_enrolment(delivery)
    if enrolment is None or enrolment.status not in ACTIVE_STATUSES:
        return Skip("the member no longer holds or awaits a seat")
    session = enrolment.session
    if session.is_cancelled:
        return Skip("the session was cancelled")
    if session.ends_at <= timezone.now():
        return Skip("the session is over")
    if delivery.context.get("plan") != session_plan(session):
        return Skip("the session changed again; the notice of the latest change says it all")
    before = delivery.context.get("before")
    if not isinstance(before, dict):
        return Skip("the notice does not say what the session was before")
    after = session_facts(session)
    waitlisted = enrolment.status == EnrolmentStatus.WAITLISTED
    # The join link is for confirmed seats only.
    kinds = [k for k in changed_kinds(before, after) if not (waitlisted and k == LINK)]
    if not kinds:
        return Skip("the session is back to what the member knew")
    context = session_context(session)
    return {
        **context,
        "waitlisted": waitlisted,
        "changes": change_lines(before, after, kinds),
        "subject_case": subject_case(kinds, after),
        "action_url": context["session_url"],
        "action_label": _("See the session"),
    }


def _reminder(delivery, *, hour_before: bool) -> dict | Skip:
    enrolment = delivery_enrolment(delivery)
    now = timezone.now()
    if reason := _why_not_ahead(enrolment, now):
        return Skip(reason)
    assert enrolment is not None  # _why_not_ahead gave a reason otherwise
    session = enrolment.session
    planned_start = parse_datetime(delivery.context.get("starts_at", ""))
    if planned_start != session.starts_at:
        return Skip("the session moved; a reminder for the new time is planned")
    if not hour_before and session.starts_at - now < HOUR_BEFORE:
        return Skip("too late for the day-before reminder; the hour-before one follows")
    context = session_context(session)
    join_url = session.join_url if hour_before and context["is_online"] else ""
    return {
        **context,
        "join_url": join_url,
        "action_url": join_url or context["session_url"],
        "action_label": _("Join the session") if join_url else _("See the session"),
    }


def build_reminder_day(delivery) -> dict | Skip:
    return _reminder(delivery, hour_before=False)


def build_reminder_hour(delivery) -> dict | Skip:
    return _reminder(delivery, hour_before=True)


# --- Registration --------------------------------------------------------------------

KINDS = (
    (ENROLMENT_CONFIRMED, _("Enrolment confirmation"), SERVICE, build_confirmation),
    (WAITLIST_JOINED, _("Waitlist acknowledgement"), SERVICE, build_waitlist),
    (WAITLIST_PROMOTED, _("A seat freed up: you are enrolled"), SERVICE, build_confirmation),
    (SESSION_CHANGED, _("A session you signed up for changed"), SERVICE, build_change),
    (SESSION_CANCELLED, _("Session cancelled by the organiser"), SERVICE, build_cancellation),
    (REMINDER_DAY, _("Session reminder, the day before"), "session_reminders", build_reminder_day),
    (
        REMINDER_HOUR,
        _("Session reminder, the hour before"),
        "session_reminders",
        build_reminder_hour,
    ),
)


def register_emails() -> None:
    for code, label, category, build in KINDS:
        name = code.split(".", 1)[1]
        register_kind(
            code,
            label=label,
            category=category,
            template=f"programme/email/{name}",
            build_context=build,
        )
