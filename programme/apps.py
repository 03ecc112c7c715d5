from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    """Catalogue, sessions, enrolment. Imports no other domain app."""

    name = "programme"
    verbose_name = _("Programme")

    def ready(self) -> None:
        from notifications.registry import register_planner

        from .emails import register_emails
        from .material_emails import register_material_emails
        from .operations_emails import register_operations_emails
        from .page_cache import connect_signals
        from .planners import plan_session_reminders
        from .preferences import register_preference_categories
        from .themes import ensure_default_themes

        register_preference_categories()
        register_emails()
        register_material_emails()
        register_operations_emails()
        register_planner("programme.session_reminders", plan_session_reminders)
        connect_signals()
        register_privacy()

        # Like the role groups: the field's themes come back after a test database flush.
        post_migrate.connect(ensure_default_themes, sender=self)


def register_privacy() -> None:
    from common.privacy import register_eraser, register_exporter

    from . import privacy
    from .tracks_privacy import erase_training, export_training

    register_exporter("programme", privacy.export_member, order=20)
    # First: freeing seats may record messages for others (waitlist promotion).
    register_eraser("programme", privacy.erase_member, order=10)
    # Training tracks: the steps a member of staff marked done.
    privacy.register_member_export("training_steps_done", export_training)
    privacy.register_erase_step("training", erase_training)
