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
        register_privacy()
        # Retries go back to the queue through the tasks, which import sending.
        from .sending import set_retry_handover
        from .tasks import hand_over_retry

        set_retry_handover(hand_over_retry)


def register_privacy() -> None:
    from common.privacy import register_eraser, register_exporter, register_retention

    from . import privacy

    register_exporter("messages", privacy.export_member, order=80)
    register_exporter("message_preferences", privacy.export_preferences, order=81)
    register_eraser("notifications", privacy.erase_member, order=80)
    register_retention("notifications.old_deliveries", privacy.retire_old_deliveries)
