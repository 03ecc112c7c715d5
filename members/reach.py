"""How many members joined in a period, by province and language, for the quarterly
report. Counts of accounts, nothing about anyone's health (one query)."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count

from common.periods import Period

from .models import MemberProfile
from .roles import Role


@dataclass
class Reach:
    """People counted once in `total`, and in one province and one language."""

    total: int = 0
    by_province: Counter = field(default_factory=Counter)
    by_language: Counter = field(default_factory=Counter)

    def add(self, province: str, language: str, count: int) -> None:
        self.total += count
        self.by_province[province] += count
        self.by_language[language] += count


def reach_of(rows) -> Reach:
    """A Reach from (province, language, count) rows."""
    reach = Reach()
    for province, language, count in rows:
        reach.add(province or "", language or "", count)
    return reach


def members_joined(period: Period) -> Reach:
    start, end = period.bounds
    rows = (
        MemberProfile.objects.filter(
            user__date_joined__gte=start,
            user__date_joined__lt=end,
            user__groups__name=Role.MEMBER.group_name,
        )
        .values_list("province", "preferred_language")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    return reach_of(rows)
