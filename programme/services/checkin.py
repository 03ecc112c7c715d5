"""Check-in on the day: one tap marks a confirmed participant present, one tap undoes it.

Check-in is attendance taken at the door: it writes the same column and the same audit
entry (enrolment.attendance_marked) as the roster, with ``"via": "check_in"`` in its
data, and its time is the time of that entry (selectors.checkin). A second tap, a second
phone or a reloaded form changes nothing and writes nothing.
"""

from datetime import datetime, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.belgium import BRUSSELS
from members.models import User

from ..models import Attendance, Enrolment, EnrolmentEvent, EnrolmentStatus, Session
from ..statistics import statistics_forget
from .base import _lock_session

CHECK_IN_ACTION = "enrolment.attendance_marked"
CHECK_IN_VIA = "check_in"


def checkin_opens_at(session: Session) -> datetime:
    """Midnight, Belgian time, on the day the session starts: people arrive early."""
    day = timezone.localtime(session.starts_at, BRUSSELS).date()
    return datetime.combine(day, time.min, tzinfo=BRUSSELS)


def checkin_refusal(session: Session) -> str | None:
    """Why nobody can check in to this session now, or None when the door is open."""
    if session.is_cancelled:
        return str(_("This session is cancelled: nobody can check in."))
    if timezone.now() < checkin_opens_at(session):
        return str(_("Check-in opens on the day of the session."))
    return None


@transaction.atomic
def checkin_mark(
    *, session_id: int, enrolment_id: int, present: bool, actor: User | None
) -> tuple[Enrolment, bool]:
    """Mark a confirmed participant present (``present=True``), or undo their check-in.

    Undoing clears only a check-in: a "did not attend" recorded on the roster stays.
    Returns the enrolment and whether it changed: marking twice records one change.
    Raises ValidationError with a message
    for a cancelled session, a day too early, or an enrolment that is not a confirmed
    seat of this session."""
    session = _lock_session(session_id)
    if refusal := checkin_refusal(session):
        raise ValidationError(refusal, code="closed")
    enrolment = (
        Enrolment.objects.select_related("user")
        .filter(pk=enrolment_id, session=session, status=EnrolmentStatus.CONFIRMED)
        .first()
    )
    if enrolment is None:
        raise ValidationError(
            _("This person does not hold a seat in this session."), code="not_in_session"
        )
    previous = enrolment.attendance
    # Undoing clears a check-in only: a "did not attend" from the roster stays.
    undone = "" if previous == Attendance.ATTENDED else previous
    wanted = Attendance.ATTENDED if present else undone
    if wanted == previous:
        return enrolment, False
    enrolment.attendance = wanted
    enrolment.save(update_fields=["attendance", "updated_at"])
    EnrolmentEvent.objects.create(
        enrolment=enrolment,
        action=CHECK_IN_ACTION,
        actor=actor,
        data={"attendance": wanted, "previous": previous, "via": CHECK_IN_VIA},
    )
    statistics_forget(starts=[session.starts_at])
    return enrolment, True
