from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    """Catalogue, sessions, enrolment, surveys. Imports no other domain app."""

    name = "programme"
    verbose_name = _("Programme")

    def ready(self) -> None:
        from .messages import register_messages
        from .themes import ensure_default_themes

        register_messages()

        # Like the role groups: the field's themes come back after a test database flush.
        post_migrate.connect(ensure_default_themes, sender=self)
