"""On the real stack: PostgreSQL, a Redis of our own, a real Celery worker process and a
real SMTP server. Runs when DATABASE_URL (PostgreSQL) and REDIS_URL are set, as in CI.

The Redis these tests use is started here on a free port, so stopping it touches
nobody else's; the worker is `celery -A wellbeing worker` in a subprocess.
"""

import os
import subprocess
import sys
import tempfile
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone
from redis import Redis

from notifications.models import Delivery, DeliveryStatus
from notifications.sending import send_inline, sweep
from notifications.services import delivery_schedule
from notifications.tasks import deliver, enqueue_many, send_due_deliveries
from programme import emails as programme_emails
from tests.concurrency import at_once, failures
from tests.notifications import kinds
from tests.notifications.broker import broker
from tests.notifications.factories import person, scheduled
from tests.notifications.smtp import SMTPServer
from tests.programme.factories import EnrolmentFactory, ModuleFactory, SessionFactory
from tests.real_stack import REAL_STACK_ONLY, RedisServer
from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [*REAL_STACK_ONLY, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def redis():
    server = RedisServer()
    server.start()
    yield server
    if server.process is not None:
        server.stop()


@pytest.fixture(scope="module")
def smtp_server():
    with SMTPServer() as server:
        yield server


@pytest.fixture
def smtp(smtp_server):
    smtp_server.handler.received.clear()
    smtp_server.handler.replies = []
    smtp_server.handler.attempts = 0
    return smtp_server


def database_url() -> str:
    db = connection.settings_dict
    credentials = quote(db["USER"] or "postgres")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"])
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture(scope="module")
def worker(redis, smtp_server, django_db_setup):
    """`celery -A wellbeing worker`, two processes, on the test database and our Redis."""
    log = Path(tempfile.mkstemp(prefix="notifications-worker-", suffix=".log")[1])
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.notifications.worker_settings",
        "DATABASE_URL": database_url(),
        "REDIS_URL": redis.url,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_server.port}",
        "NOTIFICATIONS_MAX_ATTEMPTS": "3",
        "NOTIFICATIONS_RETRY_BASE_SECONDS": "0.2",
        # Small batches, so that two sweeps interleave.
        "NOTIFICATIONS_SWEEP_BATCH_SIZE": "5",
    }
    command = [sys.executable, "-m", "celery", "-A", "wellbeing", "worker"]
    command += ["--pool", "prefork", "--concurrency", "2", "--loglevel", "INFO"]
    command += [
        "--include",
        "tests.notifications.worker_kinds",
        "--hostname",
        f"tests-{redis.port}@%h",
    ]
    command += ["--without-heartbeat", "--without-mingle", "--without-gossip"]
    with log.open("w") as output:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        # Bounded generously: starting Django in a worker takes long on a busy machine.
        wait_until(
            lambda: " ready." in log.read_text(), timeout=120, what="the Celery worker", log=log
        )
        process.log = log
        yield process
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.unlink(missing_ok=True)


def count(status: str) -> int:
    return Delivery.objects.filter(status=status).count()


def test_two_sweeps_at_once_send_each_message_exactly_once(worker, redis, smtp):
    users = [person() for _ in range(3)]
    deliveries = [scheduled(users[n % 3], key=f"enrolment:{n}", workshop=n) for n in range(40)]
    with broker(redis.url):
        # Two beat ticks at the same moment, and some deliveries handed over twice already.
        send_due_deliveries.delay()
        send_due_deliveries.delay()
        for delivery in deliveries[:10]:
            deliver.delay(delivery.pk)
            deliver.delay(delivery.pk)
    wait_until(lambda: count("sent") == 40, what="40 sent deliveries", log=worker.log)
    # Every duplicate hand-over has reached the worker and run before the e-mails are counted.
    wait_until(settled(redis), what="every task handed over to have run", log=worker.log)
    assert len(smtp.received) == 40
    assert len({message["Message-ID"] for message in smtp.received}) == 40
    assert set(Delivery.objects.values_list("attempts", flat=True)) == {1}


def settled(redis):
    """A condition: no task waits in the queue and none taken from it is unacknowledged
    (tasks acknowledge late, once they have run), seen on two polls in a row, since a
    message the worker has just popped is, for an instant, in neither place."""
    client = Redis(port=redis.port)
    seen: list[bool] = []

    def condition() -> bool:
        waiting, unacknowledged = client.pipeline().llen("celery").hlen("unacked").execute()
        seen.append(waiting == unacknowledged == 0)
        return seen[-2:] == [True, True]

    return condition


def test_a_message_due_while_redis_was_down_goes_out_when_it_returns(worker, redis, smtp):
    # Written to in English, so the subject below is the source string whatever the
    # French and Dutch catalogues hold.
    user = person(language="en")
    redis.stop()
    try:
        with broker(redis.url):
            # The enrolment commits; handing the message over fails, quietly.
            delivery = delivery_schedule(
                kind=kinds.NOTICE,
                recipient=user,
                intent_key="enrolment:77",
                context={"workshop_id": 77},
                send_now=True,
            )
            assert Delivery.objects.get(pk=delivery.pk).status == DeliveryStatus.PENDING
    finally:
        # Back, and empty: whatever it held is gone.
        redis.start()
    with broker(redis.url):
        send_due_deliveries.delay()  # the next beat tick
    wait_until(
        lambda: count("sent") == 1, what="the delivery after Redis came back", log=worker.log
    )
    assert len(smtp.received) == 1
    assert smtp.received[0]["Subject"] == "You are enrolled: Workshop #77"


def test_a_session_reminder_due_while_redis_was_down_goes_out_when_it_returns(worker, redis, smtp):
    """The real day-before reminder: the sweep that found it due could not reach the
    broker; the first beat tick after Redis is back sends it, once."""
    now = timezone.now()
    session = SessionFactory(
        module=ModuleFactory(title="Dormir mieux quand on est indépendant"),
        starts_at=now + timedelta(hours=23),  # its day-before time was an hour ago
    )
    enrolment = EnrolmentFactory(
        session=session, user=person(language="fr"), confirmed_at=now - timedelta(days=3)
    )
    redis.stop()
    try:
        with broker(redis.url):
            report = sweep(dispatch=enqueue_many)
        assert report.stopped_early and report.handed_over == 0
        reminder = Delivery.objects.get(kind=programme_emails.REMINDER_DAY)
        assert reminder.status == DeliveryStatus.PENDING
        assert reminder.context["enrolment_id"] == enrolment.pk
    finally:
        redis.start()
    with broker(redis.url):
        send_due_deliveries.delay()
    wait_until(
        lambda: count("sent") == 1, what="the reminder after Redis came back", log=worker.log
    )
    assert len(smtp.received) == 1
    assert "Dormir mieux quand on est indépendant" in smtp.received[0]["Subject"]
    assert Delivery.objects.get(pk=reminder.pk).attempts == 1


def test_a_temporary_smtp_failure_is_retried_then_marked_failed(worker, redis, smtp):
    smtp.reply_with(*["421 4.7.0 Try again later"] * 10)
    with broker(redis.url):
        delivery = delivery_schedule(
            kind=kinds.NOTICE,
            recipient=person(),
            intent_key="enrolment:5",
            context={"workshop_id": 5},
            send_now=True,
        )
    wait_until(lambda: count("failed") == 1, what="the delivery to fail", log=worker.log)
    delivery.refresh_from_db()
    assert delivery.attempts == 3
    assert "421" in delivery.last_error
    assert smtp.handler.attempts == 3
    assert smtp.received == []


def test_a_temporary_smtp_failure_then_success_sends_once(worker, redis, smtp):
    smtp.reply_with("421 4.7.0 Try again later")
    with broker(redis.url):
        delivery_schedule(
            kind=kinds.NOTICE,
            recipient=person(),
            intent_key="enrolment:6",
            context={"workshop_id": 6},
            send_now=True,
        )
    wait_until(lambda: count("sent") == 1, what="the retried delivery", log=worker.log)
    assert Delivery.objects.get().attempts == 2
    assert len(smtp.received) == 1


def test_a_permanent_smtp_refusal_fails_at_once(worker, redis, smtp):
    smtp.reply_with("554 5.7.1 Message refused")
    with broker(redis.url):
        delivery = delivery_schedule(
            kind=kinds.NOTICE,
            recipient=person(),
            intent_key="enrolment:7",
            context={"workshop_id": 7},
            send_now=True,
        )
    wait_until(lambda: count("failed") == 1, what="the delivery to fail", log=worker.log)
    delivery.refresh_from_db()
    assert delivery.attempts == 1
    assert "554" in delivery.last_error
    assert smtp.handler.attempts == 1


def test_sweeps_in_threads_share_the_work_without_sending_twice(settings):
    """Two in-process sweeps (send_due_messages run twice at once) on PostgreSQL."""
    settings.NOTIFICATIONS_SWEEP_BATCH_SIZE = 3
    user = person()
    for n in range(30):
        scheduled(user, key=f"e:{n}", workshop=n)
    assert failures(at_once(lambda _n: sweep(dispatch=send_inline), range(2))) == []
    assert count("sent") == 30
    assert len(mail.outbox) == 30
    assert len({message.extra_headers["Message-ID"] for message in mail.outbox}) == 30


def test_an_urgent_request_alerts_the_advisors_without_waiting_for_a_sweep(worker, redis, smtp):
    """The listening cell's urgent alert: handed to the worker when the request commits,
    so it goes out with the request, not at the next beat tick (none runs here)."""
    from members.roles import Role
    from referrals import services
    from referrals.choices import Urgency
    from referrals.emails import URGENT_CASE
    from tests.factories import member, staff

    advisors = [staff(Role.ADVISOR), staff(Role.ADVISOR)]
    with broker(redis.url):
        case = services.request_create(
            member=member(),
            needs=["crisis"],
            channel="phone",
            time_slots=[],
            language="fr",
            urgency=Urgency.LOW,
            message="Je ne vois plus d'issue.",
            phone="0470 12 34 56",
        )
    alerts = Delivery.objects.filter(kind=URGENT_CASE)
    # The worker marks a delivery sent just after the SMTP server has it: wait for both.
    wait_until(
        lambda: len(smtp.received) == 2 and alerts.filter(status=DeliveryStatus.SENT).count() == 2,
        what="the two urgent alerts",
        log=worker.log,
    )
    assert {d.recipient_id for d in alerts} == {a.pk for a in advisors}
    assert set(alerts.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    assert sorted(message["To"] for message in smtp.received) == sorted(a.email for a in advisors)
    for message in smtp.received:
        assert case.reference in message["Subject"]
        parts = [part for part in message.walk() if not part.is_multipart()]
        body = " ".join(part.get_payload(decode=True).decode() for part in parts)
        assert f"/listening-cell/cases/{case.pk}/" in body
        assert "issue" not in body and "crise" not in body.lower()
