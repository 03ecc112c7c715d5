"""A member enrols or cancels; a freed seat goes to the waitlist in the same transaction."""

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import User

from .. import emails
from ..models import (
    ACTIVE_STATUSES,
    Enrolment,
    EnrolmentEvent,
    EnrolmentStatus,
    Session,
)
from .base import EnrolmentRefused, _event, _lock_session


@dataclass(frozen=True)
class EnrolmentOutcome:
    enrolment: Enrolment
    created: bool  # False when the member was already enrolled (a double click)


def refusal_reason(session: Session, *, now: datetime | None = None) -> str | None:
    """Why the session takes no enrolment now, or None when it is open."""
    now = now or timezone.now()
    if session.is_cancelled:
        return str(_("This session has been cancelled."))
    if not session.is_published or not session.module.is_published:
        return str(_("This session is not open for enrolment."))
    if session.starts_at <= now:
        return str(_("This session has already started."))
    if session.closes_at <= now:
        return str(_("Registration for this session is closed."))
    return None


def enrolment_create(*, session_id: int, user: User, actor: User | None = None) -> EnrolmentOutcome:
    """Enrol the member: a confirmed seat if one is free, else the end of the waitlist.

    Idempotent: a member already enrolled or waitlisted gets their enrolment back.
    """
    try:
        return _enrol(session_id=session_id, user=user, actor=actor)
    except IntegrityError:
        # The same member's other request (a double click) enrolled them between the
        # look-up and the insert (one_active_enrolment_per_member): everything was rolled
        # back, and this time the look-up finds their enrolment. Any other conflict
        # happens again and is raised.
        return _enrol(session_id=session_id, user=user, actor=actor)


@transaction.atomic
def _enrol(*, session_id: int, user: User, actor: User | None) -> EnrolmentOutcome:
    # The member's own enrolment is looked up before the session is locked: every
    # enrolment in the session waits for that lock, so it covers only what decides the
    # seat. Two requests of the same member can both find none; the database's
    # constraint then refuses the second insert (enrolment_create tries again).
    existing = Enrolment.objects.filter(
        session_id=session_id, user=user, status__in=ACTIVE_STATUSES
    ).first()
    session = _lock_session(session_id)
    reason = refusal_reason(session)
    if reason:
        raise EnrolmentRefused(reason, code="closed")
    if existing is not None:
        # Read again under the lock (rare: the member asked twice), as it may have been
        # cancelled meanwhile.
        existing = Enrolment.objects.filter(pk=existing.pk, status__in=ACTIVE_STATUSES).first()
        if existing is not None:
            return EnrolmentOutcome(enrolment=existing, created=False)

    now = timezone.now()
    enrolment = Enrolment(session=session, user=user, queued_at=now)
    if session.is_full:
        enrolment.status = EnrolmentStatus.WAITLISTED
    else:
        enrolment.status = EnrolmentStatus.CONFIRMED
        enrolment.confirmed_at = now
        session.confirmed_count += 1
        session.save(update_fields=["confirmed_count", "updated_at"])
    # Under the row lock: the session and member are known rows, so only the values are
    # checked, without a query (the database holds the constraints). Five statements in
    # all while the lock is held.
    enrolment.full_clean(exclude=["session", "user"], validate_constraints=False)
    enrolment.save()
    _event(enrolment, f"enrolment.{enrolment.status}", actor or user)
    emails.enrolment_notice(enrolment)
    return EnrolmentOutcome(enrolment=enrolment, created=True)


def _promote_waitlist(session: Session, *, actor: User | None) -> list[Enrolment]:
    """Give free seats to the waitlist, first come first served. Session row locked.

    In bulk, whatever the number of seats: one read of the queue, one UPDATE, one
    INSERT of the events, two statements for the notices and one for the seat count.
    """
    if session.is_cancelled or session.has_started:
        return []
    free = None if session.capacity is None else session.seats_left
    queue = Enrolment.objects.filter(session=session, status=EnrolmentStatus.WAITLISTED).order_by(
        "queued_at", "pk"
    )
    if free is not None:
        queue = queue[:free]
    promoted = list(queue.only("pk", "user_id", "session_id", "queued_at"))
    if not promoted:
        return promoted
    now = timezone.now()
    Enrolment.objects.filter(pk__in=[e.pk for e in promoted]).update(
        status=EnrolmentStatus.CONFIRMED, confirmed_at=now, updated_at=now
    )
    for enrolment in promoted:
        enrolment.status = EnrolmentStatus.CONFIRMED
        enrolment.confirmed_at = enrolment.updated_at = now
    EnrolmentEvent.objects.bulk_create(
        EnrolmentEvent(enrolment=e, action="enrolment.promoted", actor=actor, data={})
        for e in promoted
    )
    emails.promotion_notices(promoted)
    session.confirmed_count += len(promoted)
    session.save(update_fields=["confirmed_count", "updated_at"])
    return promoted


@transaction.atomic
def enrolment_cancel(*, enrolment_id: int, user: User, actor: User | None = None) -> Enrolment:
    """The member gives up their seat or waitlist place, until the session starts.

    A freed seat goes to the first person on the waitlist in the same transaction.
    Cancelling an enrolment that is no longer active changes nothing.
    """
    enrolment = Enrolment.objects.filter(pk=enrolment_id, user=user).first()
    if enrolment is None:
        raise EnrolmentRefused(_("This enrolment does not exist."), code="unknown")
    session = _lock_session(enrolment.session_id)
    enrolment.refresh_from_db()
    if enrolment.status not in ACTIVE_STATUSES:
        return enrolment
    if session.has_started:
        raise EnrolmentRefused(
            _("This session has already started: it can no longer be cancelled."),
            code="started",
        )
    was_confirmed = enrolment.status == EnrolmentStatus.CONFIRMED
    enrolment.status = EnrolmentStatus.CANCELLED
    enrolment.cancelled_at = timezone.now()
    enrolment.save(update_fields=["status", "cancelled_at", "updated_at"])
    _event(enrolment, "enrolment.cancelled", actor or user, was_confirmed=was_confirmed)
    if was_confirmed:
        session.confirmed_count -= 1
        session.save(update_fields=["confirmed_count", "updated_at"])
        emails.enrolment_reminders_cancel(session=session, enrolment_id=enrolment.pk)
        _promote_waitlist(session, actor=None)
    return enrolment
