"""The partner directory written as HSDS 3.0: one partner is one service and its organization.

Where the portal has a field HSDS lacks (the kind of help, the crisis-line flag, the
Dutch and English descriptions), it travels as an attribute of the service in the
portal's own taxonomies, so that an export imported back gives the same partners.
Empty fields are left out rather than written as "" (an empty e-mail or URL would not
be a valid one).
"""

from collections.abc import Iterable
from typing import Any

from ..models import Partner
from .vocabulary import (
    CRISIS_LINE,
    HSDS_VERSION,
    KIND,
    NEED,
    PORTAL,
    SLUG,
    TAXONOMIES,
    TRANSLATED,
    area_name,
    area_uri,
    derived_id,
    language_name,
    organization_id,
    term,
    terms,
)

Row = dict[str, Any]

# Table names of the tabular form (compiled/tabular.json), in the order they are written.
TABLES = (
    "organization",
    "service",
    "phone",
    "schedule",
    "service_area",
    "language",
    "attribute",
    "taxonomy",
    "taxonomy_term",
)


def _compact(row: Row) -> Row:
    return {key: value for key, value in row.items() if value not in ("", None)}


def service_id(partner: Partner) -> str:
    return str(partner.hsds_id)


def organization_row(partner: Partner) -> Row:
    return _compact(
        {
            "id": organization_id(partner.hsds_id),
            "name": partner.name,
            "alternate_name": partner.alternate_name,
            "description": partner.description_fr,
            "email": partner.email,
            "website": partner.url,
        }
    )


def service_row(partner: Partner) -> Row:
    return _compact(
        {
            "id": service_id(partner),
            "organization_id": organization_id(partner.hsds_id),
            "name": partner.name,
            "alternate_name": partner.alternate_name,
            "description": partner.description_fr,
            "url": partner.url,
            "email": partner.email,
            "status": "active" if partner.is_active else "inactive",
            "assured_date": partner.last_verified_on.isoformat()
            if partner.last_verified_on
            else None,
            "last_modified": partner.updated_at.isoformat() if partner.updated_at else None,
        }
    )


def service_minimal(partner: Partner) -> Row:
    """/services?minimal=true: what a harvester needs to see what changed."""
    row = service_row(partner)
    return {key: row[key] for key in ("id", "name", "status", "last_modified") if key in row}


def phone_rows(partner: Partner) -> list[Row]:
    if not partner.phone:
        return []
    return [
        {
            "id": derived_id(partner.hsds_id, "phone"),
            "service_id": service_id(partner),
            "number": partner.phone,
            "type": "voice",
        }
    ]


def schedule_rows(partner: Partner) -> list[Row]:
    if not partner.opening_hours:
        return []
    return [
        {
            "id": derived_id(partner.hsds_id, "schedule"),
            "service_id": service_id(partner),
            "description": partner.opening_hours,
        }
    ]


def service_area_rows(partner: Partner) -> list[Row]:
    return [
        {
            "id": derived_id(partner.hsds_id, f"area:{item.area}"),
            "service_id": service_id(partner),
            "name": area_name(item.area),
            "uri": area_uri(item.area),
        }
        for item in partner.areas.all()
    ]


def language_rows(partner: Partner) -> list[Row]:
    return [
        {
            "id": derived_id(partner.hsds_id, f"language:{item.language}"),
            "service_id": service_id(partner),
            "name": language_name(item.language),
            "code": item.language,
        }
        for item in partner.languages.all()
    ]


def _attribute(partner: Partner, taxonomy: str, code: str, value: str = "") -> Row:
    return _compact(
        {
            "id": derived_id(partner.hsds_id, f"attribute:{taxonomy}:{code}"),
            "link_id": service_id(partner),
            "link_type": "service",
            "link_entity": "service",
            "taxonomy_term_id": term(taxonomy, code).id,
            "value": value,
        }
    )


def attribute_rows(partner: Partner) -> list[Row]:
    rows = [_attribute(partner, KIND, partner.kind)]
    rows += [_attribute(partner, NEED, item.need) for item in partner.needs.all()]
    if partner.is_crisis_line:
        rows.append(_attribute(partner, PORTAL, CRISIS_LINE, "true"))
    rows.append(_attribute(partner, PORTAL, SLUG, partner.slug))
    for field in TRANSLATED:
        if text := getattr(partner, field):
            rows.append(_attribute(partner, PORTAL, field, text))
    return rows


def taxonomy_rows() -> list[Row]:
    return [
        {"id": item.id, "name": item.name, "description": item.description}
        for item in TAXONOMIES.values()
    ]


def taxonomy_term_rows() -> list[Row]:
    return [
        {
            "id": item.id,
            "code": item.code,
            "name": item.name,
            "description": item.description,
            "taxonomy": TAXONOMIES[item.taxonomy].name,
            "taxonomy_id": item.taxonomy_id,
        }
        for item in terms()
    ]


# --- The API's forms ----------------------------------------------------------------------


def service_full(partner: Partner) -> Row:
    """/services/{id}: the service with everything about it, its organization included."""
    return {
        **service_row(partner),
        "organization": organization_row(partner),
        "phones": phone_rows(partner),
        "schedules": schedule_rows(partner),
        "service_areas": service_area_rows(partner),
        "languages": language_rows(partner),
        "attributes": attribute_rows(partner),
    }


def organization_full(partner: Partner, *, full_service: bool = False) -> Row:
    """/organizations/{id}: the organization with its service (only its one-to-one fields
    unless full_service)."""
    service = service_full(partner) if full_service else service_row(partner)
    service.pop("organization", None)
    return {**organization_row(partner), "services": [service]}


def page(
    items: Iterable[Row], *, total_items: int, page_number: int, per_page: int
) -> dict[str, Any]:
    contents = list(items)
    total_pages = max(1, -(-total_items // per_page))
    return {
        "total_items": total_items,
        "total_pages": total_pages,
        "page_number": page_number,
        "size": len(contents),
        "first_page": page_number == 1,
        "last_page": page_number >= total_pages,
        "empty": total_items == 0,
        "contents": contents,
    }


def api_index(*, openapi_url: str) -> Row:
    return {
        "version": HSDS_VERSION,
        "profile": "https://docs.openreferral.org/en/latest/hsds/overview.html",
        "openapi_url": openapi_url,
    }


# --- The datapackage: every table, flat, rows linked by id -------------------------------


def tabular(partners: Iterable[Partner]) -> dict[str, list[Row]]:
    """The directory in HSDS's tabular form (compiled/tabular.json): one list of rows per
    table, which is also what the CSV files of the zip hold."""
    tables: dict[str, list[Row]] = {name: [] for name in TABLES}
    for partner in partners:
        tables["organization"].append(organization_row(partner))
        tables["service"].append(service_row(partner))
        tables["phone"] += phone_rows(partner)
        tables["schedule"] += schedule_rows(partner)
        tables["service_area"] += service_area_rows(partner)
        tables["language"] += language_rows(partner)
        tables["attribute"] += attribute_rows(partner)
    tables["taxonomy"] = taxonomy_rows()
    tables["taxonomy_term"] = taxonomy_term_rows()
    return tables
