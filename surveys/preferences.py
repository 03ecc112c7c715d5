"""The surveys' own kind of e-mail a member can turn off: being told that something they
asked for was done ("you said, we did"). Registered with notifications, which keeps each
member's choice; the survey invitations keep programme's categories."""

from django.utils.translation import gettext_lazy as _

from notifications.registry import register_category

CHANGES_MADE = "changes_made"


def register_preference_categories() -> None:
    # On unless the member says otherwise: they signed their message to hear back.
    register_category(
        CHANGES_MADE,
        label=_("news of what changed after your ideas"),
        default=True,
        settings_url_name="members:profile",
    )
