"""Operations on a session's people as a whole: move a cancelled session's people to
another session of its module, and write to a session's people.

A move runs in one transaction with both session rows locked (in id order, so two
moves never wait on each other crosswise), like every change of seats: the target's
seat count and its CHECK constraint keep the capacity exact, and the one-active-enrolment
rule cannot be broken by a member enrolling meanwhile (enrolment_create waits on the
same lock). Moving twice moves nobody twice: each released enrolment carries an
enrolment.moved_out entry once handled.
"""

import uuid
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import User

from ..models import (
    Enrolment,
    EnrolmentEvent,
    EnrolmentStatus,
    Session,
    SessionMessage,
    SessionMove,
)
from ..operations_emails import message_notices, move_notices
from ..selectors.operations import (
    MOVED_IN,
    MOVED_OUT,
    message_audience,
    message_recipients,
    move_plan,
    move_refusal,
    why_nobody,
)
from ..statistics import statistics_forget
from .base import EnrolmentRefused


def _lock_pair(first_id: int, second_id: int) -> dict[int, Session]:
    """Both session rows, locked in id order until the transaction ends."""
    rows = (
        Session.objects.select_for_update(of=("self",))
        .select_related("module")
        .filter(pk__in={first_id, second_id})
        .order_by("pk")
    )
    return {session.pk: session for session in rows}


@transaction.atomic
def session_people_move(
    *, session_id: int, target_id: int, actor: User | None
) -> SessionMove | None:
    """Enrol the people a cancelled session released in `target`, in their original
    order: a seat while the target has one, its waitlist after. People already enrolled
    in the target stay as they are. Each person moved is told once by e-mail.

    Returns the record of the move, or None when nobody was left to move (a second
    click). Refuses a target of another module, cancelled, or already started.
    """
    sessions = _lock_pair(session_id, target_id)
    source = sessions.get(session_id)
    if source is None:
        raise EnrolmentRefused(_("This session does not exist."), code="unknown")
    target = sessions.get(target_id)
    if reason := move_refusal(source, target):
        raise ValidationError(reason, code="move")
    assert target is not None  # move_refusal gave a reason otherwise
    plan = move_plan(source, target)
    if plan.nobody:
        return None

    now = timezone.now()
    placed = [(e, EnrolmentStatus.CONFIRMED) for e in plan.confirmed] + [
        (e, EnrolmentStatus.WAITLISTED) for e in plan.waitlisted
    ]
    # One microsecond apart: the waitlist keeps the order they had, whatever the ids.
    created = Enrolment.objects.bulk_create(
        Enrolment(
            session=target,
            user_id=old.user_id,
            status=status,
            queued_at=now + timedelta(microseconds=position),
            confirmed_at=now if status == EnrolmentStatus.CONFIRMED else None,
        )
        for position, (old, status) in enumerate(placed)
    )
    if plan.confirmed:
        target.confirmed_count += len(plan.confirmed)
        target.save(update_fields=["confirmed_count", "updated_at"])

    events = []
    for (old, status), new in zip(placed, created, strict=True):
        events.append(
            EnrolmentEvent(
                enrolment=new,
                action=MOVED_IN,
                actor=actor,
                data={"from_session": source.pk, "from_enrolment": old.pk, "status": status},
                created_at=now,
            )
        )
        events.append(
            EnrolmentEvent(
                enrolment=old,
                action=MOVED_OUT,
                actor=actor,
                data={"to_session": target.pk, "to_enrolment": new.pk, "status": status},
                created_at=now,
            )
        )
    events.extend(
        EnrolmentEvent(
            enrolment=old,
            action=MOVED_OUT,
            actor=actor,
            data={"to_session": target.pk, "already_enrolled": True},
            created_at=now,
        )
        for old in plan.skipped
    )
    EnrolmentEvent.objects.bulk_create(events)
    move = SessionMove.objects.create(
        from_session=source,
        to_session=target,
        actor=actor,
        confirmed=len(plan.confirmed),
        waitlisted=len(plan.waitlisted),
        skipped=len(plan.skipped),
    )
    move_notices(
        target=target, moved=[(new.user_id, new.pk) for new in created if new.user_id is not None]
    )
    statistics_forget(starts=[target.starts_at])
    return move


@transaction.atomic
def session_message_send(
    *,
    session_id: int,
    subject: str,
    body: str,
    to_confirmed: bool,
    to_waitlisted: bool,
    token: uuid.UUID,
    actor: User | None,
) -> tuple[SessionMessage, bool]:
    """Write to the session's confirmed people, its waitlist, or both: one e-mail each,
    the manager's text in a frame in the reader's language.

    Returns the message and whether it is new: the form's token makes a second click on
    "Send" return the message already sent instead of sending it again. Refuses an empty
    text and a message that would reach nobody, saying why.
    """
    existing = SessionMessage.objects.filter(token=token).first()
    if existing is not None:
        return existing, False
    session = Session.objects.filter(pk=session_id).select_related("module").first()
    if session is None:
        raise EnrolmentRefused(_("This session does not exist."), code="unknown")
    message = SessionMessage(
        session=session,
        sender=actor,
        subject=" ".join((subject or "").split()),
        body=(body or "").strip(),
        to_confirmed=to_confirmed,
        to_waitlisted=to_waitlisted,
        token=token,
    )
    message.full_clean(exclude=["session", "sender", "token"], validate_constraints=False)
    recipients = message_recipients(session, to_confirmed=to_confirmed, to_waitlisted=to_waitlisted)
    if not recipients:
        audience = message_audience(session)
        raise ValidationError(
            why_nobody(session, audience, to_confirmed=to_confirmed, to_waitlisted=to_waitlisted),
            code="nobody",
        )
    message.recipient_count = len(recipients)
    try:
        with transaction.atomic():
            message.save()
    except IntegrityError:  # the same form sent twice at once: the other one sends it
        return SessionMessage.objects.get(token=token), False
    message_notices(message, recipients)
    return message, True
