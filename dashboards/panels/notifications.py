"""The notifications app's part of the role home pages (see dashboards.panels)."""

from notifications.selectors import failed_delivery_count


def programme_manager_context(user) -> dict:
    return {"notifications_failed_count": failed_delivery_count(user)}
