"""The kinds of programme e-mail a member can turn off, registered with notifications,
which keeps each member's choice (notifications.models.MessagePreference)."""

from django.utils.translation import gettext_lazy as _

from notifications.registry import register_category

SESSION_REMINDERS = "session_reminders"
SURVEYS = "surveys"
PROGRAMME_NEWS = "programme_news"

# Shown on the member's profile page, where the member changes them.
SETTINGS_URL_NAME = "members:profile"


def register_preference_categories() -> None:
    # Reminders and the survey after a session follow something the member enrolled
    # in: on unless they say otherwise. News goes to people who asked for it.
    register_category(
        SESSION_REMINDERS,
        label=_("session reminders"),
        default=True,
        settings_url_name=SETTINGS_URL_NAME,
    )
    register_category(
        SURVEYS,
        label=_("satisfaction surveys after a session"),
        default=True,
        settings_url_name=SETTINGS_URL_NAME,
    )
    register_category(
        PROGRAMME_NEWS,
        label=_("programme news and surveys"),
        default=False,
        settings_url_name=SETTINGS_URL_NAME,
    )
