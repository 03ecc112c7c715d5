"""The listening cell in figures, for the managers' statistics.

Managers never see a case; they see counts of cases received in a period (Belgian
months): how many, from where, how fast the first contact came, how they ended, which
needs and regions, and whether members reached the partners they were referred to.

A case says something about someone's health. A count from 1 to 4 is shown as "<5"
(small-cell suppression), and every other count is rounded to the nearest 5, rates to
the nearest 5 %: the period is chosen freely, so exact counts from two overlapping
periods (or a total beside its parts) would otherwise give a hidden one away by
subtraction. Seven queries, whatever the number of cases, then a few minutes in the
cache.
"""

from dataclasses import dataclass
from datetime import date, datetime
from statistics import median

from django.core.cache import cache
from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from common.belgium import BRUSSELS
from common.periods import Period
from common.small_counts import Figure, enough, rate

from .choices import (
    AREA_CHOICES,
    CaseStatus,
    HelpKind,
    MemberHelped,
    NeedCategory,
    Outcome,
    PartnerAnswer,
    Source,
)
from .models import Case, CaseNeed, Referral


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
    summary: dict[str, Figure]  # received, requests, signals, guests, referred, closed, ...
    sources: list[Line]  # cases received by where they came from, labelled in words
    on_time_rate: int | None
    months: list[CaseMonth]
    outcomes: list[Line]
    needs: list[Line]  # a case may name several needs
    regions: list[Line]
    referrals: dict[str, Figure]  # made, reached, not_reached, unknown, sent, taken_on, ...
    # The partner's side: referrals per kind of partner, and how fast partners called.
    partner_kinds: list["PartnerKindLine"]
    median_days_to_contact: float | None  # None under SMALL_CELL contacts

    @property
    def reached_rate(self) -> int | None:
        known = Figure(self.referrals["reached"].value + self.referrals["not_reached"].value)
        return rate(self.referrals["reached"], known)

    @property
    def taken_on_rate(self) -> int | None:
        """Of the referrals sent to a partner, those it said it took on."""
        return rate(self.referrals["taken_on"], self.referrals["sent"])

    @property
    def helped_rate(self) -> int | None:
        """Of the members who said they reached a partner, those it helped."""
        return rate(self.referrals["helped"], self.referrals["member_reached"])


@dataclass
class PartnerKindLine:
    """Referrals made to one kind of partner (HSDS: the service's category) in the period."""

    label: str
    made: Figure
    sent: Figure
    taken_on: Figure

    @property
    def taken_on_rate(self) -> int | None:
        return rate(self.taken_on, self.sent)


MONTH_COUNTS = ("received", "requests", "signals", "guests", "due", "on_time", "referred", "closed")

# Which count is each source's: every Source has one, so a new source cannot be left out
# of the figures silently (tests/referrals/test_caller_case.py checks it).
SOURCE_COUNTS: dict[str, str] = {
    Source.REQUEST: "requests",
    Source.SIGNAL: "signals",
    Source.GUEST: "guests",
    Source.ADVISOR: "advisor_opened",
}


def _lines(rows, key: str, labels: dict) -> list[Line]:
    lines = [Line(str(labels.get(row[key], row[key] or "—")), Figure(row["n"])) for row in rows]
    # Ordered by what is shown: the exact order would tell two hidden counts apart.
    return sorted(lines, key=lambda line: (-line.count.rounded, line.label))


def _month(value: datetime) -> str:
    return value.strftime("%Y-%m")  # TruncMonth gives it in Belgian time already


# Cases move for weeks after they arrive (contacts, referrals, closing), so every month
# of a period can change; the figures are rounded to 5 and read by managers, who can
# wait a few minutes for them rather than have every view count all cases again.
CACHE_SECONDS = 300


def cell_statistics(period: Period) -> CellStatistics:
    """The period's figures, kept a few minutes in the shared cache (per language: the
    lines carry their labels)."""
    key = f"cell-statistics:{translation.get_language()}:{period.start}:{period.end}"
    figures = cache.get(key)
    if figures is None:
        figures = _cell_statistics(period)
        cache.set(key, figures, CACHE_SECONDS)
    return figures


def _cell_statistics(period: Period) -> CellStatistics:
    start, end = period.bounds
    now = timezone.now()
    cases = Case.objects.filter(created_at__gte=start, created_at__lt=end)
    by_month = {
        _month(row.pop("month")): row  # type: ignore[misc]  # the values() row, without its key
        for row in cases.annotate(
            month=TruncMonth("created_at", tzinfo=BRUSSELS),
            was_referred=Exists(Referral.objects.filter(case=OuterRef("pk"))),
        )
        .values("month")
        .annotate(
            received=Count("pk"),
            requests=Count("pk", filter=Q(source=Source.REQUEST)),
            signals=Count("pk", filter=Q(source=Source.SIGNAL)),
            guests=Count("pk", filter=Q(source=Source.GUEST)),
            advisor_opened=Count("pk", filter=Q(source=Source.ADVISOR)),
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
        name: Figure(sum(counts[name] for counts in by_month.values()))  # type: ignore[literal-required]  # MONTH_COUNTS are its keys
        for name in MONTH_COUNTS
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
    made = Referral.objects.filter(created_at__gte=start, created_at__lt=end)
    # The aliases are prefixed: an aggregate may not take the name of the field it filters.
    referrals = {
        name.removeprefix("n_"): Figure(value)
        for name, value in made.aggregate(
            n_made=Count("pk"),
            n_reached=Count("pk", filter=Q(reached=True)),
            n_not_reached=Count("pk", filter=Q(reached=False)),
            n_unknown=Count("pk", filter=Q(reached__isnull=True)),
            n_sent=Count("pk", filter=Q(sent_to_partner_at__isnull=False)),
            n_taken_on=Count("pk", filter=Q(partner_answer=PartnerAnswer.TAKEN_ON)),
            n_not_taken_on=Count("pk", filter=Q(partner_answer=PartnerAnswer.NOT_TAKEN_ON)),
            n_member_reached=Count("pk", filter=Q(reached=True, member_answered_at__isnull=False)),
            n_helped=Count(
                "pk", filter=Q(member_helped__in=[MemberHelped.YES, MemberHelped.SOMEWHAT])
            ),
        ).items()
    }
    return CellStatistics(
        summary=summary,
        sources=_source_lines(
            {
                key: Figure(sum(counts[key] for counts in by_month.values()))  # type: ignore[literal-required]  # the annotations below
                for key in SOURCE_COUNTS.values()
            }
        ),
        on_time_rate=rate(summary["on_time"], summary["due"]),
        months=months,
        outcomes=outcomes,
        needs=needs,
        regions=regions,
        referrals=referrals,
        partner_kinds=_partner_kinds(made),
        median_days_to_contact=_median_days_to_contact(made),
    )


def _source_lines(totals: dict[str, Figure]) -> list[Line]:
    """The per-source counts of the month query as labelled lines (no query of their own)."""
    lines = [
        Line(str(label), totals[SOURCE_COUNTS[value]])
        for value, label in Source.choices
        if totals[SOURCE_COUNTS[value]].value
    ]
    # Ordered by what is shown, as the other lines.
    return sorted(lines, key=lambda line: (-line.count.rounded, line.label))


def _partner_kinds(made) -> list[PartnerKindLine]:
    labels = dict(HelpKind.choices)
    rows = (
        made.values("partner__kind")
        .annotate(
            n=Count("pk"),
            sent=Count("pk", filter=Q(sent_to_partner_at__isnull=False)),
            taken_on=Count("pk", filter=Q(partner_answer=PartnerAnswer.TAKEN_ON)),
        )
        .order_by()
    )
    lines = [
        PartnerKindLine(
            label=str(labels.get(row["partner__kind"], row["partner__kind"])),
            made=Figure(row["n"]),
            sent=Figure(row["sent"]),
            taken_on=Figure(row["taken_on"]),
        )
        for row in rows
    ]
    # Ordered by what is shown, as the other lines.
    return sorted(lines, key=lambda line: (-line.made.rounded, line.label))


def _median_days_to_contact(made) -> float | None:
    """Days from sending the referral to the partner's first "member contacted" (or
    "taken on"), the median to the nearest half day; not shown under SMALL_CELL referrals."""
    delays = [
        (contacted - sent).total_seconds() / 86400
        for sent, contacted in made.filter(
            sent_to_partner_at__isnull=False, partner_contacted_at__isnull=False
        ).values_list("sent_to_partner_at", "partner_contacted_at")
    ]
    if not enough(len(delays)):
        return None
    return round(2 * median(delays)) / 2
