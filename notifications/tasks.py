"""Celery tasks: thin, they take ids, and running one twice does no harm."""

import logging

from celery import shared_task

from .sending import delivery_send, sweep

logger = logging.getLogger(__name__)

# Fail fast when the broker is down: the delivery stays pending in the database and
# the next sweep hands it over; a web request must not hang on a lost Redis.
PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2}


@shared_task(name="notifications.deliver", ignore_result=True, acks_late=True)
def deliver(delivery_id: int) -> str:
    return str(delivery_send(delivery_id=delivery_id))


@shared_task(name="notifications.send_due_deliveries", ignore_result=True)
def send_due_deliveries() -> dict:
    report = sweep(dispatch=enqueue_many)
    if report.handed_over or report.failed_planners:
        logger.info("Sweep: %s", report)
    return report.__dict__


def enqueue_delivery(delivery_id: int, *, countdown: float | None = None) -> bool:
    """Hand a delivery to the queue; False (and logged) when that is not possible now."""
    try:
        deliver.apply_async(
            (delivery_id,), countdown=countdown, retry=True, retry_policy=PUBLISH_RETRY_POLICY
        )
    except Exception:
        logger.warning(
            "Delivery %s could not be handed over; the next sweep will send it.",
            delivery_id,
            exc_info=True,
        )
        return False
    return True


def enqueue_many(ids: list[int]) -> int:
    for handed, delivery_id in enumerate(ids):
        if not enqueue_delivery(delivery_id):
            return handed
    return len(ids)
