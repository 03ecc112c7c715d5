"""Reads on the message log, for the people allowed to see them."""

from django.db.models import Count, QuerySet

from .models import Delivery, DeliveryStatus

# Programme managers follow the messages the portal sends; the permission lives in members.
MONITOR_PERMISSION = "members.manage_programme"


def deliveries_visible_to(user, *, status: str = "") -> QuerySet[Delivery]:
    if not user.has_perm(MONITOR_PERMISSION):
        return Delivery.objects.none()
    deliveries = Delivery.objects.select_related("recipient").order_by("-due_at", "-pk")
    return deliveries.filter(status=status) if status else deliveries


def delivery_status_counts(user) -> dict[str, int]:
    """How many deliveries are in each status (one query)."""
    if not user.has_perm(MONITOR_PERMISSION):
        return {}
    rows = Delivery.objects.order_by().values_list("status").annotate(n=Count("pk"))
    counts = dict.fromkeys(DeliveryStatus.values, 0)
    counts.update(dict(rows))
    return counts


def failed_delivery_count(user) -> int:
    if not user.has_perm(MONITOR_PERMISSION):
        return 0
    return Delivery.objects.filter(status=DeliveryStatus.FAILED).count()
