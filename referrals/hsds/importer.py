"""Reading an HSDS 3.0 datapackage into the partner directory.

Accepted: the tabular form in JSON (what /api/hsds/datapackage.json gives), a zip of
the tabular CSV files with their datapackage.json, or JSON fully nested services (a
list of them, or an API page with "contents"). Each service becomes one partner,
matched by its id (Partner.hsds_id): a new id creates a partner, a known one updates
it when something differs and leaves it alone otherwise; partners absent from the
file are left alone. Nothing is written unless the whole file is valid, and then in
one transaction.

The file is read and checked by reader; here its rows become partners, compared with
the directory and written through the partner services.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import slugify
from django.utils.translation import gettext as _

# Through the package, not services.partners: tests replace services.partner_create.
from .. import services as partner_services
from ..choices import HelpKind, NeedCategory
from ..models import Partner
from ..phones import normalise_service_phone
from ..selectors.partners import PARTNER_DETAILS
from . import reader
from .reader import ImportRefused, Problem, check, read
from .serialise import Row
from .vocabulary import CRISIS_LINE, KIND, NEED, PORTAL, SLUG, area_from, terms_by_id

LANGUAGES = ("fr", "nl", "en")
# Partner fields compared to tell an update from a row left alone, and written.
FIELDS = (
    "name",
    "alternate_name",
    "kind",
    "description_fr",
    "description_nl",
    "description_en",
    "phone",
    "email",
    "url",
    "opening_hours",
    "is_crisis_line",
    "is_active",
    "last_verified_on",
)
# Where each partner field comes from, to name it in an error message.
SOURCE_OF = {
    "name": ("service", "name"),
    "alternate_name": ("service", "alternate_name"),
    "kind": ("service", "attributes"),
    "description_fr": ("service", "description"),
    "description_nl": ("service", "attributes"),
    "description_en": ("service", "attributes"),
    "phone": ("phone", "number"),
    "email": ("service", "email"),
    "url": ("service", "url"),
    "opening_hours": ("schedule", "description"),
    "last_verified_on": ("service", "assured_date"),
}


@dataclass
class PartnerData:
    hsds_id: str
    slug: str
    fields: dict[str, Any]
    needs: tuple[str, ...]
    areas: tuple[str, ...]
    languages: tuple[str, ...]
    row: int

    def snapshot(self) -> dict[str, Any]:
        return {
            **self.fields,
            "needs": self.needs,
            "areas": self.areas,
            "languages": self.languages,
        }


def snapshot(partner: Partner) -> dict[str, Any]:
    """A partner as the importer compares it (its relations prefetched)."""
    return {
        **{name: getattr(partner, name) for name in FIELDS},
        "needs": tuple(sorted(item.need for item in partner.needs.all())),
        "areas": tuple(sorted(item.area for item in partner.areas.all())),
        "languages": tuple(sorted(item.language for item in partner.languages.all())),
    }


@dataclass
class Change:
    data: PartnerData
    partner: Partner | None = None
    changed: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.data.fields["name"]

    @property
    def changed_labels(self) -> list[str]:
        relations = {"needs": _("needs"), "areas": _("areas"), "languages": _("languages")}
        return [
            # A changed name is a relation above or a column, which has a verbose_name.
            relations.get(name) or str(Partner._meta.get_field(name).verbose_name)  # type: ignore[union-attr]
            for name in self.changed
        ]


@dataclass
class Report:
    created: list[Change] = field(default_factory=list)
    updated: list[Change] = field(default_factory=list)
    unchanged: list[Change] = field(default_factory=list)
    not_in_file: int = 0
    applied: bool = False

    @property
    def changes(self) -> int:
        return len(self.created) + len(self.updated)


# --- From HSDS rows to partners ------------------------------------------------------------


def _by(rows: list[Row], key: str, keep=lambda row: True) -> dict[str, list[tuple[int, Row]]]:
    """Rows grouped by the value of key, each with its row number in the whole table."""
    grouped: dict[str, list[tuple[int, Row]]] = {}
    for number, row in enumerate(rows, start=1):
        if key in row and keep(row):
            grouped.setdefault(row[key], []).append((number, row))
    return grouped


def _date(value: str) -> date | None:
    try:
        moment = parse_datetime(value)
        return moment.date() if moment else parse_date(value)
    except ValueError:  # well-formed but impossible, such as 2026-02-30
        return None


def partners_from(tables: dict[str, list[Row]]) -> tuple[list[PartnerData], list[Problem]]:
    problems: list[Problem] = []
    known_terms = terms_by_id()
    organizations = {row["id"]: row for row in tables.get("organization", [])}
    phones = _by(tables.get("phone", []), "service_id")
    org_phones = _by(
        tables.get("phone", []), "organization_id", lambda row: "service_id" not in row
    )
    schedules = _by(tables.get("schedule", []), "service_id")
    areas = _by(tables.get("service_area", []), "service_id")
    languages = _by(tables.get("language", []), "service_id")
    attributes = _by(
        tables.get("attribute", []), "link_id", lambda row: row["link_entity"] == "service"
    )
    result = []
    for number, service in enumerate(tables["service"], start=1):
        organization = organizations[service["organization_id"]]
        service_problems: list[Problem] = []

        def refuse(message, table="service", row=number, name="", *, bucket=service_problems):
            bucket.append(Problem(message, table, row, name))

        kinds, needs, portal = [], set(), {}
        for _row, attribute in attributes.get(service["id"], []):
            found = known_terms.get(attribute["taxonomy_term_id"])
            if found is None:
                continue
            if found.taxonomy == KIND:
                kinds.append(found.code)
            elif found.taxonomy == NEED:
                needs.add(found.code)
            elif found.taxonomy == PORTAL:
                portal[found.code] = attribute.get("value", "")
        if len(set(kinds)) != 1 or kinds[0] not in HelpKind.values:
            refuse(
                _("Give the service exactly one kind of help (taxonomy jemb-types-aide)."),
                name="attributes",
            )
        if not needs or not needs <= set(NeedCategory.values):
            refuse(
                _("Give the service at least one need (taxonomy jemb-besoins)."), name="attributes"
            )
        area_codes = set()
        for row_number, row in areas.get(service["id"], []):
            code = area_from(uri=row.get("uri", ""), name=row.get("name", ""))
            if code is None:
                refuse(
                    _("Not a Belgian province, Brussels or all of Belgium."),
                    "service_area",
                    row_number,
                    "uri",
                )
            else:
                area_codes.add(code)
        if not areas.get(service["id"]):
            refuse(_("Give the service at least one service area."), name="service_areas")
        language_codes = set()
        for row_number, row in languages.get(service["id"], []):
            code = str(row.get("code", "")).strip().lower()[:2]
            if code in LANGUAGES:
                language_codes.add(code)
            else:
                refuse(
                    _("Only French (fr), Dutch (nl) and English (en) are known."),
                    "language",
                    row_number,
                    "code",
                )
        if not languages.get(service["id"]):
            refuse(_("Give the service at least one language."), name="languages")
        phone_rows = phones.get(service["id"]) or org_phones.get(organization["id"]) or []
        phone_number, phone = phone_rows[0] if phone_rows else (None, {})
        schedule_rows = schedules.get(service["id"]) or []
        schedule_number, schedule = schedule_rows[0] if schedule_rows else (None, {})
        verified = None
        if "assured_date" in service:
            verified = _date(service["assured_date"])
            if verified is None:
                refuse(_("Expected a date such as 2026-11-02."), name="assured_date")
        fields = {
            "name": service["name"],
            "alternate_name": service.get("alternate_name", ""),
            "kind": kinds[0] if kinds else "",
            "description_fr": service.get("description") or organization.get("description", ""),
            "description_nl": portal.get("description_nl", ""),
            "description_en": portal.get("description_en", ""),
            "phone": phone.get("number", ""),
            "email": service.get("email") or organization.get("email", ""),
            "url": service.get("url") or organization.get("website", ""),
            "opening_hours": schedule.get("description") or schedule.get("notes", ""),
            "is_crisis_line": str(portal.get(CRISIS_LINE, "")).lower() == "true",
            "is_active": service["status"] == "active",
            "last_verified_on": verified,
        }
        if fields["phone"]:
            try:
                fields["phone"] = normalise_service_phone(fields["phone"])
            except ValidationError as error:
                refuse(error.messages[0], "phone", phone_number, "number")
        candidate = Partner(slug="x", **fields)
        try:
            candidate.full_clean(exclude=["slug", "hsds_id", "kind"], validate_unique=False)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                table, source = SOURCE_OF.get(
                    name, ("service", "" if name == NON_FIELD_ERRORS else name)
                )
                at_row = {"service": number, "phone": phone_number, "schedule": schedule_number}[
                    table
                ]
                for message in messages:
                    refuse(message, table, at_row, source)
        problems += service_problems
        if not service_problems:
            result.append(
                PartnerData(
                    hsds_id=service["id"],
                    slug=str(portal.get(SLUG, "")),
                    fields=fields,
                    needs=tuple(sorted(needs)),
                    areas=tuple(sorted(area_codes)),
                    languages=tuple(sorted(language_codes)),
                    row=number,
                )
            )
    return result, problems


# --- Planning and applying -----------------------------------------------------------------


def plan(partners: list[PartnerData]) -> Report:
    report = Report()
    existing = {
        str(partner.hsds_id): partner
        for partner in Partner.objects.filter(
            hsds_id__in=[data.hsds_id for data in partners]
        ).prefetch_related(*PARTNER_DETAILS)
    }
    for data in partners:
        partner = existing.get(data.hsds_id)
        if partner is None:
            report.created.append(Change(data))
            continue
        before, after = snapshot(partner), data.snapshot()
        changed = [name for name in after if before[name] != after[name]]
        (report.updated if changed else report.unchanged).append(Change(data, partner, changed))
    report.not_in_file = Partner.objects.exclude(
        hsds_id__in=[data.hsds_id for data in partners]
    ).count()
    return report


def _free_slug(wanted: str, name: str, taken: set[str]) -> str:
    base = slugify(wanted)[:80] or slugify(name)[:70] or "partenaire"
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base[:70]}-{n}"
    taken.add(slug)
    return slug


def _apply(report: Report) -> None:
    taken = set(Partner.objects.values_list("slug", flat=True))
    for change in report.created:
        data = change.data
        partner_services.partner_create(
            hsds_id=data.hsds_id,
            slug=_free_slug(data.slug, data.fields["name"], taken),
            needs=data.needs,
            areas=data.areas,
            languages=data.languages,
            **data.fields,
        )
    for change in report.updated:
        data = change.data
        assert change.partner is not None  # an update names the partner it changes
        partner_services.partner_update(
            partner=change.partner,
            needs=data.needs,
            areas=data.areas,
            languages=data.languages,
            **data.fields,
        )


def hsds_import(*, data: bytes, dry_run: bool) -> Report:
    """Import an HSDS datapackage (see the module's docstring); raises ImportRefused with
    every problem found, and then writes nothing."""
    try:
        tables = read(data)
        problems = check(tables)
        if problems:
            raise ImportRefused(problems[: reader.MAX_PROBLEMS])
        partners, problems = partners_from(tables)
    except RecursionError:
        # Values nested hundreds deep: no HSDS field is, and validating them would not end well.
        raise reader.not_a_datapackage() from None
    if problems:
        raise ImportRefused(problems[: reader.MAX_PROBLEMS])
    with transaction.atomic():
        report = plan(partners)
        if dry_run:
            return report
        try:
            _apply(report)
        except ValidationError as error:
            raise ImportRefused([Problem(message) for message in error.messages]) from None
        report.applied = True
    return report
