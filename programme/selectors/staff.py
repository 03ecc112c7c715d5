"""The managers' lists: sessions, modules, themes, a session's roster, the counts."""

from typing import TYPE_CHECKING

from django.db.models import (
    Count,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.belgium import BRUSSELS, public_holiday

from ..models import (
    ACTIVE_STATUSES,
    Enrolment,
    EnrolmentStatus,
    Module,
    Session,
    Theme,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


# What templates/programme/manage/session_list.html shows of a session.
LISTED_SESSION_FIELDS = (
    "starts_at",
    "mode",
    "venue",
    "confirmed_count",
    "capacity",
    "cancelled_at",
    "is_published",
    "module__title",
)


def manager_sessions(*, when: str = "upcoming") -> QuerySet[Session]:
    """Sessions for the managers' list with their waitlist length; `when` is
    "upcoming" (soonest first) or "past" (latest first)."""
    now = timezone.now()
    # A correlated subquery counts the waitlist of the rows shown only (the index on
    # enrolment (session, status, queued_at) answers it alone: COUNT(*), not of the
    # primary key, which would read every enrolment of the session from the table);
    # counting the page needs no join, so the paginator's COUNT stays on the sessions.
    waiting = (
        Enrolment.objects.filter(session=OuterRef("pk"), status=EnrolmentStatus.WAITLISTED)
        .order_by()
        .values("session")
        .annotate(n=Count("*"))
        .values("n")
    )
    # Only the columns the list shows: a module row carries its whole description, and
    # building fifty full instances was a third of the page's Python outside its
    # template (measured in-process on bench/generate.py's design-scale database).
    sessions = (
        Session.objects.select_related("module")
        .only(*LISTED_SESSION_FIELDS)
        .annotate(waitlist_count=Coalesce(Subquery(waiting), 0))
    )
    if when == "past":
        return sessions.filter(ends_at__lte=now).order_by("-starts_at", "-pk")
    return sessions.filter(ends_at__gt=now).order_by("starts_at", "pk")


def manager_modules(query: str = "") -> QuerySet[Module]:
    """Every module, by title; `query` keeps those whose title or provider contains it."""
    now = timezone.now()
    modules = Module.objects.annotate(
        upcoming_count=Count(
            "sessions",
            filter=Q(sessions__starts_at__gt=now, sessions__cancelled_at__isnull=True),
        )
    )
    if query:
        modules = modules.filter(Q(title__icontains=query) | Q(provider__icontains=query))
    return modules.order_by("title", "pk")


def session_warnings(session: Session) -> "list[StrOrPromise]":
    """What a manager should know before members see the session: it falls on a Belgian
    public holiday, or its module is still a draft (members see neither)."""
    warnings: list[StrOrPromise] = []
    if holiday := public_holiday(timezone.localdate(session.starts_at, BRUSSELS)):
        warnings.append(
            _("This session is on a Belgian public holiday (%(name)s): many people are away.")
            % {"name": holiday}
        )
    if not session.module.is_published:
        warnings.append(
            _(
                "Its module is still a draft: members will see this session only once the "
                "module is published."
            )
        )
    return warnings


def manager_themes() -> QuerySet[Theme]:
    return Theme.objects.annotate(module_count=Count("modules")).order_by("position", "slug")


def session_roster(session: Session) -> tuple[list[Enrolment], list[Enrolment]]:
    """Confirmed participants (by name) and the waitlist (in order), one query.

    Seats of members who erased their account count in the session's figures but have
    nobody to list."""
    enrolments = list(
        Enrolment.objects.of_present_members()
        .filter(session=session, status__in=ACTIVE_STATUSES)
        .select_related("user")
        .order_by("queued_at", "pk")
    )
    confirmed = sorted(
        (e for e in enrolments if e.status == EnrolmentStatus.CONFIRMED),
        # user__isnull=False above: every enrolment here has its member.
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
