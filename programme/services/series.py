"""Repeat a session weekly or monthly: its dates, a preview, and the series created at once.

Dates follow the Belgian clock: a session at 10:00 stays at 10:00 across the change to
summer or winter time. Monthly means the same weekday of the month (the second
Tuesday…), the last one when the session falls on a fifth weekday, so that a month
without a fifth Tuesday is not skipped. A Belgian public holiday does not stop a date:
it is flagged for the manager to decide.
"""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.belgium import BRUSSELS, public_holiday
from members.models import User

from ..models import SeriesFrequency, SeriesOccurrence, Session, SessionSeries
from .sessions import session_create

MIN_OCCURRENCES, MAX_OCCURRENCES = 2, 52


def _nth_weekday(year: int, month: int, weekday: int, nth: int | None) -> date:
    """The nth (1-4) given weekday of the month, or its last one when nth is None."""
    days = [
        day
        for day in calendar.Calendar().itermonthdates(year, month)
        if day.month == month and day.weekday() == weekday
    ]
    return days[-1] if nth is None else days[nth - 1]


def series_days(first: date, *, frequency: str, count: int) -> list[date]:
    """The days of `count` occurrences, `first` being the first."""
    if frequency == SeriesFrequency.WEEKLY:
        return [first + timedelta(weeks=i) for i in range(count)]
    if frequency != SeriesFrequency.MONTHLY:
        raise ValidationError({"frequency": _("Choose weekly or monthly.")}, code="frequency")
    nth = (first.day - 1) // 7 + 1
    last = nth == 5  # a fifth weekday is always its month's last
    days = []
    for i in range(count):
        year, month = divmod(first.month - 1 + i, 12)
        days.append(
            _nth_weekday(first.year + year, month + 1, first.weekday(), None if last else nth)
        )
    return days


@dataclass(frozen=True)
class Occurrence:
    position: int
    starts_at: datetime
    ends_at: datetime
    holiday: str | None  # the Belgian public holiday it falls on, in the active language


def _check_count(count: int) -> None:
    if not MIN_OCCURRENCES <= count <= MAX_OCCURRENCES:
        raise ValidationError(
            {
                "count": _("Choose between %(min)s and %(max)s occurrences.")
                % {"min": MIN_OCCURRENCES, "max": MAX_OCCURRENCES}
            },
            code="count",
        )


def series_preview(*, session: Session, frequency: str, count: int) -> list[Occurrence]:
    """Every occurrence the series would have, the session itself first, with the
    Belgian public holidays flagged. Refuses a series that cannot be made."""
    _check_count(count)
    if session.is_cancelled:
        raise ValidationError(_("A cancelled session cannot be repeated."), code="cancelled")
    if SeriesOccurrence.objects.filter(session=session).exists():
        raise ValidationError(
            _("This session is already part of a series: repeat the series' last session."),
            code="in_series",
        )
    local_start = timezone.localtime(session.starts_at, BRUSSELS)
    length = session.ends_at - session.starts_at
    occurrences = []
    for position, day in enumerate(
        series_days(local_start.date(), frequency=frequency, count=count), start=1
    ):
        starts = datetime.combine(day, local_start.time(), tzinfo=BRUSSELS)
        occurrences.append(Occurrence(position, starts, starts + length, public_holiday(day)))
    now = timezone.now()
    if any(o.starts_at <= now for o in occurrences[1:]):
        raise ValidationError(
            _("Every new occurrence must start in the future: repeat a later session."),
            code="past",
        )
    return occurrences


@transaction.atomic
def series_create(
    *,
    session_id: int,
    frequency: str,
    count: int,
    publish_like_original: bool = False,
    actor: User | None = None,
) -> SessionSeries:
    """Repeat a session: `count` occurrences in all, the session itself the first, each new
    one its own session (same module, time, length, place and capacity, nobody enrolled),
    a draft unless it takes the original's status. All of them or none."""
    # Locked: two managers repeating the same session at once make one series.
    session = Session.objects.select_for_update().select_related("module").get(pk=session_id)
    occurrences = series_preview(session=session, frequency=frequency, count=count)
    series = SessionSeries.objects.create(frequency=frequency, created_by=actor)
    links = [SeriesOccurrence(series=series, session=session, position=1)]
    deadline_gap = (
        session.starts_at - session.registration_deadline
        if session.registration_deadline is not None
        else None
    )
    for occurrence in occurrences[1:]:
        copy = session_create(
            module=session.module,
            starts_at=occurrence.starts_at,
            ends_at=occurrence.ends_at,
            mode=session.mode,
            join_url=session.join_url,
            venue=session.venue,
            address=session.address,
            province=session.province,
            capacity=session.capacity,
            registration_deadline=(
                occurrence.starts_at - deadline_gap if deadline_gap is not None else None
            ),
            is_published=publish_like_original and session.is_published,
            actor=actor,
        )
        links.append(SeriesOccurrence(series=series, session=copy, position=occurrence.position))
    SeriesOccurrence.objects.bulk_create(links)
    return series
