"""How the portal's partner fields are named in HSDS: stable identifiers and taxonomies.

Every identifier HSDS needs is a UUID. A partner's service id is ``Partner.hsds_id``;
the ids of its organization, phone, schedule, areas, languages and attributes are
derived from it (UUID 5), so an export gives the same ids every time and an import
of that export recognises every row.
"""

import uuid
from dataclasses import dataclass
from functools import cache

from django.utils import translation

from common.belgium import Language

from ..choices import AREA_CHOICES, NATIONAL, HelpKind, NeedCategory

HSDS_VERSION = "3.0"
# Fixed once and for all: changing it would change every exported id.
NAMESPACE = uuid.UUID("5b0f3a56-6a43-4c1e-9a5f-0d5e2c1b7e31")
DEFAULT_LANGUAGE = "fr"


def derived_id(base: uuid.UUID | str, what: str) -> str:
    return str(uuid.uuid5(uuid.UUID(str(base)), what))


def global_id(what: str) -> str:
    return str(uuid.uuid5(NAMESPACE, what))


def organization_id(service_id: uuid.UUID | str) -> str:
    return derived_id(service_id, "organization")


@dataclass(frozen=True)
class Term:
    taxonomy: str  # key of TAXONOMIES
    code: str
    name: str
    description: str

    @property
    def id(self) -> str:
        return global_id(f"term:{self.taxonomy}:{self.code}")

    @property
    def taxonomy_id(self) -> str:
        return global_id(f"taxonomy:{self.taxonomy}")


@dataclass(frozen=True)
class Taxonomy:
    key: str
    name: str
    description: str

    @property
    def id(self) -> str:
        return global_id(f"taxonomy:{self.key}")


NEED = "need"
KIND = "kind"
PORTAL = "portal"

# Taxonomy names and descriptions are data, in the directory's language (French), like
# the partners' descriptions: the API answers the same whatever the reader's language.
TAXONOMIES = {
    NEED: Taxonomy(
        NEED,
        "jemb-besoins",
        "Besoins auxquels un partenaire répond (J'entreprends mon bien-être).",
    ),
    KIND: Taxonomy(
        KIND,
        "jemb-types-aide",
        "Type d'aide qu'offre un partenaire (J'entreprends mon bien-être).",
    ),
    PORTAL: Taxonomy(
        PORTAL,
        "jemb-champs",
        "Champs du répertoire sans équivalent HSDS : la valeur de l'attribut les porte.",
    ),
}

CRISIS_LINE = "crisis_line"
SLUG = "slug"
TRANSLATED = {"description_nl": "nl", "description_en": "en"}


def _in_french(label) -> str:
    with translation.override(DEFAULT_LANGUAGE):
        return str(label)


def terms() -> list[Term]:
    needs = [
        Term(NEED, code, _in_french(label), _in_french(label))
        for code, label in NeedCategory.choices
    ]
    kinds = [
        Term(KIND, code, _in_french(label), _in_french(label)) for code, label in HelpKind.choices
    ]
    portal = [
        Term(
            PORTAL, CRISIS_LINE, "ligne de crise", "Ligne d'aide en cas de crise (valeur : true)."
        ),
        Term(
            PORTAL, SLUG, "adresse courte", "Nom court du partenaire dans les adresses du portail."
        ),
        *(
            Term(
                PORTAL,
                field,
                f"description ({code})",
                f"Description du service en {_in_french(dict(Language.choices)[code])}.",
            )
            for field, code in TRANSLATED.items()
        ),
    ]
    return [*needs, *kinds, *portal]


@cache
def terms_by_key() -> dict[tuple[str, str], Term]:
    return {(item.taxonomy, item.code): item for item in terms()}


@cache
def terms_by_id() -> dict[str, Term]:
    return {item.id: item for item in terms()}


def term(taxonomy: str, code: str) -> Term:
    return terms_by_key()[(taxonomy, code)]


# Areas are ISO 3166 codes: the provinces' codes are their ISO 3166-2:BE suffixes.
AREA_URI_PREFIX = "urn:iso:std:iso:3166:"


def area_uri(code: str) -> str:
    return f"{AREA_URI_PREFIX}BE" if code == NATIONAL else f"{AREA_URI_PREFIX}-2:BE-{code}"


def area_from(*, uri: str = "", name: str = "") -> str | None:
    codes = {code for code, _label in AREA_CHOICES}
    if uri.startswith(AREA_URI_PREFIX):
        tail = uri.rsplit(":", 1)[-1]
        code = NATIONAL if tail == "BE" else tail.removeprefix("BE-")
        if code in codes:
            return code
    wanted = name.strip().casefold()
    if not wanted:
        return None
    for code, label in AREA_CHOICES:
        if wanted == code.casefold():
            return code
        for language in ("fr", "nl", "en"):
            with translation.override(language):
                if wanted == str(label).casefold():
                    return code
    return None


def area_name(code: str) -> str:
    return _in_french(dict(AREA_CHOICES)[code])


def language_name(code: str) -> str:
    return _in_french(dict(Language.choices)[code])
