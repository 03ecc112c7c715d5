from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from common.access import use_permission_check

        from .roles import holds, sync_role_groups, watch_identity_changes
        from .sessions import start_staff_session

        # No sender: it runs after each app's permissions exist, so the last run sees them all.
        post_migrate.connect(sync_role_groups, dispatch_uid="members.sync_role_groups")
        # @requires_permission reads the roles' table, not the database (no query).
        use_permission_check(holds)
        watch_identity_changes()
        user_logged_in.connect(start_staff_session, dispatch_uid="members.start_staff_session")
        register_recipient_language()
        register_privacy()
        register_group_labels()


def register_recipient_language() -> None:
    """Tell notifications in which language to write to someone (the profile's)."""
    from notifications.registry import register_language_getter

    from .selectors import profile_for

    register_language_getter(lambda user: profile_for(user).preferred_language, reads=("profile",))


def register_group_labels() -> None:
    """Role changes in the edit history read as roles in words, not group codes."""
    from django.contrib.auth.models import Group

    from common.history import register_history_label

    from .roles import role_label

    register_history_label(Group, lambda group: role_label(group.name))


def register_privacy() -> None:
    """The account's own part of export, erasure and retention (each app registers its
    own, common.privacy)."""
    from common.privacy import register_eraser, register_exporter, register_retention

    from . import account_privacy

    register_exporter("account", account_privacy.export_account, order=10)
    register_eraser("members", account_privacy.erase_account, order=90)
    register_retention("members.unverified_accounts", account_privacy.delete_unverified_accounts)
    register_retention("members.expired_sessions", account_privacy.delete_expired_sessions)
    register_retention("members.old_invitations", account_privacy.delete_old_invitations)
    register_retention("members.edit_history", account_privacy.prune_edit_history)
