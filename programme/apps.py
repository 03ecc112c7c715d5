from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    """Catalogue, sessions, enrolment, surveys. Imports no other domain app."""

    name = "programme"
    verbose_name = _("Programme")
