"""Celery tasks: thin, they take ids, and running one twice does no harm."""

import contextlib
import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from redis import Redis

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


@shared_task(name="notifications.deliver_soon", ignore_result=True, acks_late=True)
def deliver_soon() -> int:
    """Send what enqueue_soon gathered since the last of these tasks started: a batch
    sent here, any more handed over in batches. Running it twice sends nothing twice:
    the second finds the list empty, or deliveries already claimed."""
    client = _broker_redis()
    # The mark first, then the list: an id added after this line queues the next task.
    client.delete(SOON_QUEUED)
    with client.pipeline() as pipe:
        pipe.lrange(SOON_IDS, 0, -1)
        pipe.delete(SOON_IDS)
        raw, _deleted = pipe.execute()
    ids = list(dict.fromkeys(int(value) for value in raw))
    if not ids:
        return 0
    size = settings.NOTIFICATIONS_SEND_BATCH_SIZE
    enqueue_many(ids[size:])
    deliver_batch(ids[:size])
    return len(ids)


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


# enqueue_soon's Redis keys, in the broker's database: the ids waiting to be sent, and
# the mark that a deliver_soon task is in the queue. The mark expires, so a task lost
# with its worker does not hold the next ones back for long (the sweep sends its ids).
SOON_IDS = "notifications:soon:ids"
SOON_QUEUED = "notifications:soon:queued"
SOON_QUEUED_SECONDS = 60
# How long a deliver_soon task waits before it takes the list: a lone message is late by
# this much, a burst's messages go in batches instead of a task each.
SOON_GATHER_SECONDS = 0.5

_redis_clients: dict[str, Redis] = {}


def _broker_redis() -> Redis:
    url = deliver_batch.app.conf.broker_url
    if url not in _redis_clients:
        # Fail fast, as publishing does (PUBLISH_RETRY_POLICY).
        _redis_clients[url] = Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    return _redis_clients[url]


def enqueue_soon(ids: list[int]) -> None:
    """Hand deliveries due now to the workers, many requests' worth in one task.

    A burst of enrolments gives one notice each: handed over one by one, each would
    cost a task, a claim and a mail connection of its own. Instead the ids join a list,
    and a deliver_soon task is queued only when none is waiting: it takes the whole list
    when it starts, SOON_GATHER_SECONDS later. In a burst, what arrives meanwhile goes
    with it. A worker lost after taking the list leaves those deliveries pending, for
    the sweep to send. Without a Redis broker (embedded mode, tasks in-process) they
    are handed over directly."""
    conf = deliver_batch.app.conf
    if conf.task_always_eager or not str(conf.broker_url).startswith(("redis://", "rediss://")):
        enqueue_many(ids)
        return
    client = _broker_redis()
    try:
        with client.pipeline(transaction=False) as pipe:
            pipe.rpush(SOON_IDS, *ids)
            pipe.set(SOON_QUEUED, 1, nx=True, ex=SOON_QUEUED_SECONDS)
            _pushed, first = pipe.execute()
        if first:
            deliver_soon.apply_async(
                countdown=SOON_GATHER_SECONDS, retry=True, retry_policy=PUBLISH_RETRY_POLICY
            )
    except Exception:
        # The mark must not outlive a task that was never queued.
        with contextlib.suppress(Exception):
            client.delete(SOON_QUEUED)
        logger.warning(
            "%s deliveries could not be handed over; the next sweep will send them.",
            len(ids),
            exc_info=True,
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
