"""CSV exports for managers; spreadsheet formulas are neutralised."""

import csv
from collections.abc import Iterable
from io import StringIO

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Enrolment

# A cell starting with one of these runs as a formula in spreadsheet software.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def csv_text(header: list[str], rows: Iterable[Iterable]) -> str:
    buffer = StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue()


def csv_download(text: str, filename: str) -> HttpResponse:
    """A CSV file the browser saves under `filename`."""
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def attendees_csv(confirmed: Iterable[Enrolment]) -> str:
    """A session's confirmed participants: name, e-mail, when they got their seat
    (Belgian time) and their attendance."""
    header = [_("Last name"), _("First name"), _("E-mail"), _("Confirmed at"), _("Attendance")]
    rows = (
        [
            e.user.last_name,
            e.user.first_name,
            e.user.email,
            timezone.localtime(e.confirmed_at).strftime("%Y-%m-%d %H:%M") if e.confirmed_at else "",
            e.get_attendance_display(),
        ]
        for e in confirmed
    )
    return csv_text(header, rows)
