"""The catalogue a visitor filters and searches, and the module and session pages."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import AnonymousUser
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from members.models import User

from ..models import (
    SESSION_FORMATS,
    Enrolment,
    Module,
    SavedModule,
    Session,
    SessionMode,
    Theme,
)
from ..search import modules_matching
from .base import _fits_first, _serves_province, can_manage, modules_published, sessions_upcoming
from .member import active_enrolments_by_session
from .versions import one_version_per_content, version_links_of, with_version_slugs


@dataclass
class CatalogueFilters:
    """What a visitor asked the catalogue for; values are already validated."""

    q: str = ""
    themes: list[str] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    date_from: date | None = None
    date_to: date | None = None
    mode: str = ""
    province: str = ""

    @property
    def restricts_sessions(self) -> bool:
        """Filters that only a dated session can satisfy (a province is also served online
        and by content open at any time)."""
        return bool(self.date_from or self.date_to or self.mode == SessionMode.IN_PERSON)

    @property
    def active_count(self) -> int:
        """How many filters narrow the list, for the folded panel's label on a phone."""
        return (
            len(self.themes)
            + len(self.formats)
            + len(self.languages)
            + sum(1 for value in (self.q, self.mode, self.province) if value)
            + (1 if self.date_from or self.date_to else 0)
        )

    @property
    def is_empty(self) -> bool:
        return not (
            self.q
            or self.themes
            or self.formats
            or self.languages
            or self.mode
            or self.province
            or self.restricts_sessions
        )


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _matching_sessions(filters: CatalogueFilters) -> QuerySet[Session]:
    sessions = sessions_upcoming().filter(module=OuterRef("pk"))
    if filters.date_from:
        sessions = sessions.filter(starts_at__gte=_day_start(filters.date_from))
    if filters.date_to:
        sessions = sessions.filter(starts_at__lt=_day_start(filters.date_to + timedelta(days=1)))
    if filters.mode:
        sessions = sessions.filter(mode=filters.mode)
    if filters.province:
        # An online session serves every province.
        sessions = sessions.filter(Q(province=filters.province) | Q(mode=SessionMode.ONLINE))
    return sessions


def catalogue_modules(
    filters: CatalogueFilters, *, language: str = "", province: str = ""
) -> QuerySet[Module]:
    """Published modules matching the filters, those with the soonest session first.

    Each carries `next_start` (its first matching session, or None),
    `upcoming_count` and the slugs of its versions in other languages
    (selectors.versions). Digital tools, content and e-learning count as online: they have
    no sessions, are open at any time and serve every province. A search ranks by
    relevance first. `language` and `province`, the member's own, put
    the modules that fit them first without hiding the others; of the language
    versions of one content, only the one in `language` is listed (unless the visitor
    chose languages).
    """
    modules = modules_published()
    if filters.q:
        modules = modules_matching(modules, filters.q)
    if filters.themes:
        modules = modules.filter(
            Exists(
                Module.themes.through.objects.filter(
                    module_id=OuterRef("pk"),
                    theme__slug__in=filters.themes,
                    theme__is_published=True,
                )
            )
        )
    if filters.formats:
        modules = modules.filter(format__in=filters.formats)
    if filters.languages:
        modules = modules.filter(language__in=filters.languages)

    matching = _matching_sessions(filters)
    if filters.restricts_sessions:
        modules = modules.filter(Exists(matching))
    elif filters.mode == SessionMode.ONLINE or filters.province:
        modules = modules.filter(Exists(matching) | ~Q(format__in=SESSION_FORMATS))
    if language and not filters.languages:
        # One card per content: its version in the member's language when there is one.
        modules = one_version_per_content(modules, language)
    modules = with_version_slugs(modules)

    counted = matching.order_by().values("module").annotate(n=Count("pk")).values("n")
    modules = modules.annotate(
        next_start=Subquery(matching.values("starts_at")[:1]),
        upcoming_count=Coalesce(Subquery(counted, output_field=IntegerField()), Value(0)),
    )
    order: list = []
    if "relevance" in modules.query.annotations:
        order.append(F("relevance").desc())
    if language and not filters.languages:
        order.append(_fits_first("language", language))
    if province and not filters.province:
        modules = modules.annotate(serves_province=_serves_province(province))
        order.append(F("serves_province").desc())
    return modules.order_by(*order, F("next_start").asc(nulls_last=True), "title", "pk")


def catalogue_page_extras(modules: Sequence[Module]) -> None:
    """Themes of the modules on one page, in one query; their links to other versions."""
    themes_by_module: dict[int, list[Theme]] = {m.pk: [] for m in modules}
    through = Module.themes.through.objects.filter(
        module_id__in=list(themes_by_module), theme__is_published=True
    ).select_related("theme")
    for link in through.order_by("theme__position", "theme__slug"):
        themes_by_module[link.module_id].append(link.theme)
    for module in modules:
        module.visible_themes = themes_by_module[module.pk]
        module.version_links = version_links_of(module)


def saved_module_ids(user: "User | AnonymousUser") -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(SavedModule.objects.filter(user=user).values_list("module_id", flat=True))


def modules_visible_to(user: "User | AnonymousUser") -> QuerySet[Module]:
    """Managers preview unpublished modules; everyone else sees the published ones."""
    return Module.objects.all() if can_manage(user) else modules_published()


def sessions_visible_to(user: "User | AnonymousUser") -> QuerySet[Session]:
    """Managers see every session; others the published sessions of published modules,
    and any session they are or were enrolled in (so a cancelled one still explains itself)."""
    sessions = Session.objects.select_related("module")
    if can_manage(user):
        return sessions
    visible = Q(is_published=True, module__is_published=True)
    if user.is_authenticated:
        visible |= Q(Exists(Enrolment.objects.filter(session=OuterRef("pk"), user=user)))
    return sessions.filter(visible)


def module_sessions(module: Module, user: "User | AnonymousUser") -> list[Session]:
    """The module's upcoming sessions, each with `my_enrolment` for the viewer."""
    sessions = list(sessions_upcoming().filter(module=module))
    mine = active_enrolments_by_session(user, [s.pk for s in sessions])
    now = timezone.now()
    for session in sessions:
        session.module = module
        session.my_enrolment = mine.get(session.pk)
        session.registration_open = session.closes_at > now
    return sessions


def module_themes(module: Module) -> list[Theme]:
    return list(module.themes.filter(is_published=True))
