"""The programme's impact for managers: the change of the WHO-5 (and PSS-10) between a
participant's first measure and a later one, by group, from the pseudonymised
evaluation under the research consent. Groups under 10 people are suppressed; the CSV
holds the same aggregates, never a participant's score."""

import math
from dataclasses import dataclass

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from assessments.impact import IMPACT_THRESHOLD, ChangeCell, InstrumentImpact, impact_figures
from common.access import requires_permission
from common.csv_export import csv_response
from members.roles import VIEW_STATISTICS

WIDTH, ROW, TOP, LABEL_W, RIGHT, AXIS_LABEL = 640, 28, 28, 200, 16, 24


@dataclass(frozen=True)
class ChartRow:
    label: str
    y: float
    x_mean: float
    x_low: float
    x_high: float
    cell: ChangeCell


@dataclass(frozen=True)
class ChartTick:
    x: float
    label: str


@dataclass(frozen=True)
class ForestChart:
    """Mean change and its 95 % interval per shown group, as SVG geometry."""

    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_bottom: int  # the axis label sits under it
    zero_x: float
    rows: list[ChartRow]
    ticks: list[ChartTick]


def groups(impact: InstrumentImpact) -> list[tuple[str, ChangeCell]]:
    """(breakdown title, cell) in the order of the table."""
    rows = [(_("Overall"), impact.overall)]
    rows += [(_("Modules attended"), cell) for cell in impact.by_modules]
    rows += [(_("Format attended"), cell) for cell in impact.by_format]
    return rows


def forest_chart(impact: InstrumentImpact) -> ForestChart | None:
    shown = [cell for _title, cell in groups(impact) if cell.shown]
    if not shown:
        return None
    reach = max(max(abs(c.ci_low or 0), abs(c.ci_high or 0)) for c in shown)
    bound = max(10, 5 * math.ceil(reach / 5))
    left, right = LABEL_W, WIDTH - RIGHT

    def x_of(value: float) -> float:
        return left + (right - left) * (value + bound) / (2 * bound)

    rows = [
        ChartRow(
            label=cell.label,
            y=TOP + index * ROW + ROW / 2,
            x_mean=x_of(cell.mean_change or 0),
            x_low=x_of(cell.ci_low or 0),
            x_high=x_of(cell.ci_high or 0),
            cell=cell,
        )
        for index, cell in enumerate(shown)
    ]
    ticks = [
        ChartTick(x_of(v), f"{v:+g}" if v else "0")
        for v in (-bound, -bound / 2, 0, bound / 2, bound)
    ]
    plot_bottom = TOP + len(rows) * ROW + 8
    return ForestChart(
        width=WIDTH,
        height=plot_bottom + AXIS_LABEL,
        plot_left=left,
        plot_bottom=plot_bottom,
        plot_right=right,
        zero_x=x_of(0),
        rows=rows,
        ticks=ticks,
    )


def impact_csv_rows(figures: list[InstrumentImpact]) -> list[list]:
    header = [
        _("Instrument"),
        _("Breakdown"),
        _("Group"),
        _("Participants (rounded)"),
        _("Mean change"),
        _("95 % CI, low"),
        _("95 % CI, high"),
        _("Relevant improvement (%)"),
    ]
    body = []
    for impact in figures:
        for title, cell in groups(impact):
            body.append(
                [
                    impact.name,
                    title,
                    cell.label,
                    str(cell.participants),
                    "" if cell.mean_change is None else cell.mean_change,
                    "" if cell.ci_low is None else cell.ci_low,
                    "" if cell.ci_high is None else cell.ci_high,
                    "" if cell.improved_rate is None else cell.improved_rate,
                ]
            )
    return [header, *body]


@require_safe
@requires_permission(VIEW_STATISTICS)
def impact(request):
    figures = impact_figures()
    if request.GET.get("export") == "csv":
        rows = impact_csv_rows(figures)
        name = f"impact-{timezone.localdate():%Y-%m-%d}.csv"
        return csv_response(name, rows[0], rows[1:])
    context = {
        "instruments": [(impact, groups(impact), forest_chart(impact)) for impact in figures],
        "threshold": IMPACT_THRESHOLD,
    }
    return render(request, "dashboards/impact.html", context)
