"""The programme managers' statistics: what the programme offered and how members used
it, and the listening cell in counts, over a period of whole months; each table also as
CSV. Reads only, through each app's statistics module."""

from dataclasses import dataclass
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from common.access import requires_permission
from common.csv_export import csv_response
from common.periods import MAX_MONTHS, Period, default_period, months_from
from members.roles import VIEW_STATISTICS
from programme.forms import within_programme_years
from programme.statistics import (
    ProgrammeRow,
    programme_breakdowns,
    programme_statistics,
    total,
)
from referrals.statistics import CellStatistics, Line, cell_statistics

from .report import reach_context

MONTH_INPUT = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=gettext_lazy("From (month)"),
        input_formats=["%Y-%m"],
        widget=MONTH_INPUT,
        validators=[within_programme_years],
    )
    end = forms.DateField(
        label=gettext_lazy("To (month, included)"),
        input_formats=["%Y-%m"],
        widget=MONTH_INPUT,
        validators=[within_programme_years],
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                raise ValidationError(_("The last month comes before the first."))
            if months_from(start, MAX_MONTHS) <= end:
                raise ValidationError(_("Choose at most %(count)s months.") % {"count": MAX_MONTHS})
        return data

    def period(self, today: date) -> Period:
        """The period asked for, or the default one while the form is empty or invalid."""
        if not self.is_bound or not self.is_valid():
            return default_period(today)
        start, end = self.cleaned_data["start"], self.cleaned_data["end"]
        return Period(start=start.replace(day=1), end=months_from(end, 1))


@dataclass(frozen=True)
class Bar:
    month: date
    value: int
    x: float
    y: float
    height: float
    labelled: bool  # one month in `step` carries its name under the axis


@dataclass(frozen=True)
class BarChart:
    """Confirmed seats per month as plain SVG geometry (drawn with attributes only: the
    Content-Security-Policy allows no inline style); the table under it gives the figures."""

    bars: list[Bar]
    width: int
    height: int
    baseline: float
    bar_width: float
    peak: int


def seats_chart(rows: list[ProgrammeRow]) -> BarChart:
    width, height, top, bottom, left = 640, 220, 16, 190, 8
    slot = (width - 2 * left) / max(len(rows), 1)
    peak = max((row.confirmed for row in rows), default=0)
    step = -(-len(rows) // 12)  # at most twelve month names fit under the bars
    bars = []
    for index, row in enumerate(rows):
        bar_height = (bottom - top) * row.confirmed / peak if peak else 0
        bars.append(
            Bar(
                month=row.month,  # type: ignore[arg-type]  # rows by month have one
                value=row.confirmed,
                x=left + index * slot + slot * 0.15,
                y=bottom - bar_height,
                height=bar_height,
                labelled=index % step == 0,
            )
        )
    return BarChart(bars, width, height, bottom, slot * 0.7, peak)


# Each breakdown's table caption and first column.
BREAKDOWN_TITLES = {
    "month": (gettext_lazy("By month"), gettext_lazy("Month")),
    "theme": (gettext_lazy("By theme"), gettext_lazy("Theme")),
    "format": (gettext_lazy("By format"), gettext_lazy("Format")),
    "region": (gettext_lazy("By province"), gettext_lazy("Province")),
}


def _programme_csv(rows: list[ProgrammeRow], first_column: str) -> list[list]:
    """The page's columns in the page's order, with attended and no-shows apart."""
    header = [
        first_column,
        _("Sessions"),
        _("Seats offered"),
        _("Confirmed seats"),
        _("Fill rate (%)"),
        _("Still waiting"),
        _("Attended"),
        _("Did not attend"),
        _("Attendance rate (%)"),
        _("Cancelled by the member"),
        _("Sessions cancelled"),
    ]
    body = [
        [
            row.label,
            row.sessions,
            row.seats,
            row.confirmed,
            row.fill_rate,
            row.waitlisted,
            row.attended,
            row.no_show,
            row.attendance_rate,
            row.member_cancelled,
            row.cancelled_sessions,
        ]
        for row in rows
    ]
    return [header, *body]


def _lines_csv(title: str, lines: list[Line]) -> list[list]:
    return [[title, _("Cases")], *([line.label, str(line.count)] for line in lines)]


def _cell_csv(cell: CellStatistics, table: str) -> list[list]:
    if table == "cell-months":
        return [
            [_("Month"), _("Cases received"), _("First contact by the deadline (%)")],
            *([m.month.strftime("%Y-%m"), str(m.received), m.on_time_rate] for m in cell.months),
        ]
    if table == "cell-partners":
        return [
            [
                _("Kind of help"),
                _("Referrals made"),
                _("Sent to the partner"),
                _("Taken on by the partner (%)"),
            ],
            *(
                [line.label, str(line.made), str(line.sent), line.taken_on_rate]
                for line in cell.partner_kinds
            ),
        ]
    titles = {"cell-outcomes": _("Outcome"), "cell-needs": _("Need"), "cell-regions": _("Region")}
    return _lines_csv(titles[table], getattr(cell, table.removeprefix("cell-")))


PROGRAMME_TABLES = {"months": "month", "themes": "theme", "formats": "format", "regions": "region"}
CELL_TABLES = ("cell-months", "cell-outcomes", "cell-needs", "cell-regions", "cell-partners")


def _csv_response(table: str, period: Period, rows: list[list]) -> HttpResponse:
    name = f"statistics-{table}-{period.start:%Y-%m}-{period.last_month:%Y-%m}.csv"
    return csv_response(name, rows[0], rows[1:])


@require_safe
@requires_permission(VIEW_STATISTICS)
def statistics(request):
    asked = "start" in request.GET or "end" in request.GET
    form = PeriodForm(request.GET if asked else None)
    period = form.period(timezone.localdate())
    if not asked:  # the fields show the period on the page
        form.initial = {"start": period.start, "end": period.last_month}
    # A file for a period that was refused would hold another one: the page says why.
    table = "" if form.errors else request.GET.get("export", "")
    if table in PROGRAMME_TABLES:
        breakdown = PROGRAMME_TABLES[table]
        rows = programme_statistics(period, breakdown)
        column = str(BREAKDOWN_TITLES[breakdown][1])
        return _csv_response(table, period, _programme_csv(rows, column))
    if table in CELL_TABLES:
        return _csv_response(table, period, _cell_csv(cell_statistics(period), table))

    every = programme_breakdowns(period)
    by_month = every["month"]
    breakdowns = [
        (key, *BREAKDOWN_TITLES[breakdown], every[breakdown])
        for key, breakdown in PROGRAMME_TABLES.items()
        if breakdown != "month"
    ]
    context = {
        "form": form,
        "period": period,
        "by_month": by_month,
        "total": total(by_month),
        "chart": seats_chart(by_month),
        "breakdowns": breakdowns,
        "cell": cell_statistics(period),
        **reach_context(period),
        "query": f"start={period.start:%Y-%m}&end={period.last_month:%Y-%m}",
    }
    return render(request, "dashboards/statistics.html", context)
