from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """The message log (deliveries), e-mail rendering, unsubscribe. Imports no domain app."""

    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)
        from .preferences import register_builtin_categories
        from .services import register_email_check

        register_builtin_categories()
        register_email_check()
