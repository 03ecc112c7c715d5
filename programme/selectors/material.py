"""Who may see a session's material: managers, the people who held, hold or awaited a
seat in that session, and, for material the manager keeps "visible to everyone later",
every signed-in person. Visitors see the titles of the latter on the module page."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet

from members.models import User

from ..models import ACTIVE_STATUSES, Enrolment, Module, Session, SessionMaterial, TrackStep
from .base import can_manage
from .tracks import audiences_of


def _enrolled(user: User) -> Exists:
    return Exists(
        Enrolment.objects.filter(session=OuterRef("session"), user=user, status__in=ACTIVE_STATUSES)
    )


def materials_visible_to(user: "User | AnonymousUser") -> QuerySet[SessionMaterial]:
    materials = SessionMaterial.objects.select_related("session__module")
    if can_manage(user):
        return materials
    if not user.is_authenticated:
        return materials.none()
    later = Q(
        visible_later=True,
        session__is_published=True,
        session__module__is_published=True,
        session__cancelled_at__isnull=True,
    )
    # Staff open the material their training track points at.
    in_track = Exists(
        TrackStep.objects.filter(
            material=OuterRef("pk"),
            track__is_published=True,
            track__audience__in=audiences_of(user),
        )
    )
    return materials.filter(later | Q(_enrolled(user)) | Q(in_track))


def session_materials(session: Session, user: "User | AnonymousUser") -> list[SessionMaterial]:
    """The material of a session page the viewer may open (one query)."""
    if not user.is_authenticated:
        return []
    return list(materials_visible_to(user).filter(session=session))


def module_materials_later(module: Module) -> list[SessionMaterial]:
    """What the module page keeps for later members (one query)."""
    return list(
        SessionMaterial.objects.filter(
            session__module=module,
            session__is_published=True,
            session__cancelled_at__isnull=True,
            visible_later=True,
        ).order_by("-session__starts_at", "created_at", "pk")
    )


def manager_session_materials(session: Session) -> list[SessionMaterial]:
    return list(session.materials.order_by("created_at", "pk"))
