"""Modules, themes and search synonyms: what managers edit in the catalogue."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from members.models import User

from ..models import (
    Module,
    SearchSynonyms,
    SearchWord,
    Session,
    Theme,
    search_fold,
    search_normalise,
)
from ..statistics import statistics_forget_all


def slug_for(text: str, *, max_length: int = 100) -> str:
    """The slug a title gets when it is free: "Déconnexion numérique" → "deconnexion-numerique"."""
    return slugify(search_normalise(text))[:max_length].strip("-") or "item"


def _unique_slug(
    model: type[Module | Theme], text: str, *, exclude_pk: int | None = None, max_length: int = 100
) -> str:
    base = slug_for(text, max_length=max_length)
    taken = set(
        model.objects.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)  # type: ignore[misc]  # pk=None excludes nothing
        .values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug = f"{base[: max_length - 5]}-{n}"
        n += 1
    return slug


def module_refresh_search(module: Module) -> None:
    """Keep the accent-free search text in step with the fields and the theme names."""
    names = " ".join(f"{t.name_fr} {t.name_nl} {t.name_en}" for t in module.themes.all())
    module.search_text = search_fold(f"{module.searchable_text()} {names}")
    Module.objects.filter(pk=module.pk).update(search_text=module.search_text)
    SearchWord.objects.bulk_create(SearchWord.of_text(module.search_text), ignore_conflicts=True)


MODULE_FIELDS = (
    "title",
    "summary",
    "description",
    "format",
    "content_kind",
    "language",
    "duration_minutes",
    "provider",
    "external_url",
    "audience_notes",
)


@transaction.atomic
def module_create(*, themes: Iterable[Theme], actor: User | None = None, **fields: Any) -> Module:
    """A new module, unpublished until a manager publishes it."""
    module = Module(**{name: fields[name] for name in MODULE_FIELDS if name in fields})
    module.slug = _unique_slug(Module, module.title)
    module.is_published = bool(fields.get("is_published", False))
    module.full_clean(exclude=["themes"])
    module.save()
    module.themes.set(list(themes))
    module_refresh_search(module)
    return module


@transaction.atomic
def module_update(
    *, module: Module, themes: Iterable[Theme] | None = None, **fields: Any
) -> Module:
    calendar_before = (module.title, module.summary)
    for name in MODULE_FIELDS:
        if name in fields:
            setattr(module, name, fields[name])
    module.full_clean(exclude=["themes"])
    module.save()
    if (module.title, module.summary) != calendar_before:
        # Its sessions' calendar events show the title and summary: a new version each.
        Session.objects.filter(module=module).update(sequence=F("sequence") + 1)
    if themes is not None:
        module.themes.set(list(themes))
    module_refresh_search(module)
    # Its sessions, past ones included, count under its format and themes.
    statistics_forget_all()
    return module


@transaction.atomic
def module_publish(*, module: Module, published: bool) -> Module:
    module.is_published = published
    module.save(update_fields=["is_published", "updated_at"])
    return module


@transaction.atomic
def module_duplicate(*, module: Module, actor: User | None = None) -> Module:
    """An unpublished copy, e.g. to offer the module in another language."""
    return module_create(
        themes=list(module.themes.all()),
        actor=actor,
        **{name: getattr(module, name) for name in MODULE_FIELDS if name != "title"},
        title=str(_("%(title)s (copy)") % {"title": module.title})[:160],
    )


@transaction.atomic
def theme_create(*, name_fr: str, name_nl: str, name_en: str, position: int = 100) -> Theme:
    theme = Theme(name_fr=name_fr, name_nl=name_nl, name_en=name_en, position=position)
    theme.slug = _unique_slug(Theme, name_en or name_fr, max_length=60)
    theme.full_clean()
    theme.save()
    return theme


@transaction.atomic
def theme_update(*, theme: Theme, **fields: Any) -> Theme:
    for name in ("name_fr", "name_nl", "name_en", "position"):
        if name in fields:
            setattr(theme, name, fields[name])
    theme.full_clean()
    theme.save()
    # The theme's names are part of its modules' search text.
    for module in theme.modules.prefetch_related("themes"):
        module_refresh_search(module)
    return theme


@transaction.atomic
def theme_publish(*, theme: Theme, published: bool) -> Theme:
    theme.is_published = published
    theme.save(update_fields=["is_published"])
    return theme


SYNONYM_GROUP_MAX_WORDS = 20


@transaction.atomic
def search_synonyms_update(*, groups_by_language: dict[str, str]) -> None:
    """Replace the search synonyms of each language given, one group per line."""
    for language, groups in groups_by_language.items():
        lines = [line.strip() for line in groups.splitlines() if line.strip()]
        for number, line in enumerate(lines, start=1):
            if len([w for w in line.split(",") if w.strip()]) > SYNONYM_GROUP_MAX_WORDS:
                raise ValidationError(
                    {
                        language: _("Line %(number)s has more than %(max)s words.")
                        % {"number": number, "max": SYNONYM_GROUP_MAX_WORDS}
                    }
                )
        synonyms, _created = SearchSynonyms.objects.get_or_create(language=language)
        synonyms.groups = "\n".join(lines)
        synonyms.full_clean()
        synonyms.save()
