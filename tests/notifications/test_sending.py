"""Sending: claimed once, sent once, skipped when no longer wanted, retried only when
the failure may pass."""

import io
import logging
import smtplib
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from notifications.models import Delivery, DeliveryStatus
from notifications.registry import register_kind, register_planner, unregister
from notifications.sending import (
    Outcome,
    delivery_send,
    is_transient,
    queue_room,
    retry_delay,
    send_inline,
    send_time_limit,
    sweep,
    take_due_batch,
)
from notifications.services import delivery_schedule, preference_set, preferences_set
from notifications.tasks import deliver
from tests.notifications import kinds
from tests.notifications.broker import broker
from tests.notifications.factories import person, scheduled
from tests.notifications.smtp import SMTPServer, StallingHandler, free_port

pytestmark = pytest.mark.django_db


def statuses() -> dict[str, str]:
    return dict(Delivery.objects.values_list("intent_key", "status"))


def test_the_sweep_sends_what_is_due_once():
    user = person()
    now = timezone.now()
    scheduled(user, key="a", due_at=now - timedelta(minutes=5))
    scheduled(user, key="b", due_at=now)
    scheduled(user, key="later", due_at=now + timedelta(hours=1))

    out = io.StringIO()
    call_command("send_due_messages", stdout=out)

    assert "2 message(s) processed" in out.getvalue()
    assert statuses() == {"a": "sent", "b": "sent", "later": "pending"}
    assert len(mail.outbox) == 2
    sent = Delivery.objects.get(intent_key="a")
    assert sent.attempts == 1
    assert sent.sent_at is not None
    assert (sent.address, sent.language) == (user.email, "fr")
    assert sent.subject == mail.outbox[0].subject
    # Again, and the task itself again: nothing goes out twice.
    call_command("send_due_messages", stdout=io.StringIO())
    assert delivery_send(delivery_id=sent.pk) == Outcome.NOT_CLAIMED
    assert len(mail.outbox) == 2


def test_a_message_goes_out_when_it_falls_due():
    user = person()
    scheduled(user, key="tomorrow", due_at=timezone.now() + timedelta(days=1))
    sweep(dispatch=send_inline)
    assert mail.outbox == []
    with time_machine.travel(timezone.now() + timedelta(days=1, minutes=1)):
        sweep(dispatch=send_inline)
    assert statuses() == {"tomorrow": "sent"}
    assert len(mail.outbox) == 1


def test_the_send_task_sends_once_however_often_it_runs():
    from notifications.tasks import deliver

    delivery = scheduled(person())
    assert deliver.delay(delivery.pk).get() == "sent"
    assert deliver.delay(delivery.pk).get() == "not_claimed"
    assert len(mail.outbox) == 1


def test_an_opted_out_recipient_is_skipped_at_send_time():
    user = person()
    delivery = scheduled(user)
    # Turned off after the reminder was scheduled: the send-time check sees it.
    preference_set(user=user, category="session_reminders", enabled=False)
    assert delivery_send(delivery_id=delivery.pk) == Outcome.SKIPPED
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SKIPPED
    assert "session_reminders" in delivery.skip_reason
    assert mail.outbox == []


def test_service_messages_go_out_whatever_the_switches():
    user = person()
    preferences_set(user=user, choices={"session_reminders": False, "surveys": False})
    delivery = scheduled(user, kind=kinds.NOTICE)
    assert delivery_send(delivery_id=delivery.pk) == Outcome.SENT


def test_a_message_no_longer_relevant_is_skipped_with_its_reason():
    delivery = scheduled(person(), workshop=12)
    kinds.CANCELLED_WORKSHOPS.add(12)
    assert delivery_send(delivery_id=delivery.pk) == Outcome.SKIPPED
    delivery.refresh_from_db()
    assert delivery.skip_reason == "workshop 12 was cancelled"
    assert mail.outbox == []


def test_an_inactive_account_gets_nothing():
    user = person()
    delivery = scheduled(user)
    user.is_active = False
    user.save()
    assert delivery_send(delivery_id=delivery.pk) == Outcome.SKIPPED
    assert mail.outbox == []


def test_a_broken_context_builder_fails_the_delivery_without_retrying(caplog):
    def broken(delivery):
        raise KeyError("session_id")

    register_kind(
        "tests.broken",
        label="Broken",
        category="service",
        template="tests_notifications/email/enrolment_notice",
        build_context=broken,
    )
    try:
        delivery = delivery_schedule(kind="tests.broken", recipient=person(), intent_key="x")
        with caplog.at_level(logging.ERROR, logger="notifications.sending"):
            assert delivery_send(delivery_id=delivery.pk) == Outcome.FAILED
    finally:
        unregister(kind="tests.broken")
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert "KeyError" in delivery.last_error
    assert delivery.attempts == 1


def test_a_crashed_workers_claim_is_taken_again_after_the_lease(settings):
    user = person()
    now = timezone.now()
    lease = timedelta(seconds=settings.NOTIFICATIONS_CLAIM_LEASE_SECONDS)
    crashed = scheduled(user, key="crashed")
    busy = scheduled(user, key="busy")
    Delivery.objects.filter(pk=crashed.pk).update(
        status=DeliveryStatus.SENDING, claimed_at=now - lease - timedelta(seconds=1), attempts=1
    )
    # Claimed just inside the lease: its worker may still be sending it.
    Delivery.objects.filter(pk=busy.pk).update(
        status=DeliveryStatus.SENDING, claimed_at=now - lease + timedelta(seconds=5), attempts=1
    )
    sweep(dispatch=send_inline)
    assert statuses() == {"crashed": "sent", "busy": "sending"}
    assert Delivery.objects.get(pk=crashed.pk).attempts == 2


def test_the_lease_is_sized_to_a_send_and_outlives_its_deadline(settings):
    # Seconds, not minutes: a crashed worker's messages go out again within a sweep or two.
    assert settings.NOTIFICATIONS_CLAIM_LEASE_SECONDS <= 120
    # A send is given up well before the lease ends, so a second worker never sends a
    # message that a slow but living first one may still send…
    assert send_time_limit() < settings.NOTIFICATIONS_CLAIM_LEASE_SECONDS
    # …but not before the mail server had time to answer twice.
    assert send_time_limit() >= 2 * settings.MAILERS["default"].get("OPTIONS", {}).get(
        "timeout", 15
    )
    # The send bounds itself: a Celery time limit is kept by the worker's main process,
    # which fires it late after a broker outage (notifications.deadline).
    assert deliver.time_limit is None


def test_a_message_that_keeps_killing_workers_is_given_up(settings):
    delivery = scheduled(person())
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SENDING,
        claimed_at=timezone.now() - timedelta(days=1),
        attempts=settings.NOTIFICATIONS_MAX_ATTEMPTS,
    )
    assert delivery_send(delivery_id=delivery.pk) == Outcome.FAILED
    assert mail.outbox == []


def test_a_handed_over_delivery_is_not_handed_over_again_until_its_lease_ends(settings):
    delivery = scheduled(person())
    now = timezone.now()
    assert take_due_batch(now=now, size=10) == [delivery.pk]
    assert take_due_batch(now=now + timedelta(minutes=1), size=10) == []
    # The queue lost it (Redis restarted empty): after the lease the sweep hands it over again.
    later = now + timedelta(seconds=settings.NOTIFICATIONS_ENQUEUE_LEASE_SECONDS + 1)
    assert take_due_batch(now=later, size=10) == [delivery.pk]


def test_a_sweep_handles_a_bounded_number_of_messages(settings):
    settings.NOTIFICATIONS_SWEEP_BATCH_SIZE = 2
    settings.NOTIFICATIONS_SWEEP_MAX_BATCHES = 2
    user = person()
    for n in range(5):
        scheduled(user, key=f"m{n}", due_at=timezone.now() - timedelta(minutes=10 - n))
    report = sweep(dispatch=send_inline)
    assert (report.handed_over, report.batches) == (4, 2)
    # Oldest first; the last one waits for the next sweep.
    assert statuses()["m4"] == "pending"
    assert len(mail.outbox) == 4
    sweep(dispatch=send_inline)
    assert len(mail.outbox) == 5


def test_the_queue_holds_at_most_one_sweeps_worth_however_large_the_backlog(settings):
    """A campaign bigger than the workers send within the hand-over lease: sweeps top the
    queue up as workers take messages from it, instead of piling up hand-overs."""
    settings.NOTIFICATIONS_SWEEP_BATCH_SIZE = 2
    settings.NOTIFICATIONS_SWEEP_MAX_BATCHES = 2
    user = person()
    for n in range(10):
        scheduled(user, key=f"m{n}", due_at=timezone.now() - timedelta(minutes=10 - n))
    queued: list[int] = []

    def to_a_slow_queue(ids: list[int]) -> int:
        queued.extend(ids)
        return len(ids)

    start = timezone.now()
    lease_minutes = settings.NOTIFICATIONS_ENQUEUE_LEASE_SECONDS // 60
    # A sweep every minute while nobody takes anything from the queue, past the lease.
    for minute in range(lease_minutes + 3):
        with time_machine.travel(start + timedelta(minutes=minute), tick=False):
            sweep(dispatch=to_a_slow_queue)
            assert queue_room(timezone.now()) == 0
    # The four oldest, handed over once, and once more when their hand-over expired.
    assert len(queued) == 8
    assert len(set(queued)) == 4
    # A worker takes two from the queue: the next sweep hands over two others.
    later = start + timedelta(minutes=lease_minutes + 3)
    with time_machine.travel(later, tick=False):
        for delivery_id in queued[:2]:
            assert delivery_send(delivery_id=delivery_id) == Outcome.SENT
        report = sweep(dispatch=to_a_slow_queue)
    assert report.handed_over == 2
    assert not set(queued[-2:]) & set(queued[:-2])


def test_when_the_broker_refuses_the_rest_waits_for_the_next_sweep():
    user = person()
    first, second = scheduled(user, key="first"), scheduled(user, key="second")
    report = sweep(dispatch=lambda ids: 1)
    assert report.stopped_early
    assert Delivery.objects.get(pk=first.pk).enqueued_at is not None
    assert Delivery.objects.get(pk=second.pk).enqueued_at is None
    # The next sweep picks up the one that was not handed over.
    assert take_due_batch(now=timezone.now(), size=10) == [second.pk]


def test_send_now_while_the_broker_is_down_loses_nothing(django_capture_on_commit_callbacks):
    """No broker answers on that port: the enrolment still succeeds, the message stays
    pending in the database, and the next sweep sends it."""
    user = person()
    with (
        broker(f"redis://127.0.0.1:{free_port()}/0"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        delivery = delivery_schedule(
            kind=kinds.NOTICE,
            recipient=user,
            intent_key="enrolment:5",
            context={"workshop_id": 5},
            send_now=True,
        )
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING
    assert mail.outbox == []
    sweep(dispatch=send_inline)
    assert len(mail.outbox) == 1


def test_planners_run_before_sending_and_one_failing_does_not_stop_the_others(caplog):
    user = person()
    seen = []

    def plan_reminders(*, now):
        seen.append(now)
        scheduled(user, key=f"planned:{now.date()}", due_at=now)

    def plan_broken(*, now):
        raise RuntimeError("planner bug")

    register_planner("tests.broken", plan_broken)
    register_planner("tests.reminders", plan_reminders)
    try:
        with caplog.at_level(logging.ERROR, logger="notifications.registry"):
            report = sweep(dispatch=send_inline)
            sweep(dispatch=send_inline)
    finally:
        unregister(planner="tests.broken")
        unregister(planner="tests.reminders")
    assert report.failed_planners == ["tests.broken"]
    assert "planner bug" in caplog.text
    assert len(seen) == 2 and seen[0].tzinfo is not None
    # Planned twice, recorded once, sent once.
    assert Delivery.objects.count() == 1
    assert len(mail.outbox) == 1


# --- SMTP failures ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "transient"),
    [
        (smtplib.SMTPServerDisconnected("gone"), True),
        (smtplib.SMTPDataError(421, b"try later"), True),
        (smtplib.SMTPDataError(451, b"local error"), True),
        (smtplib.SMTPDataError(550, b"no such user"), False),
        (smtplib.SMTPConnectError(421, b"too busy"), True),
        (smtplib.SMTPConnectError(554, b"go away"), False),
        (smtplib.SMTPRecipientsRefused({"a@example.org": (450, b"mailbox busy")}), True),
        (smtplib.SMTPRecipientsRefused({"a@example.org": (550, b"unknown")}), False),
        (smtplib.SMTPAuthenticationError(535, b"bad credentials"), False),
        (smtplib.SMTPSenderRefused(553, b"not allowed", "portal@example.org"), False),
        (ConnectionRefusedError(111, "refused"), True),
        (ConnectionResetError(104, "reset"), True),
        (TimeoutError("timed out"), True),
        (ValueError("Invalid address"), False),
    ],
)
def test_only_transient_errors_are_retried(error, transient):
    assert is_transient(error) is transient


def test_backoff_doubles_and_is_capped(settings):
    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 60
    settings.NOTIFICATIONS_RETRY_MAX_SECONDS = 600
    delays = [retry_delay(n).total_seconds() for n in range(1, 6)]
    assert delays == [60, 120, 240, 480, 600]


@pytest.fixture
def smtp(settings):
    with SMTPServer() as server:
        settings.MAILERS = server.mailers_setting()
        yield server


def test_a_real_smtp_server_receives_one_multipart_message(smtp):
    delivery = scheduled(person())
    assert delivery_send(delivery_id=delivery.pk) == Outcome.SENT
    [message] = smtp.received
    assert message.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in message.iter_parts()] == [
        "text/plain",
        "text/html",
    ]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["List-Unsubscribe"].startswith("<https://bien-etre.example.org/fr/messages/")


def test_a_421_is_retried_with_backoff_then_sent(smtp, settings):
    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 300
    smtp.reply_with("421 4.3.2 Service not available, try later")
    delivery = scheduled(person())
    start = timezone.now()

    sweep(dispatch=send_inline)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
    assert "421" in delivery.last_error
    assert delivery.due_at >= start + timedelta(seconds=300)
    sweep(dispatch=send_inline)  # not due yet: nothing happens
    assert smtp.handler.attempts == 1

    with time_machine.travel(timezone.now() + timedelta(seconds=301)):
        sweep(dispatch=send_inline)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 2)
    assert len(smtp.received) == 1


def test_transient_failures_stop_after_the_bound(smtp, settings):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 60
    smtp.reply_with(*["421 Try again later"] * 10)
    delivery = scheduled(person())
    for hours in range(4):
        with time_machine.travel(timezone.now() + timedelta(hours=hours)):
            sweep(dispatch=send_inline)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 3)
    assert "421" in delivery.last_error
    assert smtp.handler.attempts == 3
    assert smtp.received == []


def test_a_permanent_refusal_fails_at_once(smtp):
    smtp.reply_with("550 5.1.1 No such mailbox")
    delivery = scheduled(person())
    assert delivery_send(delivery_id=delivery.pk) == Outcome.FAILED
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 1)
    assert "550" in delivery.last_error


def test_an_unreachable_mail_server_is_retried(settings):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},
        }
    }
    delivery = scheduled(person())
    assert delivery_send(delivery_id=delivery.pk) == Outcome.RETRY
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING
    assert "ConnectionRefusedError" in delivery.last_error


def test_a_mail_server_that_hangs_is_given_up_at_the_deadline_and_retried(settings):
    settings.NOTIFICATIONS_CLAIM_LEASE_SECONDS = 2  # a deadline of one second
    # The server answers after 4 s, within the socket's timeout (5 s): only the deadline
    # stops this send.
    with SMTPServer(StallingHandler(seconds=4)) as server:
        settings.MAILERS = server.mailers_setting()
        delivery = scheduled(person())
        assert delivery_send(delivery_id=delivery.pk) == Outcome.RETRY
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.claim_token is None  # released at once, not after the lease
    assert "Sending took longer than 1 s" in delivery.last_error
    assert not server.received
