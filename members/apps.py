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
