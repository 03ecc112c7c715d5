"""The organiser's changes to sessions: create, update, publish, duplicate, cancel, attendance.

A change a calendar event shows is a new version of the event (its sequence); a larger
capacity gives the new seats to the waitlist at once.
"""

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import User

from .. import emails
from ..models import (
    ACTIVE_STATUSES,
    SESSION_FORMATS,
    Attendance,
    Enrolment,
    EnrolmentEvent,
    EnrolmentStatus,
    Session,
)
from ..session_changes import session_facts
from ..statistics import statistics_forget
from .base import _lock_session
from .enrolment import _promote_waitlist


@transaction.atomic
def session_cancel(*, session_id: int, reason: str, actor: User | None) -> Session:
    """The organiser cancels a session: every enrolled or waitlisted member is released."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the session is cancelled.")})
    # Checked before the row lock: nothing else of the session changes here (the
    # database holds the constraints).
    Session._meta.get_field("cancellation_reason").clean(reason, None)
    session = _lock_session(session_id)
    if session.is_cancelled:
        return session
    now = timezone.now()
    if session.ends_at <= now:
        raise ValidationError(_("A session that has already taken place cannot be cancelled."))
    session.cancelled_at = now
    session.cancellation_reason = reason
    session.confirmed_count = 0
    session.sequence += 1
    session.save(
        update_fields=[
            "cancelled_at",
            "cancellation_reason",
            "confirmed_count",
            "sequence",
            "updated_at",
        ]
    )
    released = list(
        Enrolment.objects.filter(session=session, status__in=ACTIVE_STATUSES).only(
            "pk", "user_id", "session_id", "attendance"
        )
    )
    events = []
    for enrolment in released:
        data = {"reason": reason}
        # A session called off once under way may have attendance marked already; only
        # confirmed seats carry attendance, so it goes, and the audit entry keeps it.
        if enrolment.attendance:
            data["attendance"] = enrolment.attendance
        enrolment.status = EnrolmentStatus.CANCELLED
        enrolment.cancelled_at = now
        enrolment.cancelled_by_organiser = True
        enrolment.attendance = ""
        enrolment.updated_at = now
        events.append(
            EnrolmentEvent(
                enrolment=enrolment,
                action="enrolment.cancelled_by_organiser",
                actor=actor,
                data=data,
                created_at=now,
            )
        )
    # One UPDATE for everyone: the new values are the same for each.
    Enrolment.objects.filter(pk__in=[e.pk for e in released]).update(
        status=EnrolmentStatus.CANCELLED,
        cancelled_at=now,
        cancelled_by_organiser=True,
        attendance="",
        updated_at=now,
    )
    EnrolmentEvent.objects.bulk_create(events)
    emails.cancellation_notices(session, released)
    statistics_forget(starts=[session.starts_at])
    return session


@transaction.atomic
def attendance_mark(*, session_id: int, marks: Mapping[int, str], actor: User | None) -> int:
    """Record attended / no-show for confirmed participants once the session has begun.

    `marks` maps enrolment ids to an Attendance value, or "" to clear it. Ids of other
    sessions or of unconfirmed enrolments are refused as a whole: nothing is written.
    Returns how many enrolments changed.
    """
    session = _lock_session(session_id)
    if not session.has_started:
        raise ValidationError(_("Attendance can be recorded once the session has started."))
    allowed = {"", *Attendance.values}
    if any(value not in allowed for value in marks.values()):
        raise ValidationError(_("Choose attended or did not attend."))
    enrolments = {
        e.pk: e
        for e in Enrolment.objects.filter(
            session=session, status=EnrolmentStatus.CONFIRMED, pk__in=list(marks)
        )
    }
    if set(marks) - set(enrolments):
        raise ValidationError(_("Some of these participants are not confirmed in this session."))
    changed = [e for pk, e in enrolments.items() if e.attendance != marks[pk]]
    for enrolment in changed:
        previous = enrolment.attendance
        enrolment.attendance = marks[enrolment.pk]
        enrolment.updated_at = timezone.now()
        enrolment._previous_attendance = previous
    Enrolment.objects.bulk_update(changed, ["attendance", "updated_at"])
    EnrolmentEvent.objects.bulk_create(
        EnrolmentEvent(
            enrolment=e,
            action="enrolment.attendance_marked",
            actor=actor,
            data={"attendance": e.attendance, "previous": e._previous_attendance},
        )
        for e in changed
    )
    if changed:  # attendance can be marked long after the month is over
        statistics_forget(starts=[session.starts_at])
    return len(changed)


SESSION_FIELDS = (
    "module",
    "starts_at",
    "ends_at",
    "mode",
    "join_url",
    "venue",
    "address",
    "province",
    "capacity",
    "registration_deadline",
)


# What a calendar event shows of a session (programme.ics): a change to one of these is
# a new version of the event.
CALENDAR_FIELDS = ("module_id", "starts_at", "ends_at", "mode", "join_url", "venue", "address")


def _calendar_view(session: Session) -> tuple:
    return tuple(getattr(session, name) for name in CALENDAR_FIELDS)


def _check_session(session: Session) -> None:
    if session.module.format not in SESSION_FORMATS:
        raise ValidationError(
            {"module": _("Only webinars and workshops have sessions.")}, code="format"
        )
    session.full_clean()


@transaction.atomic
def session_create(*, actor: User | None = None, **fields: Any) -> Session:
    """A new session, unpublished until a manager publishes it."""
    session = Session(**{name: fields[name] for name in SESSION_FIELDS if name in fields})
    session.is_published = bool(fields.get("is_published", False))
    _check_session(session)
    session.save()
    statistics_forget(starts=[session.starts_at])
    return session


@transaction.atomic
def session_update(*, session_id: int, actor: User | None = None, **fields: Any) -> Session:
    """Change a session; a larger capacity gives the new seats to the waitlist at once."""
    session = _lock_session(session_id)
    if session.is_cancelled:
        raise ValidationError(_("A cancelled session can no longer be changed."))
    capacity = fields.get("capacity", session.capacity)
    if capacity is not None and capacity < session.confirmed_count:
        raise ValidationError(
            {
                "capacity": _("%(count)s people already hold a seat: the capacity cannot be lower.")
                % {"count": session.confirmed_count}
            },
            code="capacity",
        )
    plan_before = emails.session_plan(session)
    facts_before = session_facts(session)
    starts_before = session.starts_at
    calendar_before = _calendar_view(session)
    for name in SESSION_FIELDS:
        if name in fields:
            setattr(session, name, fields[name])
    _check_session(session)
    if _calendar_view(session) != calendar_before:
        session.sequence += 1
    session.save()
    statistics_forget(starts=[starts_before, session.starts_at])
    # Reminders need nothing more: they carry the start they were planned for, the
    # planner records new ones for the new time, and one recorded for the old time is
    # skipped when it comes up, or sent after all if the session moves back to it.
    # The people concerned hear of the change at once, unless it is a correction of
    # a session already over.
    if emails.session_plan(session) != plan_before and session.ends_at > timezone.now():
        emails.change_notices(session, before=facts_before)
    _promote_waitlist(session, actor=actor)
    return session


@transaction.atomic
def session_publish(*, session_id: int, published: bool) -> Session:
    session = _lock_session(session_id)
    if session.is_cancelled and published:
        raise ValidationError(_("A cancelled session cannot be published again."))
    session.is_published = published
    session.save(update_fields=["is_published", "updated_at"])
    statistics_forget(starts=[session.starts_at])
    return session


@transaction.atomic
def session_duplicate(
    *, session: Session, starts_at: datetime, actor: User | None = None
) -> Session:
    """A copy of the session at another time, same length and place, unpublished."""
    length: timedelta = session.ends_at - session.starts_at
    deadline = None
    if session.registration_deadline is not None:
        deadline = starts_at - (session.starts_at - session.registration_deadline)
    return session_create(
        module=session.module,
        starts_at=starts_at,
        ends_at=starts_at + length,
        mode=session.mode,
        join_url=session.join_url,
        venue=session.venue,
        address=session.address,
        province=session.province,
        capacity=session.capacity,
        registration_deadline=deadline,
        actor=actor,
    )
