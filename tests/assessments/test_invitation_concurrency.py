"""Sweeps running at once on PostgreSQL record each re-assessment invitation once and
move each plan on once (row locks with skip-locked, and one delivery per intent)."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections

from assessments.models import ReassessmentPlan
from assessments.planners import plan_reassessment_invitations
from notifications.models import Delivery

from .invitations import DUE_ON, brussels, invitations
from .test_concurrency import own_connections  # noqa: F401 - fixture
from .test_invitation_batches import members_with_due_plans

SWEEPS = 4

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs the real PostgreSQL's concurrency"
    ),
]


@pytest.mark.usefixtures("own_connections")
def test_sweeps_at_once_invite_each_plan_once():
    members_with_due_plans(120, "race")
    start = threading.Barrier(SWEEPS)
    errors: list[BaseException] = []
    lock = threading.Lock()

    def sweep():
        try:
            start.wait(timeout=30)
            plan_reassessment_invitations(now=brussels(2027, 1, 15, 11), batch_size=25)
        except BaseException as error:  # noqa: BLE001 - every failure must be reported
            with lock:
                errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep) for _ in range(SWEEPS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert len(invitations()) == 120
    assert Delivery.objects.values("recipient").distinct().count() == 120
    # Each plan moved on exactly one interval: none was recorded twice.
    assert set(ReassessmentPlan.objects.values_list("next_due_on", flat=True)) == {
        DUE_ON + timedelta(days=61)
    }
