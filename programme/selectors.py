"""Reads on the catalogue: what a visitor, a member or a manager may see."""

from collections.abc import Sequence

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from .models import Module, Session


def sessions_upcoming() -> QuerySet[Session]:
    """Published, not cancelled sessions that have not started yet, soonest first."""
    return Session.objects.filter(
        is_published=True, cancelled_at__isnull=True, starts_at__gt=timezone.now()
    ).order_by("starts_at", "pk")


def modules_published() -> QuerySet[Module]:
    return Module.objects.filter(is_published=True)


def modules_recommended(*, theme_slugs: Sequence[str], limit: int = 6) -> list[Module]:
    """Published modules on any of the themes, each with `upcoming_sessions` (soonest first).

    Used by self-assessment results and "Mon parcours": modules with a session coming up
    come first, then the others by title. Runs a fixed number of queries.
    """
    if not theme_slugs:
        return []
    modules = (
        modules_published()
        .filter(themes__slug__in=list(theme_slugs))
        .distinct()
        .prefetch_related(
            "themes",
            Prefetch(
                "sessions",
                queryset=sessions_upcoming().select_related(None),
                to_attr="upcoming_sessions",
            ),
        )
    )
    ranked = sorted(
        modules,
        key=lambda m: (
            not m.upcoming_sessions,
            m.upcoming_sessions[0].starts_at.timestamp() if m.upcoming_sessions else 0,
            m.title,
        ),
    )
    return ranked[:limit]
