from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    """Satisfaction surveys after the sessions and programme-wide survey campaigns.

    May use programme (sessions, enrolments, themes) and members; programme knows nothing
    of it, so the hooks it offers (messages, its part of the data file) are filled in here.
    """

    name = "surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        from notifications.registry import register_planner

        from .emails import register_emails
        from .planners import (
            plan_campaign_reminders,
            plan_campaigns,
            plan_changes_done,
            plan_survey_invitations,
        )
        from .preferences import register_preference_categories

        register_preference_categories()
        register_emails()
        # Named as when they were programme's (the sweep's log lines say these names).
        register_planner("programme.survey_invitations", plan_survey_invitations)
        register_planner("programme.survey_campaigns", plan_campaigns)
        register_planner("surveys.changes_done", plan_changes_done)
        register_planner("surveys.campaign_reminders", plan_campaign_reminders)
        register_privacy()


def register_privacy() -> None:
    """The member's answers: in the programme's part of their data file, as before the
    surveys had an app of their own, and anonymised on erasure."""
    from common.privacy import register_retention
    from programme.privacy import (
        register_enrolment_export,
        register_erase_step,
        register_member_export,
    )

    from . import privacy
    from .feedback_services import forget_old_reply_emails

    register_enrolment_export(
        "satisfaction_survey", privacy.export_enrolment_feedback, select_related="feedback"
    )
    register_member_export("survey_answers", privacy.export_survey_answers)
    register_erase_step("surveys", privacy.erase_member)
    register_member_export("feedback_items", privacy.export_feedback_items)
    register_erase_step("surveys.feedback_items", privacy.erase_feedback_items)
    # Reply addresses that were never used, once past their limit.
    register_retention("surveys.feedback_reply_emails", forget_old_reply_emails)
