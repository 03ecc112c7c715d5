"""The HSDS Tabular Data Package: one CSV file per table and the spec's datapackage.json.

The descriptor is the official one (schema/datapackage.json) cut down to the tables the
directory writes, so each CSV has exactly the columns the specification lists.
"""

import csv
import io
import json
import zipfile
from typing import Any

from . import schemas
from .serialise import TABLES, Row


def _resources() -> dict[str, dict[str, Any]]:
    return {item["name"]: item for item in schemas.load("datapackage.json")["resources"]}


def descriptor() -> dict[str, Any]:
    official = schemas.load("datapackage.json")
    resources = _resources()
    return {
        **{key: value for key, value in official.items() if key != "resources"},
        "name": "jemb_partner_directory",
        "title": "J'entreprends mon bien-être — répertoire des partenaires (HSDS 3.0)",
        "resources": [resources[name] for name in TABLES],
    }


def columns(table: str) -> list[str]:
    return [field["name"] for field in _resources()[table]["schema"]["fields"]]


def csv_path(table: str) -> str:
    return _resources()[table]["path"]


def write_zip(tables: dict[str, list[Row]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datapackage.json", json.dumps(descriptor(), ensure_ascii=False, indent=2))
        for table in TABLES:
            text = io.StringIO()
            writer = csv.DictWriter(text, fieldnames=columns(table), lineterminator="\r\n")
            writer.writeheader()
            for row in tables.get(table, []):
                writer.writerow(
                    {key: value for key, value in row.items() if key in writer.fieldnames}
                )
            archive.writestr(csv_path(table), text.getvalue())
    return buffer.getvalue()
