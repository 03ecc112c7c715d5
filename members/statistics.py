"""New members month by month, by province and by language, for the managers' statistics
and the quarterly report (one query).

A member counts in the Belgian month their account was opened. Counts are of accounts,
but a board reads them beside the listening cell's, so they follow the same small-count
rule: 1 to 4 shown as "<5", other counts rounded to the nearest 5, each cell apart.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from common.belgium import BRUSSELS, Language, Province
from common.periods import Period
from common.small_counts import Figure

from .models import MemberProfile
from .roles import Role

NOT_GIVEN = ""


@dataclass(frozen=True)
class Column:
    key: str  # a province or language code, NOT_GIVEN for a profile without one
    label: str


@dataclass(frozen=True)
class JoinedMonth:
    month: date | None  # None for the period's total
    total: Figure
    by_province: list[Figure]  # in the order of NewMembers.provinces
    by_language: list[Figure]  # in the order of NewMembers.languages


@dataclass(frozen=True)
class NewMembers:
    provinces: list[Column]
    languages: list[Column]
    months: list[JoinedMonth]
    total: JoinedMonth


def _columns(choices) -> list[Column]:
    """Every province (or language) and "not given", always all of them, so that the
    columns of two periods' exports line up."""
    return [Column(str(value), str(label)) for value, label in choices] + [
        Column(NOT_GIVEN, _("Not given"))
    ]


def _row(month: date | None, counts: dict, provinces, languages) -> JoinedMonth:
    return JoinedMonth(
        month=month,
        total=Figure(counts["total"]),
        by_province=[Figure(counts["province"][c.key]) for c in provinces],
        by_language=[Figure(counts["language"][c.key]) for c in languages],
    )


def new_members(period: Period) -> NewMembers:
    """Every month of the period, an empty one too, and the period's total."""
    start, end = period.bounds
    rows = (
        MemberProfile.objects.filter(
            user__date_joined__gte=start,
            user__date_joined__lt=end,
            user__groups__name=Role.MEMBER.group_name,
        )
        .annotate(month=TruncMonth("user__date_joined", tzinfo=BRUSSELS))
        .values_list("month", "province", "preferred_language")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )

    def empty() -> dict:
        return {"total": 0, "province": Counter(), "language": Counter()}

    by_month = {month: empty() for month in period.months()}
    whole = empty()
    for moment, province, language, count in rows:
        month = moment.date().replace(day=1)  # TruncMonth gives it in Belgian time already
        for counts in (by_month[month], whole):
            counts["total"] += count
            counts["province"][province or NOT_GIVEN] += count
            counts["language"][language or NOT_GIVEN] += count
    provinces, languages = _columns(Province.choices), _columns(Language.choices)
    return NewMembers(
        provinces=provinces,
        languages=languages,
        months=[_row(month, c, provinces, languages) for month, c in by_month.items()],
        total=_row(None, whole, provinces, languages),
    )
