"""A trend chart as plain SVG geometry: drawn by the template with attributes only.

No JavaScript and no inline style, so the strict Content-Security-Policy holds; the
history page puts a table with the same figures right under each chart.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils import formats, timezone

from .instruments import Instrument
from .models import AssessmentResult

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 40


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    score: Decimal
    label: str


@dataclass(frozen=True)
class ChartLine:
    y: float
    label: str


@dataclass(frozen=True)
class TrendChart:
    width: int
    height: int
    left: int
    right_edge: int
    bottom_edge: int
    points: list[ChartPoint]
    ticks: list[ChartLine]
    # Heights of the band cut-offs; the bands are named in the text under the chart.
    thresholds: list[float]

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


def trend_chart(instrument: Instrument, results: Sequence[AssessmentResult]) -> TrendChart:
    """Results oldest first, evenly spaced; the instrument's band cut-offs drawn across."""
    low, high = float(instrument.score_min), float(instrument.score_max)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def y_of(value: float) -> float:
        return TOP + plot_h * (1 - (value - low) / (high - low))

    count = len(results)
    points = []
    for n, result in enumerate(results):
        x = LEFT + (plot_w / 2 if count == 1 else plot_w * n / (count - 1))
        taken = formats.date_format(timezone.localtime(result.created_at), "SHORT_DATE_FORMAT")
        points.append(ChartPoint(x, y_of(float(result.score)), result.score, taken))
    ticks = [
        ChartLine(y_of(low + (high - low) * k / 4), _tick_label(low + (high - low) * k / 4))
        for k in range(5)
    ]
    thresholds = [y_of(float(band.lower)) for band in instrument.bands[1:]]
    return TrendChart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right_edge=WIDTH - RIGHT,
        bottom_edge=HEIGHT - BOTTOM,
        points=points,
        ticks=ticks,
        thresholds=thresholds,
    )


def _tick_label(value: float) -> str:
    return f"{value:g}" if value == int(value) else f"{value:.1f}"
