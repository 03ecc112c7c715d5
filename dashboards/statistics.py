"""The programme managers' statistics: what the programme offered and how members used
it, and the listening cell in counts, over a period of whole months; each table also as
CSV. Reads only, through each app's statistics module."""

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
from members.statistics import JoinedMonth, NewMembers
from programme.forms import within_programme_years
from programme.statistics import (
    ProgrammeRow,
    programme_breakdowns,
    programme_statistics,
    total,
)
from programme.statistics_use import FormatUse
from referrals.statistics import CellStatistics, Line, cell_statistics

from .charts import BarChart, monthly_bars
from .kept import format_use_kept, new_members_kept
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


def seats_chart(rows: list[ProgrammeRow]) -> BarChart:
    return monthly_bars([(row.month, row.confirmed, str(row.confirmed)) for row in rows])  # type: ignore[misc]  # rows by month have one


def joined_chart(joined: NewMembers) -> BarChart:
    return monthly_bars(
        [(row.month, row.total.rounded, str(row.total)) for row in joined.months]  # type: ignore[misc]  # rows by month have one
    )


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
    titles = {
        "cell-outcomes": _("Outcome"),
        "cell-needs": _("Need"),
        "cell-regions": _("Region"),
        "cell-sources": _("Source"),
    }
    return _lines_csv(titles[table], getattr(cell, table.removeprefix("cell-")))


def _joined_label(row: JoinedMonth) -> str:
    return row.month.strftime("%Y-%m") if row.month else _("Total")


def _new_members_csv(joined: NewMembers, table: str) -> list[list]:
    """By month with the languages beside the total, or by month and province: the
    page's two tables, each with its total line."""
    rows = [*joined.months, joined.total]
    if table == "new-members":
        header = [_("Month"), _("New members"), *(c.label for c in joined.languages)]
        body = [[_joined_label(row), str(row.total), *map(str, row.by_language)] for row in rows]
    else:
        header = [_("Month"), *(c.label for c in joined.provinces)]
        body = [[_joined_label(row), *map(str, row.by_province)] for row in rows]
    return [header, *body]


def content_use_header() -> list[str]:
    return [
        _("Format"),
        _("Members enrolled (a confirmed seat)"),
        _("Members who attended"),
        _("Members who saved a module"),
        _("Openings of the tool"),
    ]


def _content_use_csv(rows: list[FormatUse]) -> list[list]:
    body = [
        [
            row.label,
            "" if row.enrolled is None else str(row.enrolled),
            "" if row.attended is None else str(row.attended),
            str(row.saved),
            "" if row.openings is None else str(row.openings),
        ]
        for row in rows
    ]
    return [content_use_header(), *body]


PROGRAMME_TABLES = {"months": "month", "themes": "theme", "formats": "format", "regions": "region"}
CELL_TABLES = (
    "cell-months",
    "cell-outcomes",
    "cell-needs",
    "cell-regions",
    "cell-sources",
    "cell-partners",
)
NEW_MEMBER_TABLES = ("new-members", "new-members-provinces")


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
    if table in NEW_MEMBER_TABLES:
        joined = new_members_kept(period)
        return _csv_response(table, period, _new_members_csv(joined, table))
    if table == "content-use":
        used = format_use_kept(period)
        return _csv_response(table, period, _content_use_csv(used))

    every = programme_breakdowns(period)
    joined = new_members_kept(period)
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
        "content_use": format_use_kept(period),
        **reach_context(period),
        "new_members": joined,
        "joined_chart": joined_chart(joined),
        "query": f"start={period.start:%Y-%m}&end={period.last_month:%Y-%m}",
    }
    return render(request, "dashboards/statistics.html", context)
