"""E-mails of the operations on a session's people: "you are moved to this new date"
and a manager's message. Each person is told once per target session, and once per
message (the intent names both), in their own language, through notifications.

A move concerns a commitment the member made: a service message, not to be turned off.
A manager's message has its own category, so a member can stop them with one click.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.preferences import SERVICE
from notifications.registry import Skip, register_category, register_kind
from notifications.services import Planned, deliveries_schedule_now

from .emails import delivery_enrolment, session_context
from .models import ACTIVE_STATUSES, EnrolmentStatus, Session, SessionMessage
from .preferences import SETTINGS_URL_NAME

SESSION_MOVED = "programme.session_moved"
SESSION_MESSAGE = "programme.session_message"
SESSION_MESSAGES = "session_messages"


def move_intent(target_id: int, user_id: int) -> str:
    return f"moved-to:{target_id}:user:{user_id}"


def message_intent(message_id: int, user_id: int) -> str:
    return f"session-message:{message_id}:user:{user_id}"


def move_notices(*, target: Session, moved: list[tuple[int, int]]) -> list[int]:
    """Tell each person moved (user id, new enrolment id) of their new session. Two
    statements whatever their number; an intent recorded before stays as it is."""
    now = timezone.now()
    return deliveries_schedule_now(
        kind=SESSION_MOVED,
        planned=[
            Planned(
                recipient_id=user_id,
                intent_key=move_intent(target.pk, user_id),
                due_at=now,
                context={"enrolment_id": enrolment_id},
            )
            for user_id, enrolment_id in moved
        ],
    )


def message_notices(message: SessionMessage, user_ids: list[int]) -> list[int]:
    now = timezone.now()
    return deliveries_schedule_now(
        kind=SESSION_MESSAGE,
        planned=[
            Planned(
                recipient_id=user_id,
                intent_key=message_intent(message.pk, user_id),
                due_at=now,
                context={"message_id": message.pk},
            )
            for user_id in user_ids
        ],
    )


def build_moved(delivery) -> dict | Skip:
    enrolment = delivery_enrolment(delivery)
    if enrolment is None or enrolment.status not in ACTIVE_STATUSES:
        return Skip("the member no longer holds or awaits a seat in the new session")
    session = enrolment.session
    if session.is_cancelled:
        return Skip("the new session was cancelled")
    if session.starts_at <= timezone.now():
        return Skip("the new session has already started")
    context = session_context(session)
    return {
        **context,
        "waitlisted": enrolment.status == EnrolmentStatus.WAITLISTED,
        "action_url": context["session_url"],
        "action_label": _("See the session"),
    }


def build_message(delivery) -> dict | Skip:
    message = (
        SessionMessage.objects.select_related("session__module")
        .filter(pk=delivery.context.get("message_id"))
        .first()
    )
    if message is None:
        return Skip("the message no longer exists")
    context = session_context(message.session)
    return {
        **context,
        "message": message,
        "action_url": context["session_url"],
        "action_label": _("See the session"),
    }


def register_operations_emails() -> None:
    register_category(
        SESSION_MESSAGES,
        label=_("messages from the organisers of the sessions you enrolled in"),
        default=True,
        settings_url_name=SETTINGS_URL_NAME,
    )
    register_kind(
        SESSION_MOVED,
        label=_("Moved to another session of the module"),
        category=SERVICE,
        template="programme/email/session_moved",
        build_context=build_moved,
    )
    register_kind(
        SESSION_MESSAGE,
        label=_("A message from the organisers of a session"),
        category=SESSION_MESSAGES,
        template="programme/email/session_message",
        build_context=build_message,
    )
