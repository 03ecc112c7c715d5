from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members")

    def ready(self) -> None:
        from .roles import sync_role_groups, watch_identity_changes

        # No sender: it runs after each app's permissions exist, so the last run sees them all.
        post_migrate.connect(sync_role_groups, dispatch_uid="members.sync_role_groups")
        watch_identity_changes()
        register_notification_settings()
        register_privacy()


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


def register_privacy() -> None:
    """The account's own part of export, erasure and retention, and those of programme
    and notifications, which import no other domain app and so cannot register
    themselves (assessments and referrals do, from their own ready())."""
    from notifications import privacy as notifications_privacy
    from programme import privacy as programme_privacy

    from . import account_privacy
    from .privacy import register_eraser, register_exporter, register_retention

    register_exporter("account", account_privacy.export_account)
    register_exporter("programme", programme_privacy.export_member)
    register_exporter("messages", notifications_privacy.export_member)
    register_exporter("message_opt_outs", notifications_privacy.export_opt_outs)
    # Programme first: freeing seats may record messages for others (waitlist promotion).
    register_eraser("programme", programme_privacy.erase_member, order=10)
    register_eraser("notifications", notifications_privacy.erase_member, order=80)
    register_eraser("members", account_privacy.erase_account, order=90)
    register_retention("members.unverified_accounts", account_privacy.delete_unverified_accounts)
    register_retention("members.expired_sessions", account_privacy.delete_expired_sessions)
    register_retention("notifications.old_deliveries", notifications_privacy.blank_old_deliveries)
