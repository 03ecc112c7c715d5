"""Periods of whole months, the unit of every statistic managers read.

A period runs from the first day of its first month to the first day of the month after
its last, in Belgian time, so that a session or a case counts in the month it happened
for the people who live it.
"""

from dataclasses import dataclass
from datetime import date, datetime

from .belgium import BRUSSELS

# The longest period a manager may ask for: longer ones would read years of figures for
# tables nobody can take in.
MAX_MONTHS = 36


@dataclass(frozen=True)
class Period:
    """Whole months, from the first day of `start` to the day before `end`."""

    start: date
    end: date

    @property
    def bounds(self) -> tuple[datetime, datetime]:
        return (
            datetime(self.start.year, self.start.month, 1, tzinfo=BRUSSELS),
            datetime(self.end.year, self.end.month, 1, tzinfo=BRUSSELS),
        )

    @property
    def last_month(self) -> date:
        return self.months()[-1]

    def months(self) -> list[date]:
        months, current = [], self.start
        while current < self.end:
            months.append(current)
            current = months_from(current, 1)
        return months


def months_from(day: date, count: int) -> date:
    """The first day of the month `count` months after (or before) `day`'s month."""
    index = day.year * 12 + day.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def default_period(today: date) -> Period:
    """The past twelve months and the three to come (sessions are planned that far)."""
    return Period(start=months_from(today, -11), end=months_from(today, 4))
