"""CSV files for download (managers' exports); spreadsheet formulas are neutralised.

A cell written by a member (a name, a comment) could start with "=" and run as a formula
when a manager opens the file in a spreadsheet (CSV injection); such cells get a leading
apostrophe, which spreadsheets show as text.
"""

import csv
from collections.abc import Iterable
from io import StringIO

from django.http import HttpResponse

# A cell starting with one of these runs as a formula in spreadsheet software.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def csv_text(header: Iterable, rows: Iterable[Iterable]) -> str:
    buffer = StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue()


def csv_response(filename: str, header: Iterable, rows: Iterable[Iterable]) -> HttpResponse:
    """A CSV file (UTF-8, formulas neutralised) the browser saves under `filename`."""
    response = HttpResponse(csv_text(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
