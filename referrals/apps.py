from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    """Listening cell, partner directory, ambassador signals. May use members, assessments, programme."""

    name = "referrals"
    verbose_name = _("Listening cell and referrals")

    def ready(self) -> None:
        from notifications.registry import register_planner

        from . import checks  # noqa: F401  (registers the system checks)
        from .emails import register_emails
        from .planners import plan_advisor_digests, plan_overdue_alerts

        register_emails()
        register_planner("referrals.overdue_alerts", plan_overdue_alerts)
        register_planner("referrals.advisor_digests", plan_advisor_digests)
