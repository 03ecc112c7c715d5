"""Bulk changes at design scale: a 382-seat session cancelled, a 400-seat session
moved, 450 people promoted from a waitlist. Prints the SQL statements each runs and
how long it holds the session's row lock (the whole service runs under it). Each runs
in a transaction rolled back afterwards, so the database is left as it was and nothing
is handed to the broker.

    DATABASE_URL=postgres://…/wb_bench .venv/bin/python bench/bulk.py
"""

import os
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wellbeing.settings")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    sys.exit("bench/bulk.py needs DATABASE_URL pointing at the database of bench/generate.py")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from members.models import User  # noqa: E402
from programme import services  # noqa: E402
from programme.models import Enrolment, EnrolmentStatus, Module, Session  # noqa: E402


class Rollback(Exception):
    pass


def session_with(*, capacity: int, confirmed: int, waitlisted: int) -> Session:
    start = timezone.now() + timedelta(days=20)
    session = Session.objects.create(
        module=Module.objects.filter(format="webinar").order_by("pk").first(),
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        mode="online",
        join_url="https://meet.example.org/bench",
        capacity=capacity,
        confirmed_count=confirmed,
        is_published=True,
    )
    users = User.objects.order_by("pk").values_list("pk", flat=True)[: confirmed + waitlisted]
    now = timezone.now()
    Enrolment.objects.bulk_create(
        Enrolment(
            session=session,
            user_id=pk,
            status=EnrolmentStatus.CONFIRMED if i < confirmed else EnrolmentStatus.WAITLISTED,
            queued_at=now + timedelta(seconds=i),
            confirmed_at=now if i < confirmed else None,
        )
        for i, pk in enumerate(users)
    )
    return session


def measure(name: str, prepare, change) -> None:
    actor = User.objects.filter(is_staff=True).first()
    try:
        with transaction.atomic():
            session = prepare()
            with CaptureQueriesContext(connection) as queries:
                began = time.monotonic()
                change(session, actor)
                elapsed = time.monotonic() - began
            raise Rollback
    except Rollback:
        pass
    print(f"{name}_queries: {len(queries)}")
    print(f"{name}_lock_ms: {elapsed * 1000:.0f}")


def main() -> None:
    measure(
        "bulk_cancel",
        lambda: session_with(capacity=400, confirmed=382, waitlisted=0),
        lambda s, actor: services.session_cancel(session_id=s.pk, reason="Bench", actor=actor),
    )
    measure(
        "bulk_move",
        lambda: session_with(capacity=400, confirmed=400, waitlisted=0),
        lambda s, actor: services.session_update(
            session_id=s.pk,
            starts_at=s.starts_at + timedelta(days=1),
            ends_at=s.ends_at + timedelta(days=1),
            actor=actor,
        ),
    )
    measure(
        "promote_450",
        lambda: session_with(capacity=50, confirmed=50, waitlisted=450),
        lambda s, actor: services.session_update(session_id=s.pk, capacity=500, actor=actor),
    )


if __name__ == "__main__":
    main()
