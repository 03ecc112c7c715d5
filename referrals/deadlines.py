"""The first-contact deadline, counted in Belgian working days."""

from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays
from django.conf import settings

from common.belgium import BRUSSELS

# The cell works Belgian days: its clock does not follow the active or configured zone.


@lru_cache(maxsize=8)
def _belgian_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("BE", years=year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _belgian_holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The `days`-th working day after `start` (start itself never counts)."""
    day, counted = start, 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def first_contact_due(received_at: datetime, *, working_days: int | None = None) -> datetime:
    """The end of the N-th Belgian working day after the case came in, Brussels time.

    A request sent on Friday evening or during a bank holiday weekend gets the same
    number of working days as one sent on a Monday morning.
    """
    if working_days is None:
        working_days = settings.REFERRALS_FIRST_CONTACT_WORKING_DAYS
    received_on = received_at.astimezone(BRUSSELS).date()
    return datetime.combine(
        add_working_days(received_on, working_days), time(23, 59, 59), tzinfo=BRUSSELS
    )
