"""Figures over a period that are slow to count at the fund's scale, kept a while in the
shared cache for the statistics page and the quarterly report.

Who took part, who joined, the new members by month and the use of each format each read
the members or their seats of the whole period: several hundred milliseconds apiece over
150,000 members, counted again on every visit (make bench). They are kept by period and
language (their labels are translated):
- a period that is over, for PERIOD_OVER_SECONDS: an attendance marked late or an erasure
  shows within it (nothing may import dashboards, so no app can say "this period changed");
- a period still running, for RUNNING_SECONDS, as programme.statistics keeps the current
  month: a seat taken a moment ago shows within a minute.
A Redis outage costs nothing: the cache falls back to local memory (common.cache), at
worst the figures are counted again.
"""

from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.translation import get_language

from common.periods import Period
from members.reach import Reach, members_joined
from members.statistics import NewMembers, new_members
from programme.reach import members_active
from programme.statistics_use import FormatUse, format_use

PERIOD_OVER_SECONDS = 600
RUNNING_SECONDS = 60


def kept_key(name: str, period: Period) -> str:
    language = get_language() or settings.LANGUAGE_CODE
    return f"dashboards:{name}:{language}:{period.start:%Y-%m}:{period.end:%Y-%m}"


def kept[T](name: str, period: Period, count: Callable[[Period], T]) -> T:
    """`count(period)`, or what it gave a moment ago."""
    key = kept_key(name, period)
    figures = cache.get(key)
    if figures is None:
        figures = count(period)
        over = period.end <= timezone.localdate()
        cache.set(key, figures, PERIOD_OVER_SECONDS if over else RUNNING_SECONDS)
    return figures


def reach_kept(period: Period) -> tuple[Reach, Reach]:
    """Who took part and who joined in the period (two queries, or none while kept)."""
    return kept("reach", period, lambda p: (members_active(p), members_joined(p)))


def new_members_kept(period: Period) -> NewMembers:
    return kept("new-members", period, new_members)


def format_use_kept(period: Period) -> list[FormatUse]:
    return kept("content-use", period, format_use)


KEPT_NAMES = ("reach", "new-members", "content-use")


def forget_kept(period: Period) -> None:
    """Count the period's figures again at the next visit, in every language."""
    keys = []
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            keys += [kept_key(name, period) for name in KEPT_NAMES]
    cache.delete_many(keys)
