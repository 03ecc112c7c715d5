"""The listening cell in figures, for the managers' statistics.

Managers never see a case; they see counts of cases received in a period (Belgian
months): how many, from where, how fast the first contact came, how they ended, which
needs and regions, and whether members reached the partners they were referred to.
A case says something about someone's health, so a count from 1 to 4 is shown as "<5"
(small-cell suppression); where it is one part of a total shown beside it, the next
smallest part is hidden too, or subtracting would give it away. Five queries, whatever
the number of cases.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from programme.statistics import BRUSSELS, Period

from .choices import AREA_CHOICES, CaseStatus, NeedCategory, Outcome, Source
from .models import Case, CaseNeed, Referral

SMALL_CELL = 5


@dataclass
class Figure:
    value: int
    suppressed: bool = False

    def __post_init__(self) -> None:
        self.suppressed = self.suppressed or 0 < self.value < SMALL_CELL

    def __str__(self) -> str:
        return f"<{SMALL_CELL}" if self.suppressed else str(self.value)


def rate(part: Figure, whole: Figure) -> int | None:
    """A percentage, unless it would tell a small count: the part, the whole or the rest."""
    rest = whole.value - part.value
    if not whole.value or part.suppressed or whole.suppressed or 0 < rest < SMALL_CELL:
        return None
    return round(100 * part.value / whole.value)


def protect(parts: list[Figure]) -> None:
    """Secondary suppression: one hidden part of a shown total hides the next smallest."""
    if sum(part.suppressed for part in parts) != 1:
        return
    shown = sorted((p for p in parts if not p.suppressed and p.value), key=lambda p: p.value)
    if shown:
        shown[0].suppressed = True


@dataclass
class CaseMonth:
    month: date  # its first day
    received: Figure
    on_time_rate: int | None  # first contacts made by the deadline, of those made


@dataclass
class Line:
    label: str
    count: Figure


@dataclass
class CellStatistics:
    summary: dict[str, Figure]  # received, requests, signals, contacted, referred, closed
    on_time_rate: int | None
    months: list[CaseMonth]
    outcomes: list[Line]
    needs: list[Line]  # a case may name several needs
    regions: list[Line]
    referrals: dict[str, Figure]  # made, reached, not_reached, unknown

    @property
    def reached_rate(self) -> int | None:
        known = Figure(self.referrals["reached"].value + self.referrals["not_reached"].value)
        return rate(self.referrals["reached"], known)


MONTH_COUNTS = ("received", "requests", "signals", "contacted", "on_time", "referred", "closed")


def _lines(rows, key: str, labels: dict) -> list[Line]:
    lines = [Line(str(labels.get(row[key], row[key] or "—")), Figure(row["n"])) for row in rows]
    return sorted(lines, key=lambda line: (-line.count.value, line.label))


def _month(value: datetime) -> str:
    return value.astimezone(BRUSSELS).strftime("%Y-%m")


def cell_statistics(period: Period) -> CellStatistics:
    start, end = period.bounds
    cases = Case.objects.filter(created_at__gte=start, created_at__lt=end)
    by_month = {
        _month(row.pop("month")): row
        for row in cases.annotate(
            month=TruncMonth("created_at", tzinfo=BRUSSELS),
            was_referred=Exists(Referral.objects.filter(case=OuterRef("pk"))),
        )
        .values("month")
        .annotate(
            received=Count("pk"),
            requests=Count("pk", filter=Q(source=Source.REQUEST)),
            signals=Count("pk", filter=Q(source=Source.SIGNAL)),
            contacted=Count("pk", filter=Q(first_contact_at__isnull=False)),
            on_time=Count("pk", filter=Q(first_contact_at__lte=F("first_contact_due"))),
            referred=Count("pk", filter=Q(was_referred=True)),
            closed=Count("pk", filter=Q(status=CaseStatus.CLOSED)),
        )
        .order_by()
    }
    empty = dict.fromkeys(MONTH_COUNTS, 0)
    months = []
    for first_day in period.months():
        counts = by_month.get(first_day.strftime("%Y-%m"), empty)
        months.append(
            CaseMonth(
                month=first_day,
                received=Figure(counts["received"]),
                on_time_rate=rate(Figure(counts["on_time"]), Figure(counts["contacted"])),
            )
        )
    protect([month.received for month in months])
    summary = {
        name: Figure(sum(counts[name] for counts in by_month.values())) for name in MONTH_COUNTS
    }
    protect([summary["requests"], summary["signals"]])
    outcomes = _lines(
        cases.filter(status=CaseStatus.CLOSED).values("outcome").annotate(n=Count("pk")).order_by(),
        "outcome",
        dict(Outcome.choices),
    )
    needs = _lines(
        CaseNeed.objects.filter(case__in=cases).values("need").annotate(n=Count("pk")).order_by(),
        "need",
        dict(NeedCategory.choices),
    )
    regions = _lines(
        cases.values("region").annotate(n=Count("pk")).order_by(),
        "region",
        {**dict(AREA_CHOICES), "": _("Not given")},
    )
    # The aliases are prefixed: an aggregate may not take the name of the field it filters.
    referrals = {
        name.removeprefix("n_"): Figure(value)
        for name, value in Referral.objects.filter(created_at__gte=start, created_at__lt=end)
        .aggregate(
            n_made=Count("pk"),
            n_reached=Count("pk", filter=Q(reached=True)),
            n_not_reached=Count("pk", filter=Q(reached=False)),
            n_unknown=Count("pk", filter=Q(reached__isnull=True)),
        )
        .items()
    }
    for parts in (
        [line.count for line in outcomes],
        [line.count for line in regions],
        [referrals["reached"], referrals["not_reached"], referrals["unknown"]],
    ):
        protect(parts)
    return CellStatistics(
        summary=summary,
        on_time_rate=rate(summary["on_time"], summary["contacted"]),
        months=months,
        outcomes=outcomes,
        needs=needs,
        regions=regions,
        referrals=referrals,
    )
