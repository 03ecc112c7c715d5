"""Fan-out benchmark: a campaign's worth of e-mails through the Celery worker, against a
plain smtplib loop on one connection to the same local SMTP server.

The worker is the Procfile's (two pool processes); the sweeps that beat would run every
minute are played every two seconds. A throw-away PostgreSQL database next to
DATABASE_URL's, a redis-server and an SMTP server (aiosmtpd, answering at once) of its
own. The messages are the test suite's reminder kind (tests.notifications.kinds): one
query for its context, like the programme's reminders.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wellbeing .venv/bin/python bench/fanout.py
    BENCH_FANOUT_MESSAGES=5000 make bench

Prints `name: value` lines: fanout_ratio is the worker's messages per second divided
by the plain loop's, measured in the same run.
"""

import email.policy
import os
import smtplib
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from throwaway import ThrowawayStack  # noqa: E402

MESSAGES = int(os.environ.get("BENCH_FANOUT_MESSAGES", "20000"))

stack = ThrowawayStack("fanout")

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from notifications.models import Delivery, DeliveryStatus  # noqa: E402
from notifications.rendering import render_delivery  # noqa: E402
from notifications.tasks import send_due_deliveries  # noqa: E402
from tests.notifications import kinds  # noqa: E402
from tests.notifications.factories import person  # noqa: E402
from tests.notifications.smtp import SMTPServer  # noqa: E402
from tests.real_stack import wait_until  # noqa: E402


def sent() -> int:
    return Delivery.objects.filter(status=DeliveryStatus.SENT).count()


def rss_kib(root_pid: int) -> int:
    """Resident memory of a process and its children (the worker and its pool)."""
    pids = [root_pid]
    children = Path(f"/proc/{root_pid}/task/{root_pid}/children")
    if children.exists():
        pids += [int(pid) for pid in children.read_text().split()]
    total = 0
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total


def schedule_campaign() -> None:
    users = [person() for _ in range(200)]
    now = timezone.now()
    Delivery.objects.bulk_create(
        Delivery(
            recipient=users[n % len(users)],
            kind=kinds.REMINDER,
            intent_key=f"campaign:{n}",
            context={"workshop_id": n},
            due_at=now,
        )
        for n in range(MESSAGES)
    )


def start_worker(log: Path, smtp_port: int) -> subprocess.Popen:
    command = [sys.executable, "-m", "celery", "-A", "wellbeing", "worker", "--loglevel", "INFO"]
    command += ["--concurrency", "2", "--without-gossip", "--without-mingle", "--without-heartbeat"]
    env = {**os.environ, "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}"}
    with log.open("w") as output:
        worker = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    wait_until(lambda: " ready." in log.read_text(), timeout=180, what="the worker", log=log)
    return worker


def through_the_worker(smtp: SMTPServer, log: Path) -> dict[str, float]:
    worker = start_worker(log, smtp.port)
    try:
        last_tick, early_rss = 0.0, 0

        def all_sent() -> bool:
            nonlocal last_tick, early_rss
            if time.monotonic() - last_tick > 2:  # beat's minute, played faster
                last_tick = time.monotonic()
                send_due_deliveries.delay()
            done = sent()
            if not early_rss and done >= MESSAGES // 10:
                early_rss = rss_kib(worker.pid)
            return done == MESSAGES

        started = time.monotonic()
        wait_until(all_sent, timeout=1800, what="every message sent", log=log)
        seconds = time.monotonic() - started
        late_rss = rss_kib(worker.pid)
    finally:
        worker.terminate()
        worker.wait(60)
    return {
        "seconds": seconds,
        "rss_growth_pct": 100 * (late_rss - early_rss) / early_rss if early_rss else 0.0,
    }


def plain_loop(port: int, count: int) -> float:
    """`count` e-mails, rendered once, written on one SMTP connection."""
    message = render_delivery(Delivery.objects.select_related("recipient").first()).as_message()
    # As Django's SMTP backend writes it: lines folded, CRLF.
    payload = message.message(policy=email.policy.SMTP).as_bytes()
    sender, recipient = message.from_email, message.to
    started = time.monotonic()
    with smtplib.SMTP("127.0.0.1", port) as connection:
        for _ in range(count):
            connection.sendmail(sender, recipient, payload)
    return time.monotonic() - started


def main() -> None:
    call_command("migrate", verbosity=0)
    kinds.register()
    schedule_campaign()
    log = Path(tempfile.mkstemp(prefix="bench-fanout-", suffix=".log")[1])
    # The plain loop sends half its messages before the worker's run and half after, so
    # that a quiet or a busy spell of this shared machine weighs on both rates alike.
    with SMTPServer() as sink:
        loop_seconds = plain_loop(sink.port, MESSAGES // 2)
    with SMTPServer() as smtp:
        worker = through_the_worker(smtp, log)
        ids = [message["Message-ID"] for message in smtp.received]
    with SMTPServer() as sink:
        loop_seconds += plain_loop(sink.port, MESSAGES - MESSAGES // 2)
    log.unlink(missing_ok=True)
    worker_rate, loop_rate = MESSAGES / worker["seconds"], MESSAGES / loop_seconds
    print(f"fanout_messages: {MESSAGES}")
    print(f"fanout_sent: {len(set(ids))}")
    print(f"fanout_duplicates: {len(ids) - len(set(ids))}")
    print(f"fanout_worker_per_second: {worker_rate:.0f}")
    print(f"fanout_plain_loop_per_second: {loop_rate:.0f}")
    print(f"fanout_ratio: {worker_rate / loop_rate:.2f}")
    print(f"worker_rss_growth_pct: {worker['rss_growth_pct']:.1f}")


try:
    main()
finally:
    stack.close()
