"""A member's enrolments, with their place on the waitlist, and their own path."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Coalesce
from django.utils import timezone

from members.models import User

from ..models import (
    ACTIVE_STATUSES,
    Enrolment,
    EnrolmentStatus,
    ModuleFormat,
    SavedModule,
)
from .base import sessions_upcoming


def _waitlist_position() -> CombinedExpression:
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


def enrolments_with_position(user: User) -> QuerySet[Enrolment]:
    return Enrolment.objects.filter(user=user).annotate(position=_waitlist_position())


def active_enrolments_by_session(
    user: "User | AnonymousUser", session_ids: Sequence[int]
) -> dict[int, Enrolment]:
    """The member's active enrolment in each of the sessions, with `position` on the waitlist."""
    if not user.is_authenticated or not session_ids:
        return {}
    enrolments = enrolments_with_position(user).filter(
        session_id__in=list(session_ids), status__in=ACTIVE_STATUSES
    )
    return {e.session_id: e for e in enrolments}


@dataclass
class Parcours:
    upcoming: list[Enrolment]
    waitlisted: list[Enrolment]
    cancelled_by_organiser: list[Enrolment]
    past: list[Enrolment]
    saved: list[SavedModule]


PAST_LIMIT = 30


def parcours_for(user: User) -> Parcours:
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
    saved: list[SavedModule] = list(
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


def next_enrolments(user: User, *, limit: int = 3) -> list[Enrolment]:
    """The member's next confirmed or waitlisted sessions, for their home page."""
    return list(
        enrolments_with_position(user)
        .filter(status__in=ACTIVE_STATUSES, session__ends_at__gt=timezone.now())
        .select_related("session__module")
        .order_by("session__starts_at", "pk")[:limit]
    )


def waiting_count(session_id: int) -> int:
    """How many people wait for a seat in the session: who a freed seat goes to."""
    return Enrolment.objects.filter(
        session_id=session_id, status=EnrolmentStatus.WAITLISTED
    ).count()


@dataclass
class Library:
    """What the member keeps for later: practical sheets apart from the other modules."""

    sheets: list[SavedModule]
    modules: list[SavedModule]
    has_more: bool


LIBRARY_HOME_LIMIT = 8


def library_of(user: User, *, limit: int = LIBRARY_HOME_LIMIT) -> Library:
    """The member's latest saved items, for their home page: one query."""
    saved = list(
        SavedModule.objects.filter(user=user, module__is_published=True)
        .select_related("module")
        .order_by("-created_at", "-pk")[: limit + 1]
    )
    shown = saved[:limit]
    return Library(
        sheets=[s for s in shown if s.module.format == ModuleFormat.PRACTICAL_CONTENT],
        modules=[s for s in shown if s.module.format != ModuleFormat.PRACTICAL_CONTENT],
        has_more=len(saved) > limit,
    )
