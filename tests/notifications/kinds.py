"""A message kind that exists only for the tests, with its own templates
(tests/notifications/templates), registered the way an app registers its kinds."""

from pathlib import Path

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from notifications.links import reverse_absolute
from notifications.registry import Skip, register_kind, unregister

TEMPLATES_DIR = Path(__file__).parent / "templates"

REMINDER = "tests.workshop_reminder"
NOTICE = "tests.enrolment_notice"

# Stands for the app's own tables: the builder reads it at send time, so a change made
# after scheduling (a cancelled workshop) is seen.
CANCELLED_WORKSHOPS: set[int] = set()


def build_reminder(delivery) -> dict | Skip:
    workshop_id = delivery.context["workshop_id"]
    if workshop_id in CANCELLED_WORKSHOPS:
        return Skip(f"workshop {workshop_id} was cancelled")
    starts_at = parse_datetime(delivery.context.get("starts_at", "")) or timezone.now()
    return {
        "workshop_title": f"Workshop #{workshop_id} — l'après-midi <calme>",
        "starts_at": starts_at,
        "action_url": reverse_absolute("home"),
        "action_label": "Open the portal",
    }


def build_notice(delivery) -> dict:
    return {"workshop_title": f"Workshop #{delivery.context['workshop_id']}"}


def register() -> None:
    register_kind(
        REMINDER,
        label="Workshop reminder (tests)",
        category="session_reminders",
        template="tests_notifications/email/workshop_reminder",
        build_context=build_reminder,
        replace=True,
    )
    register_kind(
        NOTICE,
        label="Enrolment notice (tests)",
        category="service",
        template="tests_notifications/email/enrolment_notice",
        build_context=build_notice,
        replace=True,
    )


def unregister_all() -> None:
    unregister(kind=REMINDER)
    unregister(kind=NOTICE)
