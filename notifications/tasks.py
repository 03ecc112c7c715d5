"""Celery tasks: thin, they take ids, and running one twice does no harm."""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction

from .batches import deliveries_send
from .sending import delivery_send, sweep

logger = logging.getLogger(__name__)

# Fail fast when the broker is down: the delivery stays pending in the database and
# the next sweep hands it over; a web request must not hang on a lost Redis.
PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2}


# No Celery time limit: delivery_send bounds the send itself to half the claim lease
# (notifications.deadline says why), so the lease never expires while the claimant may
# still send: a second worker sending the same message again means the first one is gone.
@shared_task(name="notifications.deliver", ignore_result=True, acks_late=True)
def deliver(delivery_id: int) -> str:
    return str(delivery_send(delivery_id=delivery_id))


# A batch bounds itself the same way (notifications.batches): what it could not start in
# time goes back to the queue at once.
@shared_task(name="notifications.deliver_batch", ignore_result=True, acks_late=True)
def deliver_batch(delivery_ids: list[int]) -> dict:
    report = deliveries_send(delivery_ids=delivery_ids)
    if report.handed_back:
        enqueue_many(report.handed_back)
    logger.info("Batch of %s: %s", len(delivery_ids), report.summary())
    return report.summary()


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


def hand_over_retry(delivery_id: int, delay: timedelta) -> None:
    """Queue a retry for when it is due, once the outcome is committed.

    Not in-process (it would run at once, before it is due), nor when due after the
    broker's visibility timeout (Redis would hand a message a worker holds that long to
    a second worker, and again, until it is due): the sweep sends those."""
    conf = deliver.app.conf
    visibility = (conf.broker_transport_options or {}).get("visibility_timeout", 3600)
    if not conf.task_always_eager and delay.total_seconds() < visibility:
        transaction.on_commit(
            lambda: enqueue_delivery(delivery_id, countdown=delay.total_seconds())
        )


def enqueue_many(ids: list[int]) -> int:
    """Hand deliveries to the queue in batches; how many were handed over (fewer than
    given when the broker is unreachable: the sweep releases the rest)."""
    size = settings.NOTIFICATIONS_SEND_BATCH_SIZE
    for start in range(0, len(ids), size):
        batch = ids[start : start + size]
        try:
            deliver_batch.apply_async((batch,), retry=True, retry_policy=PUBLISH_RETRY_POLICY)
        except Exception:
            logger.warning(
                "%s deliveries could not be handed over; the next sweep will send them.",
                len(ids) - start,
                exc_info=True,
            )
            return start
    return len(ids)
