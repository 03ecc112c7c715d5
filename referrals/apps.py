from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    """Listening cell, partner directory, ambassador signals. May use members, assessments, programme."""

    name = "referrals"
    verbose_name = _("Listening cell and referrals")

    def ready(self) -> None:
        from notifications.registry import register_planner

        from . import checks  # noqa: F401  (registers the system checks)
        from .callback_emails import register_callback_emails
        from .emails import register_emails
        from .partner_emails import register_partner_emails
        from .planners import (
            plan_advisor_digests,
            plan_callback_reminders,
            plan_member_questions,
            plan_overdue_alerts,
            plan_partner_follow_ups,
        )

        register_emails()
        register_partner_emails()
        register_callback_emails()
        register_planner("referrals.overdue_alerts", plan_overdue_alerts)
        register_planner("referrals.advisor_digests", plan_advisor_digests)
        register_planner("referrals.partner_follow_ups", plan_partner_follow_ups)
        register_planner("referrals.member_questions", plan_member_questions)
        register_planner("referrals.callback_reminders", plan_callback_reminders)
        register_privacy()
        register_handover()


def register_privacy() -> None:
    """Cases in the member's data file, anonymised on erasure and after the retention
    limit; the access log leaves after its own."""
    from common.privacy import register_eraser, register_exporter, register_retention

    from . import privacy

    register_exporter("listening_cell", privacy.export_member)
    register_eraser("referrals", privacy.erase_member, order=20)
    register_retention("referrals.closed_cases", privacy.anonymise_old_cases)
    register_retention("referrals.access_log", privacy.delete_old_access_log)


def register_handover() -> None:
    """Deactivating an advisor from the team pages hands their open cases over first."""
    from members.workload import Workload, register_workload

    from .services import handover

    register_workload(
        Workload(
            name="referrals.open_cases",
            held=handover.open_cases_count,
            describe=handover.open_cases_described,
            successors=handover.handover_successors,
            hand_over=handover.cases_hand_over,
        )
    )
