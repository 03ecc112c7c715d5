"""Bar charts by month as plain SVG geometry for the statistics pages.

Drawn with attributes only (the Content-Security-Policy allows no inline style) by
templates/dashboards/_bar_chart.html, which gives each chart a visible title, both axes
their labels and a text alternative that points to the table holding the same figures.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

WIDTH, HEIGHT = 640, 250
LEFT, RIGHT = 56, 16  # room for the vertical axis, its ticks and its label
TOP, BOTTOM = 12, 192  # the plot area; month names and the axis label sit under it
MAX_MONTH_NAMES = 12  # more would overlap under the bars


@dataclass(frozen=True)
class Bar:
    month: date
    value: int
    shown: str  # what the table says, "<5" for a hidden count
    x: float
    y: float
    height: float
    middle: float  # where its month's name is centred
    labelled: bool  # one month in a few carries its name under the axis


@dataclass(frozen=True)
class Tick:
    value: int
    y: float


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    ticks: list[Tick]
    bar_width: float
    peak: int
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    baseline: int = BOTTOM
    plot_middle: float = HEIGHT / 2  # the vertical axis's label, long in French, fits
    x_middle: float = (LEFT + WIDTH - RIGHT) / 2


def tick_step(peak: int) -> int:
    """A round step (1, 2 or 5 times a power of ten) giving at most four ticks above zero."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if peak <= 4 * step * factor:
                return step * factor
        step *= 10


def monthly_bars(points: Sequence[tuple[date, int, str]]) -> BarChart:
    """One bar per (month, value, value as shown) point, oldest on the left."""
    peak = max((value for _month, value, _shown in points), default=0)
    step = tick_step(peak)
    top = step * -(-peak // step) or 1
    plot = BOTTOM - TOP
    slot = (WIDTH - RIGHT - LEFT) / max(len(points), 1)
    every = -(-len(points) // MAX_MONTH_NAMES) or 1
    bars = []
    for index, (month, value, shown) in enumerate(points):
        height = plot * value / top
        bars.append(
            Bar(
                month=month,
                value=value,
                shown=shown,
                x=LEFT + index * slot + slot * 0.15,
                y=BOTTOM - height,
                height=height,
                middle=LEFT + (index + 0.5) * slot,
                labelled=index % every == 0,
            )
        )
    ticks = [Tick(value, BOTTOM - plot * value / top) for value in range(0, top + 1, step)]
    if not peak:
        ticks = ticks[:1]
    return BarChart(bars=bars, ticks=ticks, bar_width=slot * 0.7, peak=peak)
