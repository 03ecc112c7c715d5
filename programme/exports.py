"""CSV exports for managers; spreadsheet formulas are neutralised."""

import csv
from collections.abc import Iterable
from io import StringIO

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
