"""The small-count rule: a figure about fewer than SMALL_CELL people is never shown as
such (small-cell suppression), since a handful of answers or cases could point at the
people behind them.

Two ways to apply it: aggregates of answers are shown only from SMALL_CELL answers on
(`enough`), and counts that say something about someone's health are shown as "<5" from
1 to 4 and rounded to the nearest 5 otherwise (`Figure`), so that exact counts from two
overlapping periods (or a total beside its parts) cannot give a hidden one away by
subtraction.
"""

from dataclasses import dataclass

SMALL_CELL = 5


def enough(count: int) -> bool:
    """Whether an aggregate of `count` answers may be shown."""
    return count >= SMALL_CELL


@dataclass(frozen=True)
class Figure:
    """An exact count, shown only as "<5" or rounded to the nearest 5.

    A stricter `threshold` (the impact page's 10) suppresses below it and rounds to the
    nearest multiple of it.
    """

    value: int
    threshold: int = SMALL_CELL

    @property
    def suppressed(self) -> bool:
        return 0 < self.value < self.threshold

    @property
    def rounded(self) -> int:
        """What may be told: 0, 1 for any small count, or the nearest multiple of the
        threshold."""
        if self.suppressed:
            return 1
        return self.threshold * ((self.value + self.threshold // 2) // self.threshold)

    def __str__(self) -> str:
        return f"<{self.threshold}" if self.suppressed else str(self.rounded)


def rate(part: Figure, whole: Figure) -> int | None:
    """A percentage rounded to the nearest 5, unless the part, the whole or the rest is a
    small count (a 100 % of 3 would say 3)."""
    rest = Figure(whole.value - part.value, whole.threshold)
    if not whole.value or part.suppressed or whole.suppressed or rest.suppressed:
        return None
    return 5 * round(20 * part.value / whole.value)
