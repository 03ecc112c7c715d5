from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    """Validated self-assessments, private to the member. May use members and programme."""

    name = "assessments"
    verbose_name = _("Self-assessments")

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the instrument check
