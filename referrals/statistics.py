"""The listening cell in figures, for the managers' statistics.

Managers never see a case; they see counts of cases received in a period (Belgian
months): how many, from where, how fast the first contact came, how they ended, which
needs and regions, and whether members reached the partners they were referred to.

A case says something about someone's health. A count from 1 to 4 is shown as "<5"
(small-cell suppression), and every other count is rounded to the nearest 5, rates to
the nearest 5 %: the period is chosen freely, so exact counts from two overlapping
periods (or a total beside its parts) would otherwise give a hidden one away by
subtraction. Five queries, whatever the number of cases.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.belgium import BRUSSELS
from programme.statistics import Period
from programme.survey_selectors import SMALL_CELL

from .choices import AREA_CHOICES, CaseStatus, NeedCategory, Outcome, Source
from .models import Case, CaseNeed, Referral


@dataclass(frozen=True)
class Figure:
    """An exact count, shown only as "<5" or rounded to the nearest 5."""

    value: int

    @property
    def suppressed(self) -> bool:
        return 0 < self.value < SMALL_CELL

    @property
    def rounded(self) -> int:
        """What may be told: 0, 1 for any small count, or the nearest multiple of 5."""
        if self.suppressed:
            return 1
        return SMALL_CELL * ((self.value + SMALL_CELL // 2) // SMALL_CELL)

    def __str__(self) -> str:
        return f"<{SMALL_CELL}" if self.suppressed else str(self.rounded)


def rate(part: Figure, whole: Figure) -> int | None:
    """A percentage rounded to the nearest 5, unless the part, the whole or the rest is a
    small count (a 100 % of 3 would say 3)."""
    rest = Figure(whole.value - part.value)
    if not whole.value or part.suppressed or whole.suppressed or rest.suppressed:
        return None
    return 5 * round(20 * part.value / whole.value)


@dataclass
class CaseMonth:
    month: date  # its first day
    received: Figure
    on_time_rate: int | None  # first contacts made by the deadline, of those due by now


@dataclass
class Line:
    label: str
    count: Figure


@dataclass
class CellStatistics:
    summary: dict[str, Figure]  # received, requests, signals, referred, closed, ...
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


MONTH_COUNTS = ("received", "requests", "signals", "due", "on_time", "referred", "closed")


def _lines(rows, key: str, labels: dict) -> list[Line]:
    lines = [Line(str(labels.get(row[key], row[key] or "—")), Figure(row["n"])) for row in rows]
    # Ordered by what is shown: the exact order would tell two hidden counts apart.
    return sorted(lines, key=lambda line: (-line.count.rounded, line.label))


def _month(value: datetime) -> str:
    return value.strftime("%Y-%m")  # TruncMonth gives it in Belgian time already


def cell_statistics(period: Period) -> CellStatistics:
    start, end = period.bounds
    now = timezone.now()
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
            # A first contact is due once made or once its deadline has passed: a case
            # nobody has called yet past its deadline counts as late, not as missing.
            due=Count(
                "pk", filter=Q(first_contact_at__isnull=False) | Q(first_contact_due__lt=now)
            ),
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
                on_time_rate=rate(Figure(counts["on_time"]), Figure(counts["due"])),
            )
        )
    summary = {
        name: Figure(sum(counts[name] for counts in by_month.values())) for name in MONTH_COUNTS
    }
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
    return CellStatistics(
        summary=summary,
        on_time_rate=rate(summary["on_time"], summary["due"]),
        months=months,
        outcomes=outcomes,
        needs=needs,
        regions=regions,
        referrals=referrals,
    )
