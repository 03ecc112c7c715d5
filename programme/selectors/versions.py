"""Reads on language versions: a module's other versions, the catalogue's badges, the
managers' picker."""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import (
    Case,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from common.belgium import Language
from members.models import User
from notifications.links import reverse_absolute

from ..models import Module
from .base import can_manage, modules_published

# "Also in Dutch" in the page's language, for a link to the version in that language:
# one sentence per language, since French and Dutch inflect the name of the language.
ALSO_IN: dict[str, Promise] = {
    Language.FR: _("Also in French"),
    Language.NL: _("Also in Dutch"),
    Language.EN: _("Also in English"),
}
LANGUAGES = tuple(Language.values)


@dataclass(frozen=True)
class VersionLink:
    """A link to the same content in another language."""

    language: str
    slug: str
    title: str

    @property
    def also_in(self) -> Promise:
        return ALSO_IN[self.language]


def _in_language_order() -> Case:
    return Case(
        *(When(language=code, then=Value(n)) for n, code in enumerate(LANGUAGES)),
        default=Value(len(LANGUAGES)),
        output_field=IntegerField(),
    )


def module_versions(module: Module, user: "User | AnonymousUser") -> list[VersionLink]:
    """The module's other versions the viewer may open (managers also see drafts), in
    the order of the languages; no query for a module without versions."""
    if module.version_group_id is None:
        return []
    others = Module.objects.all() if can_manage(user) else modules_published()
    others = (
        others.filter(version_group_id=module.version_group_id)
        .exclude(pk=module.pk)
        .order_by(_in_language_order(), "pk")
    )
    return [VersionLink(m.language, m.slug, m.title) for m in others]


def with_version_slugs(modules: QuerySet[Module]) -> QuerySet[Module]:
    """Each module with `version_<language>`: the slug of its published version in that
    language, or None. Subqueries of the same query: the catalogue's count stays fixed."""
    return modules.annotate(
        **{
            f"version_{code}": Subquery(
                modules_published()
                .filter(version_group=OuterRef("version_group"), language=code)
                .exclude(pk=OuterRef("pk"))
                .values("slug")[:1]
            )
            for code in LANGUAGES
        }
    )


def version_links_of(module: Module) -> list[VersionLink]:
    """The links with_version_slugs() found for a module (titles are not read)."""
    return [
        VersionLink(code, slug, "")
        for code in LANGUAGES
        if (slug := getattr(module, f"version_{code}", None))
    ]


def one_version_per_content(modules: QuerySet[Module], language: str) -> QuerySet[Module]:
    """Of the versions of one content among `modules`, keep only the one in `language`
    when it is among them: a Dutch-speaking member sees the Dutch version, and the French
    one's card is not repeated beside it. Versions the filters left out (no session at
    the chosen date, not matching the search) do not hide the others."""
    # version_group__isnull=False says nothing new (the OuterRef is not null there) but
    # lets PostgreSQL read only the modules that have versions, not re-run a search's
    # filter over the whole catalogue (bench/search.py).
    in_language = modules.filter(
        language=language, version_group__isnull=False, version_group=OuterRef("version_group")
    )
    return modules.filter(
        Q(language=language) | Q(version_group__isnull=True) | ~Exists(in_language)
    )


def version_candidates(module: Module) -> QuerySet[Module]:
    """The modules a manager can link to `module`: other languages, and either without
    versions or (when `module` has none) in versions lacking `module`'s language."""
    others = Module.objects.exclude(language=module.language).exclude(pk=module.pk)
    if module.version_group_id is not None:
        taken = Module.objects.filter(version_group_id=module.version_group_id).values("language")
        candidates = others.filter(version_group__isnull=True).exclude(language__in=taken)
    else:
        has_my_language = Module.objects.filter(
            version_group=OuterRef("version_group"), language=module.language
        )
        candidates = others.filter(Q(version_group__isnull=True) | ~Exists(has_my_language))
    return candidates.order_by(_in_language_order(), "title", "pk")


def alternate_links(module: Module, versions: list[VersionLink]) -> list[tuple[str, str]]:
    """(language, absolute address) of the page of each version, the module's own
    included, for <link rel="alternate" hreflang>: each in the portal's pages of its
    language, so a search engine offers a Dutch speaker the Dutch page whole."""
    if not versions:
        return []
    pages = [(module.language, module.slug)] + [(v.language, v.slug) for v in versions]
    links = []
    for language, slug in pages:
        with translation.override(language):
            links.append((language, reverse_absolute("programme:module-detail", slug)))
    return links
