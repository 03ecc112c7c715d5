"""Modules recommended on a member's themes, for their results and "Mon parcours"."""

from collections.abc import Sequence

from django.db.models import (
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
)

from ..models import (
    Module,
    SessionMode,
)
from ..page_cache import catalogue_cached
from .base import _fits_first, _serves_province, modules_published, sessions_upcoming


def modules_recommended(
    *, theme_slugs: Sequence[str], limit: int = 6, language: str = "", province: str = ""
) -> list[Module]:
    """Published modules on any of the themes, each with `upcoming_sessions` (soonest first).

    Used by self-assessment results and "Mon parcours". With the member's `language` and
    `province`, modules in their language come first, then those they can follow from
    their province (on demand, online, or held there), whose sessions are the ones
    shown; without them, the programme's general order. Then modules with a session
    coming up, then the others by title. The ranking and the limit run in the database,
    so the cost does not grow with the catalogue; a fixed number of queries.
    """
    if not theme_slugs:
        return []
    # The same few lists for every member with the same results, language and province:
    # kept until the catalogue changes, like the visitors' pages.
    return catalogue_cached(
        "recommended",
        (tuple(theme_slugs), limit, language, province),
        lambda: _modules_recommended(theme_slugs, limit, language, province),
    )


def _modules_recommended(
    theme_slugs: Sequence[str], limit: int, language: str, province: str
) -> list[Module]:
    on_themes = Module.themes.through.objects.filter(
        module_id=OuterRef("pk"), theme__slug__in=list(theme_slugs)
    )
    reachable = sessions_upcoming()
    if province:
        reachable = reachable.filter(Q(province=province) | Q(mode=SessionMode.ONLINE))
    next_start = reachable.filter(module=OuterRef("pk")).values("starts_at")[:1]
    modules = (
        modules_published().filter(Exists(on_themes)).annotate(next_start=Subquery(next_start))
    )
    order: list = []
    if language:
        order.append(_fits_first("language", language))
    if province:
        modules = modules.annotate(serves_province=_serves_province(province))
        order.append(F("serves_province").desc())
    return list(
        modules.order_by(
            *order, F("next_start").asc(nulls_last=True), "title", "pk"
        ).prefetch_related(
            "themes",
            Prefetch("sessions", queryset=reachable, to_attr="upcoming_sessions"),
        )[:limit]
    )
