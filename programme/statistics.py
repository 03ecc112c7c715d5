"""What the programme offered and how members used it, for the managers' statistics.

Sessions count in the month they start (Belgian time): those published, or unpublished
later but with enrolments (a draft never had any); sessions the organiser cancelled are
counted apart. A session with several themes counts
in each of them, so the theme rows add up to more than the total. Each breakdown runs
two queries (sessions, enrolments; themes a third, for their names) whatever the size
of the programme.
"""

from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date, datetime

from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from common.belgium import BRUSSELS, Province

from .models import Attendance, Enrolment, EnrolmentStatus, ModuleFormat, Session, Theme


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


@dataclass
class ProgrammeRow:
    key: str
    label: str
    month: date | None = None  # the first day, for rows by month
    sessions: int = 0
    cancelled_sessions: int = 0
    seats: int = 0  # seats offered by the sessions that have a capacity
    seats_taken: int = 0  # confirmed seats in those sessions, for the fill rate
    confirmed: int = 0
    waitlisted: int = 0  # still waiting: at the start for a past session, now for one to come
    attended: int = 0
    no_show: int = 0
    member_cancelled: int = 0

    @property
    def fill_rate(self) -> int | None:
        return round(100 * self.seats_taken / self.seats) if self.seats else None

    @property
    def attendance_rate(self) -> int | None:
        marked = self.attended + self.no_show
        return round(100 * self.attended / marked) if marked else None

    def add(self, other: "ProgrammeRow") -> None:
        for field in fields(self):
            if field.name not in ("key", "label", "month"):
                setattr(self, field.name, getattr(self, field.name) + getattr(other, field.name))


def _month_label(value) -> str:
    return value.strftime("%Y-%m") if value else ""


def _format_label(code: str) -> str:
    return str(dict(ModuleFormat.choices).get(code, code))


def _region_label(code: str) -> str:
    return str(dict(Province.choices).get(code, _("Online or no province")))


# The session field each of these breakdowns groups on, and how its values are named.
FIELDS: dict[str, tuple[str, Callable[[str], str]]] = {
    "format": ("module__format", _format_label),
    "region": ("province", _region_label),
}


def _group(prefix: str, breakdown: str):
    """The expression to group on, read from Session (prefix "") or Enrolment ("session__")."""
    if breakdown == "month":
        return TruncMonth(f"{prefix}starts_at", tzinfo=BRUSSELS)
    if breakdown == "theme":
        return F(f"{prefix}module__themes")
    return F(prefix + FIELDS[breakdown][0])


def _counts(period: Period, breakdown: str) -> tuple[list[dict], list[dict]]:
    start, end = period.bounds
    offered = Q(is_published=True) | Exists(Enrolment.objects.filter(session=OuterRef("pk")))
    sessions = (
        Session.objects.filter(offered, starts_at__gte=start, starts_at__lt=end)
        .annotate(group=_group("", breakdown))
        .values("group")
        .annotate(
            sessions=Count("pk", filter=Q(cancelled_at__isnull=True), distinct=True),
            cancelled_sessions=Count("pk", filter=Q(cancelled_at__isnull=False), distinct=True),
            seats=Sum("capacity", filter=Q(cancelled_at__isnull=True)),
        )
        .order_by()
    )
    held = Q(session__cancelled_at__isnull=True)
    confirmed = held & Q(status=EnrolmentStatus.CONFIRMED)
    enrolments = (
        Enrolment.objects.filter(session__starts_at__gte=start, session__starts_at__lt=end)
        .annotate(group=_group("session__", breakdown))
        .values("group")
        .annotate(
            confirmed=Count("pk", filter=confirmed),
            seats_taken=Count("pk", filter=confirmed & Q(session__capacity__isnull=False)),
            waitlisted=Count("pk", filter=held & Q(status=EnrolmentStatus.WAITLISTED)),
            attended=Count("pk", filter=confirmed & Q(attendance=Attendance.ATTENDED)),
            no_show=Count("pk", filter=confirmed & Q(attendance=Attendance.NO_SHOW)),
            member_cancelled=Count(
                "pk",
                filter=held & Q(status=EnrolmentStatus.CANCELLED, cancelled_by_organiser=False),
            ),
        )
        .order_by()
    )
    return list(sessions), list(enrolments)


def _key(breakdown: str, value) -> str:
    if breakdown == "month":
        return _month_label(value)
    return "" if value is None else str(value)


def programme_statistics(period: Period, breakdown: str) -> list[ProgrammeRow]:
    """One row per month of the period (every month, even an empty one), or per theme,
    format or region that had sessions; largest first except for months."""
    session_counts, enrolment_counts = _counts(period, breakdown)
    rows: dict[str, ProgrammeRow] = {}
    if breakdown == "month":
        for month in period.months():
            key = _month_label(month)
            rows[key] = ProgrammeRow(key=key, label=key, month=month)
    for counts in (session_counts, enrolment_counts):
        for item in counts:
            key = _key(breakdown, item.pop("group"))
            row = rows.setdefault(key, ProgrammeRow(key=key, label=key))
            for name, value in item.items():
                setattr(row, name, getattr(row, name) + (value or 0))
    _label(rows, breakdown)
    if breakdown == "month":
        return list(rows.values())
    return sorted(rows.values(), key=lambda row: (-row.sessions, -row.confirmed, row.label))


def _label(rows: dict[str, ProgrammeRow], breakdown: str) -> None:
    if breakdown == "theme":
        names = {str(t.pk): t.name for t in Theme.objects.filter(pk__in=rows.keys() - {""})}
        for key, row in rows.items():
            row.label = names.get(key, str(_("No theme")))
    elif breakdown != "month":
        name = FIELDS[breakdown][1]
        for key, row in rows.items():
            row.label = name(key)


def total(rows: list[ProgrammeRow]) -> ProgrammeRow:
    """The sum of the month rows (each session is in exactly one month)."""
    result = ProgrammeRow(key="total", label=str(_("Total")))
    for row in rows:
        result.add(row)
    return result
