"""The first-contact deadline: Belgian working days, or the cell's working hours when urgent."""

from datetime import date, datetime, time, timedelta

from django.conf import settings

from common.belgium import BRUSSELS, public_holiday

# The cell works Belgian days: its clock does not follow the active or configured zone.


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and public_holiday(day) is None


def add_working_days(start: date, days: int) -> date:
    """The `days`-th working day after `start` (start itself never counts)."""
    day, counted = start, 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def cell_hours() -> tuple[time, time]:
    """When the cell opens and closes on a working day (referrals.checks validates them)."""
    return (
        time.fromisoformat(settings.REFERRALS_CELL_OPENS),
        time.fromisoformat(settings.REFERRALS_CELL_CLOSES),
    )


def cell_is_open(at: datetime) -> bool:
    local = at.astimezone(BRUSSELS)
    opens, closes = cell_hours()
    return is_working_day(local.date()) and opens <= local.time() < closes


def cell_next_opening(at: datetime) -> datetime:
    """`at` itself while the cell is open, else the moment it next opens (Brussels time)."""
    local = at.astimezone(BRUSSELS)
    opens, closes = cell_hours()
    day = local.date()
    if is_working_day(day) and local.time() < closes:
        return max(local, datetime.combine(day, opens, tzinfo=BRUSSELS))
    return datetime.combine(add_working_days(day, 1), opens, tzinfo=BRUSSELS)


def add_working_hours(start: datetime, hours: float) -> datetime:
    """`hours` of the cell's working time after `start`; time outside them does not count."""
    opens, closes = cell_hours()
    left = timedelta(hours=hours)
    moment = cell_next_opening(start)
    while True:
        closing = datetime.combine(moment.date(), closes, tzinfo=BRUSSELS)
        if moment + left <= closing:
            return moment + left
        left -= closing - moment
        moment = datetime.combine(add_working_days(moment.date(), 1), opens, tzinfo=BRUSSELS)


def first_contact_due(
    received_at: datetime, *, urgent: bool = False, working_days: int | None = None
) -> datetime:
    """When the cell has to have made a first contact, Brussels time.

    Routine: the end of the N-th Belgian working day after the case came in, so a request
    sent on Friday evening or during a bank holiday weekend gets the same number of
    working days as one sent on a Monday morning. Urgent: a few of the cell's working
    hours (the same day when it comes in by the morning; else the next working day).
    """
    if urgent:
        return add_working_hours(received_at, settings.REFERRALS_URGENT_FIRST_CONTACT_WORKING_HOURS)
    if working_days is None:
        working_days = settings.REFERRALS_FIRST_CONTACT_WORKING_DAYS
    received_on = received_at.astimezone(BRUSSELS).date()
    return datetime.combine(
        add_working_days(received_on, working_days), time(23, 59, 59), tzinfo=BRUSSELS
    )
