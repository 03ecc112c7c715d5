"""Reads on the catalogue: what a visitor, a member or a manager may see.

Every function here runs a fixed number of queries, whatever the data.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import (
    ACTIVE_STATUSES,
    SESSION_FORMATS,
    CalendarFeed,
    Enrolment,
    EnrolmentStatus,
    Module,
    SavedModule,
    Session,
    SessionMode,
    Theme,
    search_normalise,
)


def can_manage(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm("members.manage_programme"))


def can_enrol(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm("members.access_member_space"))


def sessions_upcoming() -> QuerySet[Session]:
    """Published, not cancelled sessions that have not started yet, soonest first."""
    return Session.objects.filter(
        is_published=True, cancelled_at__isnull=True, starts_at__gt=timezone.now()
    ).order_by("starts_at", "pk")


def sessions_public() -> QuerySet[Session]:
    """Upcoming sessions of published modules, with their module."""
    return sessions_upcoming().filter(module__is_published=True).select_related("module")


def modules_published() -> QuerySet[Module]:
    return Module.objects.filter(is_published=True)


def themes_published() -> QuerySet[Theme]:
    return Theme.objects.filter(is_published=True)


def modules_recommended(*, theme_slugs: Sequence[str], limit: int = 6) -> list[Module]:
    """Published modules on any of the themes, each with `upcoming_sessions` (soonest first).

    Used by self-assessment results and "Mon parcours": modules with a session coming up
    come first, then the others by title. The ranking and the limit run in the database,
    so the cost does not grow with the catalogue; a fixed number of queries.
    """
    if not theme_slugs:
        return []
    on_themes = Module.themes.through.objects.filter(
        module_id=OuterRef("pk"), theme__slug__in=list(theme_slugs)
    )
    next_start = sessions_upcoming().filter(module=OuterRef("pk")).values("starts_at")[:1]
    return list(
        modules_published()
        .filter(Exists(on_themes))
        .annotate(next_start=Subquery(next_start))
        .order_by(F("next_start").asc(nulls_last=True), "title", "pk")
        .prefetch_related(
            "themes",
            Prefetch("sessions", queryset=sessions_upcoming(), to_attr="upcoming_sessions"),
        )[:limit]
    )


# --- Catalogue ---------------------------------------------------------------


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
        """Filters that only a dated session can satisfy."""
        return bool(
            self.date_from or self.date_to or self.province or self.mode == SessionMode.IN_PERSON
        )

    @property
    def is_empty(self) -> bool:
        return not (
            self.q
            or self.themes
            or self.formats
            or self.languages
            or self.mode
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
        sessions = sessions.filter(province=filters.province)
    return sessions


def catalogue_modules(filters: CatalogueFilters) -> QuerySet[Module]:
    """Published modules matching the filters, those with the soonest session first.

    Each carries `next_start` (its first matching session, or None) and
    `upcoming_count`. Digital tools, content and e-learning count as online: they have
    no sessions and are open at any time.
    """
    modules = modules_published()
    for word in search_normalise(filters.q).split()[:10]:
        modules = modules.filter(search_text__contains=word)
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
    elif filters.mode == SessionMode.ONLINE:
        modules = modules.filter(Exists(matching) | ~Q(format__in=SESSION_FORMATS))

    counted = matching.order_by().values("module").annotate(n=Count("pk")).values("n")
    return modules.annotate(
        next_start=Subquery(matching.values("starts_at")[:1]),
        upcoming_count=Coalesce(Subquery(counted, output_field=IntegerField()), Value(0)),
    ).order_by(F("next_start").asc(nulls_last=True), "title", "pk")


def catalogue_page_extras(modules: Sequence[Module]) -> None:
    """Themes of the modules on one page, in one query."""
    themes_by_module: dict[int, list[Theme]] = {m.pk: [] for m in modules}
    through = Module.themes.through.objects.filter(
        module_id__in=list(themes_by_module), theme__is_published=True
    ).select_related("theme")
    for link in through.order_by("theme__position", "theme__slug"):
        themes_by_module[link.module_id].append(link.theme)
    for module in modules:
        module.visible_themes = themes_by_module[module.pk]


def saved_module_ids(user) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(SavedModule.objects.filter(user=user).values_list("module_id", flat=True))


# --- Module and session pages -------------------------------------------------


def modules_visible_to(user) -> QuerySet[Module]:
    """Managers preview unpublished modules; everyone else sees the published ones."""
    return Module.objects.all() if can_manage(user) else modules_published()


def sessions_visible_to(user) -> QuerySet[Session]:
    """Managers see every session; others the published sessions of published modules,
    and any session they are or were enrolled in (so a cancelled one still explains itself)."""
    sessions = Session.objects.select_related("module")
    if can_manage(user):
        return sessions
    visible = Q(is_published=True, module__is_published=True)
    if user.is_authenticated:
        visible |= Q(Exists(Enrolment.objects.filter(session=OuterRef("pk"), user=user)))
    return sessions.filter(visible)


def _waitlist_position() -> Coalesce:
    """1 for the first person waiting, 2 for the next… (0 when not waitlisted)."""
    ahead = (
        Enrolment.objects.filter(session=OuterRef("session"), status=EnrolmentStatus.WAITLISTED)
        .filter(
            Q(queued_at__lt=OuterRef("queued_at"))
            | Q(queued_at=OuterRef("queued_at"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(ahead, output_field=IntegerField()), Value(0)) + 1


def enrolments_with_position(user) -> QuerySet[Enrolment]:
    return Enrolment.objects.filter(user=user).annotate(position=_waitlist_position())


def active_enrolments_by_session(user, session_ids: Sequence[int]) -> dict[int, Enrolment]:
    """The member's active enrolment in each of the sessions, with `position` on the waitlist."""
    if not user.is_authenticated or not session_ids:
        return {}
    enrolments = enrolments_with_position(user).filter(
        session_id__in=list(session_ids), status__in=ACTIVE_STATUSES
    )
    return {e.session_id: e for e in enrolments}


def module_sessions(module: Module, user) -> list[Session]:
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


# --- Mon parcours -------------------------------------------------------------


@dataclass
class Parcours:
    upcoming: list[Enrolment]
    waitlisted: list[Enrolment]
    cancelled_by_organiser: list[Enrolment]
    past: list[Enrolment]
    saved: list[SavedModule]


PAST_LIMIT = 30


def parcours_for(user) -> Parcours:
    """The member's own path: four queries, whatever its length."""
    now = timezone.now()
    ahead = list(
        enrolments_with_position(user)
        .filter(session__ends_at__gt=now)
        .filter(Q(status__in=ACTIVE_STATUSES) | Q(cancelled_by_organiser=True))
        .select_related("session__module")
        .order_by("session__starts_at", "pk")
    )
    past = list(
        Enrolment.objects.filter(
            user=user, status=EnrolmentStatus.CONFIRMED, session__ends_at__lte=now
        )
        .select_related("session__module")
        .order_by("-session__starts_at", "-pk")[:PAST_LIMIT]
    )
    next_start = sessions_upcoming().filter(module=OuterRef("module")).values("starts_at")[:1]
    saved = list(
        SavedModule.objects.filter(user=user, module__is_published=True)
        .select_related("module")
        .annotate(next_start=Subquery(next_start))
    )
    return Parcours(
        upcoming=[e for e in ahead if e.status == EnrolmentStatus.CONFIRMED],
        waitlisted=[e for e in ahead if e.status == EnrolmentStatus.WAITLISTED],
        cancelled_by_organiser=[e for e in ahead if e.status == EnrolmentStatus.CANCELLED],
        past=past,
        saved=saved,
    )


def next_enrolments(user, *, limit: int = 3) -> list[Enrolment]:
    """The member's next confirmed or waitlisted sessions, for their home page."""
    return list(
        enrolments_with_position(user)
        .filter(status__in=ACTIVE_STATUSES, session__ends_at__gt=timezone.now())
        .select_related("session__module")
        .order_by("session__starts_at", "pk")[:limit]
    )


# --- Calendar -----------------------------------------------------------------


def calendar_feed_by_token(token: str) -> CalendarFeed | None:
    if not token or len(token) > 64:
        return None
    return CalendarFeed.objects.select_related("user").filter(token=token).first()


def calendar_feed_of(user) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user).first()


FEED_HISTORY = timedelta(days=90)


def feed_enrolments(user) -> list[Enrolment]:
    """Confirmed sessions for the private feed: the last three months and everything ahead."""
    return list(
        Enrolment.objects.filter(
            user=user,
            status=EnrolmentStatus.CONFIRMED,
            session__starts_at__gte=timezone.now() - FEED_HISTORY,
        )
        .select_related("session__module")
        .order_by("session__starts_at")
    )


def is_confirmed_in(user, session: Session) -> bool:
    return (
        user.is_authenticated
        and Enrolment.objects.filter(
            session=session, user=user, status=EnrolmentStatus.CONFIRMED
        ).exists()
    )


# --- Staff ----------------------------------------------------------------------


def manager_sessions(*, when: str = "upcoming") -> QuerySet[Session]:
    """Sessions for the managers' list with their waitlist length; `when` is
    "upcoming" (soonest first) or "past" (latest first)."""
    now = timezone.now()
    sessions = Session.objects.select_related("module").annotate(
        waitlist_count=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.WAITLISTED))
    )
    if when == "past":
        return sessions.filter(ends_at__lte=now).order_by("-starts_at", "-pk")
    return sessions.filter(ends_at__gt=now).order_by("starts_at", "pk")


def manager_modules() -> QuerySet[Module]:
    now = timezone.now()
    return Module.objects.annotate(
        upcoming_count=Count(
            "sessions",
            filter=Q(sessions__starts_at__gt=now, sessions__cancelled_at__isnull=True),
        )
    ).order_by("title", "pk")


def manager_themes() -> QuerySet[Theme]:
    return Theme.objects.annotate(module_count=Count("modules")).order_by("position", "slug")


def session_roster(session: Session) -> tuple[list[Enrolment], list[Enrolment]]:
    """Confirmed participants (by name) and the waitlist (in order), one query.

    Seats of members who erased their account count in the session's figures but have
    nobody to list."""
    enrolments = list(
        Enrolment.objects.filter(session=session, status__in=ACTIVE_STATUSES, user__isnull=False)
        .select_related("user")
        .order_by("queued_at", "pk")
    )
    confirmed = sorted(
        (e for e in enrolments if e.status == EnrolmentStatus.CONFIRMED),
        key=lambda e: (e.user.last_name.casefold(), e.user.first_name.casefold(), e.pk),
    )
    waitlist = [e for e in enrolments if e.status == EnrolmentStatus.WAITLISTED]
    for position, enrolment in enumerate(waitlist, start=1):
        enrolment.position = position
    return confirmed, waitlist


def manager_counts() -> dict[str, int]:
    """A few figures on the sessions to come, for the manager's home page, in one query."""
    upcoming = Session.objects.filter(cancelled_at__isnull=True, starts_at__gt=timezone.now())
    return upcoming.aggregate(
        sessions=Count("pk", distinct=True),
        unpublished=Count("pk", filter=Q(is_published=False), distinct=True),
        confirmed=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.CONFIRMED)),
        waitlisted=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.WAITLISTED)),
    )
