"""Planners: every sweep (each minute) derives from the data which timed messages fell
due and records them; an intent recorded before is left as it is, so running a planner
twice records each message once.

Windows are chosen so that a sweep that stopped for a while catches up with what still
makes sense (a day-before reminder until an hour before the start, a survey invitation
for two days), and nothing older. (The surveys' planners are surveys.planners.)
"""

from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timedelta

from notifications.services import Planned, deliveries_schedule_many

from .emails import HOUR_BEFORE, REMINDER_DAY, REMINDER_HOUR, day_before, reminder_intent
from .models import Enrolment, EnrolmentStatus

Row = tuple[int, int, int, datetime, datetime | None]


def _confirmed(**session_filter) -> Iterator[Row]:
    return (
        Enrolment.objects.of_present_members()  # nobody to remind once erased
        .filter(
            status=EnrolmentStatus.CONFIRMED,
            session__cancelled_at__isnull=True,
            **session_filter,
        )
        .order_by("pk")
        .values_list("pk", "user_id", "session_id", "session__starts_at", "confirmed_at")
        .iterator(chunk_size=1000)
    )


# The day before is 23 to 25 hours ahead (day_before): look that far, record what is due.
DAY_BEFORE_LOOKAHEAD = timedelta(hours=25)


def _hour_before(starts_at: datetime) -> datetime:
    return starts_at - HOUR_BEFORE


def _reminders(
    rows: Iterable[Row],
    due_at: Callable[[datetime], datetime],
    *,
    now: datetime,
    skip_recent: bool,
) -> Iterator[Planned]:
    for enrolment_id, user_id, session_id, starts_at, confirmed_at in rows:
        due = due_at(starts_at)
        if due > now:
            continue  # a later sweep records it
        if skip_recent and confirmed_at and confirmed_at > due:
            # Confirmed inside the last day: the confirmation has just said it all.
            continue
        yield Planned(
            recipient_id=user_id,
            intent_key=reminder_intent(session_id, starts_at, enrolment_id),
            due_at=due,
            context={"enrolment_id": enrolment_id, "starts_at": starts_at.isoformat()},
        )


def plan_session_reminders(*, now: datetime) -> None:
    """The day before (sessions starting in more than an hour whose day-before time has
    come, for seats confirmed before it) and the hour before (sessions starting within
    the hour)."""
    day_rows = _confirmed(
        session__starts_at__gt=now + HOUR_BEFORE,
        session__starts_at__lte=now + DAY_BEFORE_LOOKAHEAD,
    )
    deliveries_schedule_many(
        kind=REMINDER_DAY,
        planned=_reminders(day_rows, day_before, now=now, skip_recent=True),
    )
    hour_rows = _confirmed(session__starts_at__gt=now, session__starts_at__lte=now + HOUR_BEFORE)
    deliveries_schedule_many(
        kind=REMINDER_HOUR,
        planned=_reminders(hour_rows, _hour_before, now=now, skip_recent=False),
    )
