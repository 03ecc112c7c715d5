"""The official HSDS 3.0 JSON schemas, vendored in schema/ (see schema/README.md).

The canonical schemas refer to each other by file name ("phone.json"); they are
registered under the address they are published at, so those references resolve
offline.

jsonschema is imported when a validator is first wanted: with its format checkers it
builds dozens of grammars (rfc3987_syntax) on import, seconds that every web process
paid on its first request through the URLconf, for pages that never validate anything.
"""

import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from referencing import Registry
from referencing.jsonschema import DRAFT202012

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator

SCHEMA_DIR = Path(__file__).parent / "schema"
BASE_URI = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"


@cache
def load(name: str) -> dict[str, Any]:
    """A vendored file by its path under schema/, such as "service.json"."""
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))


@cache
def registry() -> Registry:
    resources = [
        (BASE_URI + path.name, DRAFT202012.create_resource(load(path.name)))
        for path in sorted(SCHEMA_DIR.glob("*.json"))
        if path.name not in ("datapackage.json", "openapi.json")
    ]
    resources += [
        (
            f"{BASE_URI}compiled/{path.name}",
            DRAFT202012.create_resource(load(f"compiled/{path.name}")),
        )
        for path in sorted((SCHEMA_DIR / "compiled").glob("*.json"))
    ]
    return Registry().with_resources(resources)


@cache
def validator(name: str, pointer: str = "") -> "Draft202012Validator":
    """A validator for a vendored schema ("service.json", "compiled/tabular.json"), or a
    part of one through a JSON pointer ("#/properties/service/items")."""
    from jsonschema import Draft202012Validator, FormatChecker

    return Draft202012Validator(
        {"$ref": BASE_URI + name + pointer},
        registry=registry(),
        format_checker=FormatChecker(),
    )


@cache
def tabular_item_validator(table: str) -> "Draft202012Validator":
    from jsonschema import Draft202012Validator, FormatChecker

    # The compiled items are self-contained: validating against them directly spares
    # resolving a reference for every row of the file.
    return Draft202012Validator(tabular_item_schema(table), format_checker=FormatChecker())


def tabular_item_schema(table: str) -> dict[str, Any]:
    return load("compiled/tabular.json")["properties"][table]["items"]


@cache
def page_validator(item_schema: str) -> "Draft202012Validator":
    """A list answer of the API: the openapi's Page with its contents."""
    from jsonschema import Draft202012Validator, FormatChecker

    page = load("openapi.json")["components"]["schemas"]["Page"]
    return Draft202012Validator(
        {
            "allOf": [page],
            "type": "object",
            "required": list(page["properties"]) + ["contents"],
            "properties": {
                "contents": {"type": "array", "items": {"$ref": BASE_URI + item_schema}}
            },
        },
        registry=registry(),
        format_checker=FormatChecker(),
    )
