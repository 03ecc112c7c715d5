"""Sending one delivery, and the sweep that finds what is due.

Exactly one worker sends a delivery: it first claims the row with a conditional
UPDATE (pending and due → sending), and records the outcome only if its claim still
stands. A claim older than the lease is taken to be a crashed worker's and can be
claimed again, so nothing stays stuck. A retry is a pending row with a later due
time: it survives a lost broker like any other due message.
"""

import logging
import smtplib
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.mail import mailers
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from .deadline import deadline
from .models import Delivery, DeliveryStatus
from .registry import Skip, recipient_relations, run_planners

logger = logging.getLogger(__name__)


class Outcome(StrEnum):
    SENT = "sent"
    SKIPPED = "skipped"
    FAILED = "failed"
    RETRY = "retry"
    NOT_CLAIMED = "not_claimed"


def claim_lease() -> timedelta:
    return timedelta(seconds=settings.NOTIFICATIONS_CLAIM_LEASE_SECONDS)


def send_time_limit() -> float:
    """Seconds a worker may spend talking to the mail server for one delivery: half the
    lease, so a claim outlives any send that is still running
    (NOTIFICATIONS_CLAIM_LEASE_SECONDS). A send cut short is retried like a timeout."""
    return settings.NOTIFICATIONS_CLAIM_LEASE_SECONDS / 2


def due_deliveries(now: datetime) -> QuerySet[Delivery]:
    """Rows a worker may claim now: pending and due, or claimed by a worker long gone."""
    return Delivery.objects.filter(
        Q(status=DeliveryStatus.PENDING, due_at__lte=now)
        | Q(status=DeliveryStatus.SENDING, claimed_at__lt=now - claim_lease())
    )


def is_transient(error: BaseException) -> bool:
    """A failure that may go away by itself: a 4xx reply, or the connection failing."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return bool(codes) and all(400 <= code < 500 for code in codes)
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return True
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    if isinstance(error, smtplib.SMTPException):
        return False
    # Refused, reset, timed out, unreachable host, name resolution: all OSError.
    return isinstance(error, OSError)


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: base, 2×base, 4×base… capped."""
    seconds = settings.NOTIFICATIONS_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.NOTIFICATIONS_RETRY_MAX_SECONDS))


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:2000]


def _claim(delivery_id: int, now: datetime) -> uuid.UUID | None:
    token = uuid.uuid4()
    claimed = (
        due_deliveries(now)
        .filter(pk=delivery_id)
        .update(
            status=DeliveryStatus.SENDING,
            claimed_at=now,
            claim_token=token,
            attempts=F("attempts") + 1,
            enqueued_at=None,
            updated_at=now,
        )
    )
    return token if claimed else None


def _finish(delivery: Delivery, token: uuid.UUID, **fields) -> bool:
    """Record the outcome, only if this worker's claim still stands."""
    done = Delivery.objects.filter(
        pk=delivery.pk, claim_token=token, status=DeliveryStatus.SENDING
    ).update(claim_token=None, updated_at=timezone.now(), **fields)
    if not done:
        logger.warning(
            "Delivery %s: the claim expired before the outcome was recorded.", delivery.pk
        )
    return bool(done)


class SentLog:
    """The outcomes of messages the mail server accepted, recorded a few at a time.

    One UPDATE and its commit for each message was a fifth of a worker's time on a
    campaign (py-spy on `make bench`'s fan-out); one statement executed for many
    (psycopg sends them in one round trip) with one commit costs little more than one.
    What waits here has gone out: a worker that dies before recording it leaves those
    claims, which another worker takes once the lease ends. So at most `record_every`
    messages of a worker go twice when it is killed, and none is lost. As in _finish, an
    outcome is recorded only where this worker's claim still stands.
    """

    record_every = 10
    SQL = (
        f"UPDATE {Delivery._meta.db_table}"
        " SET status = %s, claim_token = NULL, sent_at = %s, updated_at = %s,"
        " subject = %s, address = %s, language = %s"
        " WHERE id = %s AND claim_token = %s AND status = %s"
    )

    def __init__(self, token: uuid.UUID) -> None:
        self.token = token
        self.waiting: list[tuple[int, datetime, dict[str, str]]] = []

    def add(self, delivery_id: int, sent_at: datetime, used: dict[str, str]) -> None:
        self.waiting.append((delivery_id, sent_at, used))
        if len(self.waiting) >= self.record_every:
            self.record()

    def record(self) -> int:
        """Write what waits; how many rows were still this worker's to record. What
        fails to be written stays, for the next call (the batch's last) to try again."""
        rows = sorted(self.waiting, key=lambda row: row[0])  # rows locked in one order
        if not rows:
            return 0
        adapt = connection.ops.adapt_datetimefield_value
        token = Delivery._meta.get_field("claim_token").get_db_prep_value(self.token, connection)
        now = adapt(timezone.now())
        params = [
            (DeliveryStatus.SENT.value, adapt(sent_at), now, used["subject"], used["address"])
            + (used["language"], delivery_id, token, DeliveryStatus.SENDING.value)
            for delivery_id, sent_at, used in rows
        ]
        # One transaction: one commit for all, and the rows all recorded or none.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(self.SQL, params)
            recorded = cursor.rowcount
        self.waiting = []
        if recorded < len(rows):
            logger.warning(
                "%s of %s deliveries: the claim expired before the outcome was recorded.",
                len(rows) - recorded,
                len(rows),
            )
        return recorded


def delivery_send(*, delivery_id: int) -> Outcome:
    """Send one delivery if it is due and nobody else is sending it. Safe to call twice."""
    token = _claim(delivery_id, timezone.now())
    if token is None:
        return Outcome.NOT_CLAIMED
    delivery = Delivery.objects.select_related(*recipient_relations()).get(pk=delivery_id)
    with claimed_sending(token) as (mailer, sent_log):
        return send_claimed(delivery, token, mailer, sent_log)


@contextmanager
def claimed_sending(token: uuid.UUID) -> Iterator[tuple[Any, SentLog]]:
    """The mail connection and sent log that claimed deliveries (one, or a batch) go out
    with. At the end, whatever happens, what went out is recorded, then the connection
    closed: the outcomes first, so a QUIT that hangs cannot delay them."""
    mailer = mailers.default
    sent_log = SentLog(token)
    try:
        yield mailer, sent_log
    finally:
        try:
            sent_log.record()
        finally:
            close_connection(mailer)


def send_claimed(delivery: Delivery, token: uuid.UUID, mailer, sent_log: SentLog) -> Outcome:
    """Render and send a delivery this worker has claimed (with `token`) through
    `mailer`, opening its connection if needed, and record the outcome: at once, or in
    `sent_log` (written by the caller with others) when the message went out."""
    if delivery.attempts > settings.NOTIFICATIONS_MAX_ATTEMPTS:
        # Workers kept dying while sending this one: stop trying.
        _finish(delivery, token, status=DeliveryStatus.FAILED, last_error="Too many attempts.")
        return Outcome.FAILED

    from .rendering import render_delivery

    try:
        rendered = render_delivery(delivery)
    except Exception as error:
        # A bug or missing data: retrying would not help. Managers see it on the list.
        logger.exception("Delivery %s could not be rendered.", delivery.pk)
        _finish(delivery, token, status=DeliveryStatus.FAILED, last_error=_describe(error))
        return Outcome.FAILED
    if isinstance(rendered, Skip):
        _finish(delivery, token, status=DeliveryStatus.SKIPPED, skip_reason=rendered.reason[:200])
        return Outcome.SKIPPED

    used = {"subject": rendered.subject, "address": rendered.address, "language": rendered.language}
    try:
        with deadline(send_time_limit()):
            mailer.open()  # kept open for the next message of a batch
            mailer.send_messages([rendered.as_message()])
    except Exception as error:
        if not _line_still_usable(mailer, error):
            abandon_connection(mailer)  # broken, hung or closed: the next message opens another
        transient = is_transient(error)
        if transient and delivery.attempts < settings.NOTIFICATIONS_MAX_ATTEMPTS:
            delay = retry_delay(delivery.attempts)
            logger.info("Delivery %s: %s; retrying in %s.", delivery.pk, _describe(error), delay)
            _finish(
                delivery,
                token,
                status=DeliveryStatus.PENDING,
                due_at=timezone.now() + delay,
                claimed_at=None,
                last_error=_describe(error),
                **used,
            )
            _enqueue_retry(delivery.pk, delay)
            return Outcome.RETRY
        logger.warning("Delivery %s failed: %s", delivery.pk, _describe(error))
        _finish(delivery, token, status=DeliveryStatus.FAILED, last_error=_describe(error), **used)
        return Outcome.FAILED

    sent_log.add(delivery.pk, timezone.now(), used)
    return Outcome.SENT


def _line_still_usable(mailer, error: BaseException) -> bool:
    """A bad reply about one message leaves the connection usable for the next, unless
    the server closed it (a 421 does)."""
    connection = getattr(mailer, "connection", None)
    replied = isinstance(error, smtplib.SMTPResponseException | smtplib.SMTPRecipientsRefused)
    return replied and getattr(connection, "sock", None) is not None


def close_connection(mailer) -> None:
    """Say goodbye to the mail server once the outcomes are recorded: a QUIT that fails
    or hangs changes nothing, so it is bounded and its errors are dropped."""
    try:
        with deadline(send_time_limit()):
            mailer.close()
    except Exception:
        abandon_connection(mailer)


def abandon_connection(mailer) -> None:
    """Drop a mail connection without the polite QUIT, which a hung server would make
    wait out the socket's timeout."""
    connection = getattr(mailer, "connection", None)
    if connection is not None:
        try:
            connection.close()
        finally:
            mailer.connection = None


# How a retry goes back to the queue before the next sweep: notifications.tasks, set
# from NotificationsConfig.ready(), so that this module never imports the tasks that
# import it. Unset (a script without the app's ready()), the next sweep sends it.
RetryHandover = Callable[[int, timedelta], None]
_retry_handover: RetryHandover | None = None


def set_retry_handover(handover: RetryHandover | None) -> None:
    global _retry_handover
    _retry_handover = handover


def _enqueue_retry(delivery_id: int, delay: timedelta) -> None:
    if _retry_handover is not None:
        _retry_handover(delivery_id, delay)


# --- The sweep ---------------------------------------------------------------------


def queue_room(now: datetime) -> int:
    """How many more deliveries may be handed to the queue now.

    At most one sweep's worth waits in the queue at a time. Without this bound, a
    campaign larger than the workers can send within the hand-over lease would be
    handed over again every minute while its first hand-over still waits in the queue:
    the broker's queue, and its memory, would grow with the audience.
    """
    limit = settings.NOTIFICATIONS_SWEEP_BATCH_SIZE * settings.NOTIFICATIONS_SWEEP_MAX_BATCHES
    handed_long_ago = now - timedelta(seconds=settings.NOTIFICATIONS_ENQUEUE_LEASE_SECONDS)
    # A worker's claim clears enqueued_at: what is left was handed over and not picked up.
    waiting = Delivery.objects.filter(
        status=DeliveryStatus.PENDING, enqueued_at__gte=handed_long_ago
    ).count()
    return max(limit - waiting, 0)


def take_due_batch(*, now: datetime, size: int) -> list[int]:
    """Take up to `size` due deliveries that no other sweep holds, and mark them handed
    over so the next sweep leaves them alone while they wait in the queue."""
    handed_long_ago = now - timedelta(seconds=settings.NOTIFICATIONS_ENQUEUE_LEASE_SECONDS)
    with transaction.atomic():
        size = min(size, queue_room(now))
        if not size:
            return []
        ids = list(
            due_deliveries(now)
            .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=handed_long_ago))
            .order_by("due_at", "pk")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:size]
        )
        if ids:
            Delivery.objects.filter(pk__in=ids).update(enqueued_at=now)
    return ids


@dataclass
class SweepReport:
    handed_over: int = 0
    batches: int = 0
    failed_planners: list[str] = field(default_factory=list)
    stopped_early: bool = False


Dispatch = Callable[[list[int]], int]


def send_inline(ids: list[int]) -> int:
    for delivery_id in ids:
        delivery_send(delivery_id=delivery_id)
    return len(ids)


def sweep(*, dispatch: Dispatch, now: datetime | None = None) -> SweepReport:
    """Run the planners, then hand the due deliveries to `dispatch` in bounded batches.

    `dispatch(ids)` returns how many it handed over; fewer than given means the broker
    is unreachable: the rest is released for the next sweep.
    """
    now = now or timezone.now()
    report = SweepReport(failed_planners=run_planners(now=now))
    for _batch in range(settings.NOTIFICATIONS_SWEEP_MAX_BATCHES):
        ids = take_due_batch(now=now, size=settings.NOTIFICATIONS_SWEEP_BATCH_SIZE)
        if not ids:
            break
        report.batches += 1
        handed = dispatch(ids)
        report.handed_over += handed
        if handed < len(ids):
            Delivery.objects.filter(pk__in=ids[handed:], status=DeliveryStatus.PENDING).update(
                enqueued_at=None
            )
            report.stopped_early = True
            break
    return report
