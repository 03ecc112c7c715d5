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
        register_privacy()


def register_privacy() -> None:
    """Cases in the member's data file, anonymised on erasure and after the retention
    limit; the access log leaves after its own."""
    from members.privacy import register_eraser, register_exporter, register_retention

    from . import privacy

    register_exporter("listening_cell", privacy.export_member)
    register_eraser("referrals", privacy.erase_member, order=20)
    register_retention("referrals.closed_cases", privacy.anonymise_old_cases)
    register_retention("referrals.access_log", privacy.delete_old_access_log)
