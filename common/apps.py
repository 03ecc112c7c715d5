from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CommonConfig(AppConfig):
    """Shared vocabulary (provinces, languages, help lines). Imports no domain app."""

    name = "common"

    def ready(self) -> None:
        from django.apps import apps

        from . import checks  # noqa: F401  (registers the deploy checks)
        from .sites import site_sync

        # Same sender as the sites app's own handler, connected after it: runs once the
        # default example.com exists, and replaces it.
        post_migrate.connect(
            site_sync, sender=apps.get_app_config("sites"), dispatch_uid="common.site_sync"
        )
