from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members")

    def ready(self) -> None:
        from .roles import sync_role_groups

        # No sender: it runs after each app's permissions exist, so the last run sees them all.
        post_migrate.connect(sync_role_groups, dispatch_uid="members.sync_role_groups")
        register_notification_settings()


# The profile's notification switches, one preference category of notifications each.
NOTIFICATION_SWITCHES = {
    "session_reminders": "notify_session_reminders",
    "surveys": "notify_surveys",
    "programme_news": "notify_programme_news",
    "reassessment": "notify_reassessment",
}


def register_notification_settings() -> None:
    """Tell notifications how to read and change the members' message settings."""
    from notifications.registry import register_category, register_language_getter

    from .models import MemberProfile
    from .selectors import profile_for

    def switch(field: str):
        def getter(user) -> bool:
            return getattr(profile_for(user), field)

        def setter(user, wanted: bool) -> None:
            profile = profile_for(user)
            setattr(profile, field, wanted)
            profile.save(update_fields=[field, "updated_at"])

        return getter, setter

    for code, field in NOTIFICATION_SWITCHES.items():
        getter, setter = switch(field)
        register_category(
            code,
            label=MemberProfile._meta.get_field(field).verbose_name,
            getter=getter,
            setter=setter,
            settings_url_name="members:profile",
        )
    register_language_getter(lambda user: profile_for(user).preferred_language)
