from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    """Validated self-assessments, private to the member. May use members and programme."""

    name = "assessments"
    verbose_name = _("Self-assessments")

    def ready(self) -> None:
        from notifications.registry import register_planner

        from . import checks  # noqa: F401 - registers the instrument check
        from .emails import register_emails
        from .planners import plan_reassessment_invitations

        register_emails()
        register_planner("assessments.reassessment_invitations", plan_reassessment_invitations)
