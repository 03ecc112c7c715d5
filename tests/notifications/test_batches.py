"""Sending in batches: one claim, one mail connection, every guarantee of a single send."""

import uuid
from datetime import timedelta

import pytest
import time_machine
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notifications.batches import deliveries_send
from notifications.models import Delivery, DeliveryStatus
from notifications.sending import SentLog
from notifications.services import preferences_set
from notifications.tasks import (
    SOON_IDS,
    SOON_QUEUED,
    _broker_redis,
    deliver_batch,
    deliver_soon,
    enqueue_many,
    enqueue_soon,
)
from tests.notifications.broker import broker
from tests.notifications.factories import person, scheduled
from tests.notifications.smtp import SMTPServer
from tests.real_stack import on_the_real_stack

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp(settings):
    with SMTPServer() as server:
        settings.MAILERS = server.mailers_setting()
        yield server


def due(count: int) -> list[int]:
    users = [person() for _ in range(3)]
    return [scheduled(users[n % 3], key=f"batch:{n}").pk for n in range(count)]


def statuses(ids: list[int]) -> list[str]:
    return list(Delivery.objects.filter(pk__in=ids).order_by("pk").values_list("status", flat=True))


def test_a_batch_goes_out_over_one_connection(smtp):
    ids = due(12)
    report = deliveries_send(delivery_ids=ids)
    assert report.outcomes["sent"] == 12
    assert statuses(ids) == ["sent"] * 12
    assert smtp.handler.connections == 1
    assert len({message["Message-ID"] for message in smtp.received}) == 12


def test_running_a_batch_twice_sends_nothing_twice(smtp):
    ids = due(5)
    deliveries_send(delivery_ids=ids)
    again = deliveries_send(delivery_ids=ids)
    assert again.outcomes["not_claimed"] == 5
    assert len(smtp.received) == 5


def test_a_refusal_in_the_middle_fails_one_message_and_the_others_go(smtp, settings):
    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 300
    ids = due(5)
    smtp.reply_with("250 OK", "554 5.7.1 Rejected", "421 4.3.2 Try later")
    report = deliveries_send(delivery_ids=ids)
    assert statuses(ids) == ["sent", "failed", "pending", "sent", "sent"]
    assert (report.outcomes["sent"], report.outcomes["failed"], report.outcomes["retry"]) == (
        3,
        1,
        1,
    )
    retried = Delivery.objects.get(pk=ids[2])
    assert retried.due_at > timezone.now() + timedelta(seconds=250)
    # A refusal leaves the line usable; a 421 closes it and the next message opens another.
    assert smtp.handler.connections == 2


def test_what_went_out_is_recorded_ten_at_a_time_with_each_messages_details(smtp):
    ids = due(25)
    with CaptureQueriesContext(connection) as captured:
        report = deliveries_send(delivery_ids=ids)
    assert report.outcomes["sent"] == 25
    recorded = [q["sql"].split(":")[0] for q in captured if "SET status = %s" in q["sql"]]
    assert recorded == ["10 times", "10 times", "5 times"]  # the last five as the batch ends
    rows = Delivery.objects.filter(pk__in=ids).select_related("recipient")
    for row in rows:
        assert row.status == DeliveryStatus.SENT and row.claim_token is None
        assert row.address == row.recipient.email and row.language == "fr"
        assert row.subject and row.sent_at and row.updated_at >= row.sent_at
    assert len({row.sent_at for row in rows}) > 1  # each when it was accepted


def test_an_outcome_is_recorded_only_where_the_workers_claim_still_stands(smtp):
    ids = due(3)
    log = SentLog(uuid.uuid4())
    Delivery.objects.filter(pk__in=ids[:2]).update(
        status=DeliveryStatus.SENDING, claimed_at=timezone.now(), claim_token=log.token
    )
    Delivery.objects.filter(pk=ids[1]).update(claim_token=uuid.uuid4())  # taken over
    used = {"subject": "Rappel", "address": "a@example.org", "language": "nl"}
    for delivery_id in ids:
        log.add(delivery_id, timezone.now(), used)
    assert log.record() == 1
    assert statuses(ids) == ["sent", "sending", "pending"]
    assert log.record() == 0  # nothing waits any more


def test_outcomes_that_could_not_be_written_wait_for_the_next_try(monkeypatch):
    ids = due(3)
    log = SentLog(uuid.uuid4())
    Delivery.objects.filter(pk__in=ids).update(
        status=DeliveryStatus.SENDING, claimed_at=timezone.now(), claim_token=log.token
    )
    used = {"subject": "Rappel", "address": "a@example.org", "language": "fr"}
    for delivery_id in ids:
        log.add(delivery_id, timezone.now(), used)
    broken = SentLog.SQL.replace("language = %s", "no_such_column = %s")
    monkeypatch.setattr(SentLog, "SQL", broken)  # the write fails, as on a lost connection
    with pytest.raises(DatabaseError):
        log.record()
    assert statuses(ids) == ["sending"] * 3
    monkeypatch.undo()
    assert log.record() == 3  # the batch's last call, in deliveries_send's finally
    assert statuses(ids) == ["sent"] * 3


def test_a_worker_that_dies_before_recording_sends_at_most_ten_twice(smtp, monkeypatch):
    ids = due(25)
    record = SentLog.record
    calls = []

    def dies_on_the_third(log):
        calls.append(1)
        if len(calls) == 3:  # the last five went out, then the worker was killed
            raise SystemExit("killed")
        return record(log)

    monkeypatch.setattr(SentLog, "record", dies_on_the_third)
    with pytest.raises(SystemExit):
        deliveries_send(delivery_ids=ids)
    assert statuses(ids) == ["sent"] * 20 + ["sending"] * 5
    monkeypatch.setattr(SentLog, "record", record)
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):  # the lease is over
        deliveries_send(delivery_ids=ids)
    assert statuses(ids) == ["sent"] * 25
    received = [message["Message-ID"] for message in smtp.received]
    assert len(set(received)) == 25  # none lost
    assert len(received) - 25 == 5 <= SentLog.record_every


def test_a_mail_server_that_is_down_leaves_every_message_to_a_retry(settings):
    with SMTPServer() as server:
        settings.MAILERS = server.mailers_setting()
    ids = due(3)  # the server is gone
    report = deliveries_send(delivery_ids=ids)
    assert report.outcomes["retry"] == 3
    assert statuses(ids) == ["pending"] * 3
    assert set(Delivery.objects.filter(pk__in=ids).values_list("attempts", flat=True)) == {1}


def test_what_a_batch_cannot_start_in_time_goes_back_unsent_and_uncounted(
    smtp, settings, monkeypatch
):
    settings.NOTIFICATIONS_CLAIM_LEASE_SECONDS = 40  # a batch starts nothing after 10 s
    ids = due(4)
    start = timezone.now()
    clock = iter([0, 11])  # the batch starts; by the second message, 11 s have passed
    monkeypatch.setattr("notifications.batches.monotonic", lambda: next(clock))
    report = deliveries_send(delivery_ids=ids)
    assert report.outcomes["sent"] == 1
    assert report.handed_back == ids[1:]
    assert statuses(ids) == ["sent", "pending", "pending", "pending"]
    back = Delivery.objects.filter(pk__in=ids[1:])
    assert set(back.values_list("attempts", flat=True)) == {0}
    assert set(back.values_list("claim_token", flat=True)) == {None}
    assert all(d.due_at <= start for d in back)  # still due: the next hand-over sends them


def test_a_claim_held_by_a_living_worker_is_left_alone(smtp):
    ids = due(3)
    Delivery.objects.filter(pk=ids[1]).update(
        status=DeliveryStatus.SENDING, claimed_at=timezone.now(), attempts=1
    )
    report = deliveries_send(delivery_ids=ids)
    assert report.outcomes["not_claimed"] == 1
    assert statuses(ids) == ["sent", "sending", "sent"]
    # Once its lease is over it is taken to be a crashed worker's, and sent.
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        deliveries_send(delivery_ids=ids)
    assert statuses(ids) == ["sent", "sent", "sent"]


def test_a_batch_loads_its_messages_in_bulk(smtp):
    def queries(count: int) -> int:
        ids = due(count)
        with CaptureQueriesContext(connection) as captured:
            deliveries_send(delivery_ids=ids)
        return len(captured)

    small, large = queries(5), queries(15)
    # Per message: what its kind's context needs and the outcome. The recipients'
    # profiles (their language) and preferences are read once for the batch.
    assert (large - small) / 10 <= 2


def test_a_batch_reads_each_recipients_own_choice(smtp):
    stays, leaves = person(language="nl"), person()
    preferences_set(user=leaves, choices={"session_reminders": False})
    ids = [scheduled(user, key=f"choice:{n}").pk for n, user in enumerate([stays, leaves] * 2)]
    report = deliveries_send(delivery_ids=ids)
    assert statuses(ids) == ["sent", "skipped"] * 2
    assert report.outcomes["sent"] == 2
    assert [message["Content-Language"] for message in smtp.received] == ["nl", "nl"]


def test_the_sweep_hands_over_one_task_per_batch(settings, monkeypatch):
    settings.NOTIFICATIONS_SEND_BATCH_SIZE = 4
    handed = []
    monkeypatch.setattr(deliver_batch, "apply_async", lambda args, **_: handed.append(args[0]))
    assert enqueue_many(list(range(1, 11))) == 10
    assert handed == [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10]]


@pytest.fixture
def soon(settings, monkeypatch):
    """enqueue_soon on the Redis of REDIS_URL, its deliver_soon tasks kept here (their
    countdowns) for the test to run as a worker would."""
    queued: list[dict] = []
    with broker(settings.REDIS_URL):
        _broker_redis().delete(SOON_IDS, SOON_QUEUED)
        monkeypatch.setattr(deliver_soon, "apply_async", lambda **options: queued.append(options))
        yield queued
        _broker_redis().delete(SOON_IDS, SOON_QUEUED)


@on_the_real_stack
def test_a_burst_of_notices_goes_out_in_one_task_and_one_connection(smtp, soon):
    ids = due(6)
    for delivery_id in ids:  # six requests, each with its notice
        enqueue_soon([delivery_id])
    assert len(soon) == 1 and soon[0]["countdown"] > 0
    assert deliver_soon() == 6
    assert statuses(ids) == ["sent"] * 6
    assert smtp.handler.connections == 1
    # Taken when it started: the next notice queues the next task, and the same task
    # run twice (a worker lost before its acknowledgement) finds nothing to send.
    assert deliver_soon() == 0
    later = [scheduled(person(), key="later").pk]
    enqueue_soon(later)
    assert len(soon) == 2
    assert deliver_soon() == 1
    assert len(smtp.received) == 7


@on_the_real_stack
def test_more_notices_than_a_batch_are_handed_over_in_batches(settings, soon, smtp, monkeypatch):
    settings.NOTIFICATIONS_SEND_BATCH_SIZE = 4
    handed = []
    monkeypatch.setattr(deliver_batch, "apply_async", lambda args, **_: handed.append(args[0]))
    ids = due(10)
    enqueue_soon(ids)
    assert deliver_soon() == 10
    assert statuses(ids[:4]) == ["sent"] * 4
    assert handed == [ids[4:8], ids[8:]]
