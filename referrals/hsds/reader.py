"""Reading an HSDS 3.0 datapackage and checking its tables against the official schemas.

What comes in (see importer): the tabular form in JSON, a zip of the tabular CSV files,
or fully nested services. What goes out: the file's tables, each row as the schemas
read it, or ImportRefused with every problem found, each located (table, row, field).
Nothing here touches the database.
"""

import csv
import io
import json
import uuid
import zipfile
import zlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from . import package, schemas
from .serialise import TABLES, Row

MAX_PROBLEMS = 500
# A directory has tens of partners, a big one a few thousand: more rows is no directory,
# and checking each would keep the page busy for minutes.
MAX_ROWS = 10_000
MAX_ZIP_ENTRIES = 50


@dataclass(frozen=True)
class Problem:
    """Why the file cannot be imported: where (table, row counted from 1, field) and what."""

    message: str
    table: str = ""
    row: int | None = None
    field: str = ""

    def __str__(self) -> str:
        where = []
        if self.table:
            where.append(_("table “%(table)s”") % {"table": self.table})
        if self.row is not None:
            where.append(_("row %(row)s") % {"row": self.row})
        if self.field:
            where.append(_("field “%(field)s”") % {"field": self.field})
        if not where:
            return str(self.message)
        return _("%(where)s: %(problem)s") % {"where": ", ".join(where), "problem": self.message}


class ImportRefused(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


# --- Reading the file ----------------------------------------------------------------------


def not_a_datapackage() -> ImportRefused:
    return ImportRefused(
        [
            Problem(
                _(
                    "This file is not an HSDS datapackage: send the JSON datapackage or a zip "
                    "of its CSV files with datapackage.json."
                )
            )
        ]
    )


def _number(value: str) -> Any:
    try:
        number = float(value)
    except ValueError:
        return value
    return int(number) if number.is_integer() else number


def _read_zip(data: bytes) -> dict[str, list[Row]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise not_a_datapackage() from None
    # A zip bomb is refused on its declared sizes, before anything is inflated.
    if len(entries) > MAX_ZIP_ENTRIES or sum(e.file_size for e in entries) > 4 * max_bytes():
        raise ImportRefused([Problem(_("This zip holds too much to be a partner directory."))])
    by_name = {entry.filename.rsplit("/", 1)[-1]: entry for entry in entries}
    if not any(package.csv_path(table) in by_name for table in TABLES):
        raise not_a_datapackage()
    tables: dict[str, list[Row]] = {}
    for table in TABLES:
        entry = by_name.get(package.csv_path(table))
        if entry is None:
            continue
        numbers = {
            name
            for name, spec in schemas.tabular_item_schema(table)["properties"].items()
            if spec.get("type") == "number"
        }
        try:
            text = archive.read(entry).decode("utf-8-sig")
        except (
            UnicodeDecodeError,
            zipfile.BadZipFile,
            zlib.error,
            OSError,
            EOFError,
            RuntimeError,  # encrypted
            NotImplementedError,  # compression method Python lacks
        ):
            raise ImportRefused(
                [Problem(_("This file cannot be read as UTF-8 CSV."), table=table)]
            ) from None
        try:
            tables[table] = [
                {
                    key: _number(value) if key in numbers else value
                    for key, value in record.items()
                    if key and value not in ("", None)
                }
                for record in csv.DictReader(io.StringIO(text))
            ]
        except csv.Error as error:
            raise ImportRefused(
                [
                    Problem(
                        _("This CSV file is malformed: %(error)s") % {"error": error}, table=table
                    )
                ]
            ) from None
    return tables


NESTED = {
    "phones": "phone",
    "schedules": "schedule",
    "service_areas": "service_area",
    "languages": "language",
}


def _flatten_services(services: list[Any]) -> dict[str, list[Row]]:
    """Fully nested services (service.json) as tabular rows, after checking each one
    against service.json so errors name the service and the path inside it."""
    if len(services) > MAX_ROWS:
        raise ImportRefused(
            [
                Problem(
                    _("Too many rows (%(count)s; at most %(max)s).")
                    % {"count": len(services), "max": MAX_ROWS},
                    "service",
                )
            ]
        )
    problems: list[Problem] = []
    validator = schemas.validator("service.json")
    for number, service in enumerate(services, start=1):
        if len(problems) >= MAX_PROBLEMS:
            break
        for error in validator.iter_errors(service):
            problems.append(_problem_from_schema(error, "service", number))
    if problems:
        raise ImportRefused(problems)
    tables: dict[str, list[Row]] = {name: [] for name in TABLES}
    organizations: dict[str, Row] = {}
    for service in services:
        flat = {k: v for k, v in service.items() if not isinstance(v, list | dict)}
        organization = service.get("organization")
        if isinstance(organization, dict) and "id" in organization:
            flat.setdefault("organization_id", organization["id"])
            organizations.setdefault(
                organization["id"],
                {k: v for k, v in organization.items() if not isinstance(v, list | dict)},
            )
        tables["service"].append(flat)
        for key, table in NESTED.items():
            for item in service.get(key, []):
                row = {k: v for k, v in item.items() if not isinstance(v, list | dict)}
                row.setdefault("service_id", service["id"])
                tables[table].append(row)
        for item in service.get("attributes", []):
            row = {k: v for k, v in item.items() if not isinstance(v, list | dict)}
            row.setdefault("link_id", service["id"])
            row.setdefault("link_entity", "service")
            tables["attribute"].append(row)
    tables["organization"] = list(organizations.values())
    return tables


def max_bytes() -> int:
    return settings.HSDS_IMPORT_MAX_BYTES


def check_size(size: int) -> None:
    """Refuse a file by its size alone, before reading it."""
    if size > max_bytes():
        raise ImportRefused(
            [
                Problem(
                    _("This file is too large (%(size)s MB; at most %(max)s MB).")
                    % {
                        "size": round(size / 1024 / 1024, 1),
                        "max": round(max_bytes() / 1024 / 1024, 1),
                    }
                )
            ]
        )


def read(data: bytes) -> dict[str, list[Row]]:
    """The file's tables, or ImportRefused when it is no HSDS datapackage at all."""
    check_size(len(data))
    if data[:4] == b"PK\x03\x04":
        return _read_zip(data)
    try:
        content = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise not_a_datapackage() from None
    if isinstance(content, dict) and isinstance(content.get("contents"), list):
        content = content["contents"]
    if isinstance(content, list):
        if not content or not all(isinstance(item, dict) for item in content):
            raise not_a_datapackage()
        return _flatten_services(content)
    if isinstance(content, dict) and any(table in content for table in TABLES):
        return {table: content[table] for table in TABLES if table in content}
    raise not_a_datapackage()


# --- Checking the tables -------------------------------------------------------------------


def _problem_from_schema(error, table: str, row: int) -> Problem:
    path = ".".join(str(part) for part in error.absolute_path)
    if error.validator == "required":
        missing = [name for name in error.validator_value if name not in error.instance]
        name = missing[0] if missing else ""
        return Problem(_("This field is required."), table, row, f"{path}.{name}" if path else name)
    if error.validator == "type":
        expected = error.validator_value
        return Problem(
            _("Expected a value of type %(type)s, got %(value)s.")
            % {
                "type": " or ".join(expected) if isinstance(expected, list) else expected,
                "value": json.dumps(error.instance, ensure_ascii=False)[:60],
            },
            table,
            row,
            path,
        )
    if error.validator == "format":
        return Problem(
            _("“%(value)s” is not a valid %(format)s.")
            % {"value": str(error.instance)[:60], "format": error.validator_value},
            table,
            row,
            path,
        )
    if error.validator == "enum":
        return Problem(
            _("Expected one of: %(values)s.")
            % {"values": ", ".join(map(str, error.validator_value))},
            table,
            row,
            path,
        )
    return Problem(error.message[:200], table, row, path)


def _canonical_ids(tables: dict[str, list[Row]]) -> None:
    """UUIDs in one spelling (lower case), so ids match whatever case the file wrote them in;
    the schemas have checked that each is a UUID."""
    for table in TABLES:
        properties = schemas.tabular_item_schema(table)["properties"]
        keys = [key for key, spec in properties.items() if spec.get("format") == "uuid"]
        for row in tables.get(table, []):
            for key in keys:
                if key in row:
                    row[key] = str(uuid.UUID(row[key]))


def check(tables: dict[str, Any]) -> list[Problem]:
    """Every problem of the tables, each located; on success the ids are canonical."""
    problems: list[Problem] = []
    for table in TABLES:
        rows = tables.get(table, [])
        if not isinstance(rows, list):
            problems.append(Problem(_("Expected a list of rows."), table))
            continue
        if len(rows) > MAX_ROWS:
            problems.append(
                Problem(
                    _("Too many rows (%(count)s; at most %(max)s).")
                    % {"count": len(rows), "max": MAX_ROWS},
                    table,
                )
            )
            continue
        validator = schemas.tabular_item_validator(table)
        required = schemas.tabular_item_schema(table).get("tabular_required", [])
        for number, row in enumerate(rows, start=1):
            if len(problems) >= MAX_PROBLEMS:
                return problems
            if not isinstance(row, dict):
                problems.append(Problem(_("Expected an object with fields."), table, number))
                continue
            for error in validator.iter_errors(row):
                problems.append(_problem_from_schema(error, table, number))
            for name in required:
                if name not in row:
                    problems.append(Problem(_("This field is required."), table, number, name))
    if problems:
        return problems
    _canonical_ids(tables)
    for table in TABLES:
        seen: dict[str, int] = {}
        for number, row in enumerate(tables.get(table, []), start=1):
            if row["id"] in seen:
                problems.append(
                    Problem(
                        _("This id is already used by row %(row)s.") % {"row": seen[row["id"]]},
                        table,
                        number,
                        "id",
                    )
                )
            else:
                seen[row["id"]] = number
    if problems:
        return problems
    if not tables.get("service"):
        return [Problem(_("The file holds no service."), "service")]
    organizations = {row["id"] for row in tables.get("organization", [])}
    services = {row["id"] for row in tables["service"]}
    for number, row in enumerate(tables["service"], start=1):
        if row["organization_id"] not in organizations:
            problems.append(
                Problem(_("No organization has this id."), "service", number, "organization_id")
            )
    for table in ("phone", "schedule", "service_area", "language"):
        for number, row in enumerate(tables.get(table, []), start=1):
            if "service_id" in row and row["service_id"] not in services:
                problems.append(Problem(_("No service has this id."), table, number, "service_id"))
    for number, row in enumerate(tables.get("attribute", []), start=1):
        if row["link_entity"] == "service" and row["link_id"] not in services:
            problems.append(Problem(_("No service has this id."), "attribute", number, "link_id"))
    return problems
