"""Re-assessment invitations as a kind of e-mail the member can turn off, registered
with notifications, which keeps each member's choice."""

from django.utils.translation import gettext_lazy as _

from notifications.registry import register_category

REASSESSMENT = "reassessment"


def register_preference_categories() -> None:
    # Off until the member asks: choosing an interval for an instrument turns it on
    # (services.reassessment_plan_set).
    register_category(
        REASSESSMENT,
        label=_("invitations to re-take a self-assessment"),
        default=False,
        settings_url_name="members:profile",
    )
