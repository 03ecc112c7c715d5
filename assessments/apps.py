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
        from .preferences import register_preference_categories

        register_preference_categories()
        register_emails()
        register_planner("assessments.reassessment_invitations", plan_reassessment_invitations)
        register_privacy()


def register_privacy() -> None:
    """The member's kept results in their data file and erasure; withdrawing the consent
    to keep health data offers to delete them."""
    from common.privacy import register_consent_cleanup, register_eraser, register_exporter
    from members.consents import ConsentKind

    from . import privacy

    register_exporter("self_assessments", privacy.export_member)
    register_eraser("assessments", privacy.erase_member, order=30)
    register_consent_cleanup(
        ConsentKind.HEALTH_DATA,
        count=privacy.kept_result_count,
        delete=privacy.delete_kept_results,
        offer=privacy.deletion_offer,
    )
    # Research consent: the pseudonymised measures in the data file (erasure deletes them
    # with the account, by their cascading key); withdrawing the consent leaves them out
    # of later evaluations anyway, and offers to delete them.
    register_exporter("research_evaluation", privacy.export_research)
    register_consent_cleanup(
        ConsentKind.RESEARCH,
        count=privacy.research_measure_count,
        delete=privacy.delete_research_measures,
        offer=privacy.research_deletion_offer,
    )
