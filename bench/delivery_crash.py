"""Delivery benchmark: how many messages go out twice when a Celery worker is killed.

Sending is at least once: a worker killed after the SMTP server accepted a message but
before it recorded the outcome leaves a claim that another worker takes once the claim
lease ends, and the message goes out again. This measures that window on the real stack:
a throw-away PostgreSQL database next to DATABASE_URL's, a redis-server and an SMTP
server (aiosmtpd, 20 ms a message) of its own, and a real `celery worker` (two pool
processes) killed with SIGKILL, process group and all, CRASHES times during one sweep,
restarted each time as supervisord would.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wellbeing .venv/bin/python bench/delivery_crash.py
    BENCH_MESSAGES=600 BENCH_CRASHES=5 make bench

Prints `name: value` lines. Lease and visibility timeout are short here so the run ends
quickly; neither changes how many messages go out twice, only how soon the rest does.
"""

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from throwaway import ThrowawayStack  # noqa: E402

MESSAGES = int(os.environ.get("BENCH_MESSAGES", "300"))
CRASHES = int(os.environ.get("BENCH_CRASHES", "3"))
LEASE_SECONDS = 4
VISIBILITY_SECONDS = 10

stack = ThrowawayStack(
    "crash",
    env={
        "NOTIFICATIONS_CLAIM_LEASE_SECONDS": str(LEASE_SECONDS),
        "BROKER_VISIBILITY_TIMEOUT_SECONDS": str(VISIBILITY_SECONDS),
    },
)

from django.core.management import call_command  # noqa: E402

from notifications.models import Delivery, DeliveryStatus  # noqa: E402
from notifications.tasks import send_due_deliveries  # noqa: E402
from tests.notifications import kinds  # noqa: E402
from tests.notifications.factories import person, scheduled  # noqa: E402
from tests.notifications.smtp import SlowHandler, SMTPServer  # noqa: E402
from tests.real_stack import wait_until  # noqa: E402


def sent() -> int:
    return Delivery.objects.filter(status=DeliveryStatus.SENT).count()


def start_worker(log: Path, smtp_port: int) -> subprocess.Popen:
    command = [sys.executable, "-m", "celery", "-A", "wellbeing", "worker", "--loglevel", "INFO"]
    command += ["--concurrency", "2", "--without-gossip", "--without-mingle", "--without-heartbeat"]
    env = {**os.environ, "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}"}
    with log.open("w") as output:
        worker = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, killed as a whole
        )
    wait_until(lambda: " ready." in log.read_text(), timeout=180, what="the worker", log=log)
    return worker


def tick() -> None:
    """One beat tick: the sweep, run by the worker."""
    send_due_deliveries.delay()


def main() -> None:
    call_command("migrate", verbosity=0)
    kinds.register()
    users = [person() for _ in range(10)]
    for n in range(MESSAGES):
        scheduled(users[n % 10], key=f"enrolment:{n}", workshop=n)
    log = Path(tempfile.mkstemp(prefix="bench-worker-", suffix=".log")[1])
    with SMTPServer(SlowHandler()) as smtp:
        worker = start_worker(log, smtp.port)
        tick()
        started = time.monotonic()
        for crash in range(1, CRASHES + 1):
            target = MESSAGES * crash // (CRASHES + 1)
            wait_until(lambda t=target: sent() >= t, timeout=300, what=f"{target} sent", log=log)
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
            killed_at = time.monotonic()
            worker = start_worker(log, smtp.port)
        last_tick = 0.0

        def all_sent() -> bool:
            nonlocal last_tick
            if time.monotonic() - last_tick > 2:
                last_tick = time.monotonic()
                tick()
            return sent() == MESSAGES

        wait_until(all_sent, timeout=600, what="every message sent", log=log)
        finished = time.monotonic()
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(60)
        ids = [message["Message-ID"] for message in smtp.received]
    log.unlink(missing_ok=True)
    duplicated = len(ids) - len(set(ids))
    print(f"delivery_crash.messages: {MESSAGES}")
    print(f"delivery_crash.worker_crashes: {CRASHES}")
    print(f"delivery_crash.emails_received: {len(ids)}")
    print(f"delivery_crash.lost: {MESSAGES - len(set(ids))}")
    print(f"delivery_crash.duplicated: {duplicated}")
    print(f"delivery_crash.duplicated_per_crash: {duplicated / CRASHES:.2f}")
    print(f"delivery_crash.claim_lease_seconds: {LEASE_SECONDS}")
    print(f"delivery_crash.visibility_timeout_seconds: {VISIBILITY_SECONDS}")
    print(f"delivery_crash.seconds_from_last_kill_to_all_sent: {finished - killed_at:.1f}")
    print(f"delivery_crash.seconds_total: {finished - started:.1f}")


try:
    main()
finally:
    stack.close()
