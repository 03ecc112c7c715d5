"""Reads on the message log, for the people allowed to see them."""

from django.contrib.auth.models import AbstractUser, AnonymousUser
from django.core.cache import cache
from django.db.models import Count, QuerySet

from common.access import holds

from .models import Delivery, DeliveryStatus

# Programme managers follow the messages the portal sends. The permission is
# members.roles.MANAGE_PROGRAMME, named here as text since notifications sits below
# members; tests/test_access.py fails if it stops existing.
MONITOR_PERMISSION = "members.manage_programme"


def deliveries_visible_to(
    user: AbstractUser | AnonymousUser, *, status: str = ""
) -> QuerySet[Delivery]:
    if not holds(user, MONITOR_PERMISSION):
        return Delivery.objects.none()
    deliveries = Delivery.objects.select_related("recipient").order_by("-due_at", "-pk")
    return deliveries.filter(status=status) if status else deliveries


# Messages still to send or that need a manager's eye: few, counted exactly each time.
ACTIONABLE = (DeliveryStatus.PENDING, DeliveryStatus.SENDING, DeliveryStatus.FAILED)
HISTORY_COUNTS_KEY = "notifications:history-counts"
HISTORY_COUNTS_SECONDS = 300


def delivery_status_counts(user: AbstractUser | AnonymousUser) -> dict[str, int]:
    """How many deliveries are in each status. Those still to send or failed are
    counted exactly (the index on status answers it from a few rows); the settled ones
    (sent, skipped, cancelled) grow with every message, so their counts are kept in the
    shared cache for a few minutes instead of walking the whole log on every view."""
    if not holds(user, MONITOR_PERMISSION):
        return {}
    counts = dict.fromkeys(DeliveryStatus.values, 0)
    counts.update(
        Delivery.objects.filter(status__in=ACTIONABLE)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    history = cache.get(HISTORY_COUNTS_KEY)
    if history is None:
        history = dict(
            Delivery.objects.exclude(status__in=ACTIONABLE)
            .order_by()
            .values_list("status")
            .annotate(n=Count("pk"))
        )
        cache.set(HISTORY_COUNTS_KEY, history, HISTORY_COUNTS_SECONDS)
    counts.update(history)
    return counts


def history_counts_forget() -> None:
    """After a manager's own action on the log (sending again, a test e-mail), so the
    page they come back to counts it; the sweeps' sends show within a few minutes."""
    cache.delete(HISTORY_COUNTS_KEY)


def failed_delivery_count(user: AbstractUser | AnonymousUser) -> int:
    if not holds(user, MONITOR_PERMISSION):
        return 0
    return Delivery.objects.filter(status=DeliveryStatus.FAILED).count()
