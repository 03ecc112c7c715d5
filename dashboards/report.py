"""The quarterly programme report a manager hands to the fund's board: reach and new
members, sessions, members by format, satisfaction, the listening cell (rounded counts),
feedback handled and the impact figures, for one quarter; as a page and as a printable
PDF (WeasyPrint) with the same content. Reads only, through each app's report and statistics modules."""

from dataclasses import dataclass
from datetime import date

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from assessments.impact import impact_figures
from common.access import requires_permission
from common.belgium import Language, Province
from common.periods import Period, months_from
from common.small_counts import Figure
from members.reach import Reach
from members.roles import VIEW_STATISTICS
from programme.statistics import programme_breakdowns, total
from referrals.statistics import cell_statistics
from surveys.quarterly import changes_made_in, feedback_items_by_status, satisfaction_in

from .kept import PERIOD_OVER_SECONDS, format_use_kept, new_members_kept, reach_kept

# Quarters offered in the selector, the current one included.
QUARTERS_SHOWN = 12


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @property
    def code(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def label(self) -> str:
        return _("Q%(number)s %(year)s") % {"number": self.number, "year": self.year}

    @property
    def period(self) -> Period:
        start = date(self.year, 3 * (self.number - 1) + 1, 1)
        return Period(start=start, end=months_from(start, 3))

    def previous(self) -> "Quarter":
        if self.number == 1:
            return Quarter(self.year - 1, 4)
        return Quarter(self.year, self.number - 1)

    @classmethod
    def of(cls, day: date) -> "Quarter":
        return cls(day.year, (day.month - 1) // 3 + 1)


def quarters_offered(today: date) -> list[Quarter]:
    quarters = [Quarter.of(today)]
    for _n in range(QUARTERS_SHOWN - 1):
        quarters.append(quarters[-1].previous())
    return quarters


class QuarterForm(forms.Form):
    quarter = forms.ChoiceField(label=gettext_lazy("Quarter"))

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.offered = {q.code: q for q in quarters_offered(today)}
        field = self.fields["quarter"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(q.code, q.label) for q in self.offered.values()]
        self.default = Quarter.of(today).previous()  # the last full quarter

    def chosen(self) -> Quarter:
        if self.is_bound and self.is_valid():
            return self.offered[self.cleaned_data["quarter"]]
        return self.default


@dataclass(frozen=True)
class ReachRow:
    label: str
    active: Figure
    joined: Figure


def reach_rows(active: Reach, joined: Reach, attribute: str, choices) -> list[ReachRow]:
    """One row per province (or language) either count names, in the choices' order."""
    mine, new = getattr(active, attribute), getattr(joined, attribute)
    labels = {str(value): str(label) for value, label in choices} | {"": _("Not given")}
    keys = [key for key in labels if mine.get(key) or new.get(key)]
    return [
        ReachRow(labels[key], Figure(mine.get(key, 0)), Figure(new.get(key, 0))) for key in keys
    ]


def reach_context(period: Period) -> dict:
    """Members who took part and members who joined in the period, by province and by
    language (two queries, or none while kept): the report's reach, and the
    statistics page's. Small counts hidden and the others rounded, as the new members by
    month beside them: exact figures here would give theirs away."""
    active, joined = reach_kept(period)
    return {
        "reach": {"active": Figure(active.total), "joined": Figure(joined.total)},
        "reach_tables": [
            (
                _("By province"),
                _("Province"),
                reach_rows(active, joined, "by_province", Province.choices),
            ),
            (
                _("By language"),
                _("Language"),
                reach_rows(active, joined, "by_language", Language.choices),
            ),
        ],
    }


def report_context(quarter: Quarter) -> dict:
    period = quarter.period
    breakdowns = programme_breakdowns(period)
    return {
        "quarter": quarter,
        "period": period,
        **reach_context(period),
        "new_members": new_members_kept(period),
        "programme": total(breakdowns["month"]),
        "by_format": breakdowns["format"],
        "content_use": format_use_kept(period),
        "satisfaction": satisfaction_in(period),
        "cell": cell_statistics(period),
        "feedback": feedback_items_by_status(period),
        "changes": changes_made_in(period, get_language() or settings.LANGUAGE_CODE),
        "impact": impact_figures(until=period.end),
    }


def _refuse_fetch(url: str, *args, **kwargs):
    """The PDF is made from the portal's own HTML and style: nothing to fetch, and no
    request may leave the server while rendering."""
    raise ValueError(f"The report fetches nothing ({url}).")


def report_pdf(context: dict, request=None) -> bytes:
    from weasyprint import HTML  # heavy: loaded when a PDF is asked for

    html = render_to_string("dashboards/report_pdf.html", context, request=request)
    return HTML(string=html, url_fetcher=_refuse_fetch).write_pdf()


# WeasyPrint takes seconds at the fund's scale. A quarter that is over changes only
# through late edits (an attendance marked late, an erasure), so its PDF is kept as long
# as its reach (kept.PERIOD_OVER_SECONDS): a late edit shows within ten minutes, as on the page.
# Not longer with invalidation: the report reads every app and nothing may import
# dashboards, so no app could say "this quarter changed". The current quarter is made
# every time. Keyed by quarter and language: the PDF holds only aggregates, the same for
# every manager. A Redis outage costs nothing here: the cache falls back to local memory
# (common.cache), and at worst the PDF is made again.
REPORT_PDF_SECONDS = PERIOD_OVER_SECONDS


def report_pdf_cache_key(quarter: Quarter, language: str) -> str:
    return f"dashboards:report-pdf:{quarter.code}:{language}"


def report_pdf_kept(quarter: Quarter, request=None) -> bytes:
    """The quarter's PDF: made, or for a quarter that is over, kept for a while."""
    if quarter.period.end > timezone.localdate():
        return report_pdf(report_context(quarter), request)
    key = report_pdf_cache_key(quarter, get_language() or settings.LANGUAGE_CODE)
    kept = cache.get(key)
    if kept is None:
        kept = report_pdf(report_context(quarter), request)
        cache.set(key, kept, REPORT_PDF_SECONDS)
    return kept


@require_safe
@requires_permission(VIEW_STATISTICS)
def report(request):
    form = QuarterForm(
        request.GET if "quarter" in request.GET else None, today=timezone.localdate()
    )
    quarter = form.chosen()
    if not form.is_bound:
        form.initial = {"quarter": quarter.code}
    if request.GET.get("format") == "pdf" and not form.errors:
        response = HttpResponse(report_pdf_kept(quarter, request), content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="programme-report-{quarter.code}.pdf"'
        )
        return response
    context = {"form": form, **report_context(quarter)}
    return render(request, "dashboards/report.html", context)
