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
from django.utils import timezone
from django.utils.translation import get_language

from common.periods import Period

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
