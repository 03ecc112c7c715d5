"""The message telling a session's participants and enrolees that a replay, slides or a
practical sheet is there: once per person and per material (the intent names both), in
each person's language, through the notifications machinery.

A category of its own, so a member who wants no reminders still gets the replay they
missed, and one who wants none of it can say so.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.links import reverse_absolute
from notifications.registry import Skip, register_category, register_kind
from notifications.services import Planned, deliveries_schedule_now

from .models import ACTIVE_STATUSES, Enrolment, SessionMaterial
from .preferences import SETTINGS_URL_NAME

MATERIAL_ADDED = "programme.session_material"
SESSION_MATERIAL = "session_material"


def material_intent(material_id: int, user_id: int) -> str:
    return f"material:{material_id}:user:{user_id}"


def material_notices(material: SessionMaterial) -> list[int]:
    """Tell everyone who holds or held a seat in the session, or waited for one. Two
    statements whatever their number; an intent recorded before stays as it is."""
    now = timezone.now()
    user_ids = (
        Enrolment.objects.of_present_members()
        .filter(session_id=material.session_id, status__in=ACTIVE_STATUSES)
        .values_list("user_id", flat=True)
        .distinct()
    )
    return deliveries_schedule_now(
        kind=MATERIAL_ADDED,
        planned=[
            Planned(
                recipient_id=user_id,
                intent_key=material_intent(material.pk, user_id),
                due_at=now,
                context={"material_id": material.pk},
            )
            for user_id in user_ids
        ],
    )


def build_material(delivery) -> dict | Skip:
    material = (
        SessionMaterial.objects.select_related("session__module")
        .filter(pk=delivery.context.get("material_id"))
        .first()
    )
    if material is None:
        return Skip("the material was removed")
    session = material.session
    session_url = reverse_absolute("programme:session-detail", session.pk)
    return {
        "material": material,
        "kind_label": material.get_kind_display(),
        "session": session,
        "module": session.module,
        "session_url": session_url,
        "action_url": session_url,
        "action_label": _("See the session and its material"),
    }


def register_material_emails() -> None:
    register_category(
        SESSION_MATERIAL,
        label=_("replays and material of the sessions you enrolled in"),
        default=True,
        settings_url_name=SETTINGS_URL_NAME,
    )
    register_kind(
        MATERIAL_ADDED,
        label=_("Replay or material of a session"),
        category=SESSION_MATERIAL,
        template="programme/email/session_material",
        build_context=build_material,
    )
