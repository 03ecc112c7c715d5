"""Routing suggestions: which partners fit a case. Pure: no database, no clock.

The order an advisor reads, from first to last:
1. When the situation is urgent (urgency "high", a "crisis" need, or an attached result
   that points at acute distress), crisis lines come before everything else.
2. Partners who help people in the person's language before those who do not.
3. More of the case's needs served before fewer.
4. A partner based in the person's province before one that serves all of Belgium.
5. Name, so that the order never changes from one page load to the next.

A partner that serves none of the case's needs is left out (crisis lines excepted when
urgent), and so is one that does not work in the person's province.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from .choices import NATIONAL, NeedCategory, Urgency


@dataclass(frozen=True)
class PartnerFacts:
    """What routing needs to know about a partner."""

    key: int
    name: str
    needs: frozenset[str]
    areas: frozenset[str]
    languages: frozenset[str]
    is_crisis_line: bool = False


@dataclass(frozen=True)
class Suggestion:
    partner: PartnerFacts
    matched_needs: tuple[str, ...]
    in_province: bool
    speaks_language: bool
    crisis_first: bool

    def sort_key(self) -> tuple:
        return (
            not self.crisis_first,
            not self.speaks_language,
            -len(self.matched_needs),
            not self.in_province,
            self.partner.name.casefold(),
            self.partner.key,
        )


def is_urgent(*, urgency: int, needs: Iterable[str], acute: bool = False) -> bool:
    return acute or urgency >= Urgency.HIGH or NeedCategory.CRISIS in set(needs)


def serves_region(partner: PartnerFacts, region: str) -> bool:
    return not region or NATIONAL in partner.areas or region in partner.areas


def rank_partners(
    partners: Iterable[PartnerFacts],
    *,
    needs: Iterable[str],
    region: str,
    language: str,
    urgency: int,
    acute: bool = False,
    limit: int | None = None,
) -> list[Suggestion]:
    wanted = set(needs)
    urgent = is_urgent(urgency=urgency, needs=wanted, acute=acute)
    suggestions = []
    for partner in partners:
        if not serves_region(partner, region):
            continue
        matched = tuple(sorted(wanted & partner.needs))
        crisis_first = urgent and partner.is_crisis_line
        if not matched and not crisis_first:
            continue
        suggestions.append(
            Suggestion(
                partner=partner,
                matched_needs=matched,
                in_province=bool(region) and region in partner.areas,
                speaks_language=language in partner.languages,
                crisis_first=crisis_first,
            )
        )
    suggestions.sort(key=Suggestion.sort_key)
    return suggestions if limit is None else suggestions[:limit]
