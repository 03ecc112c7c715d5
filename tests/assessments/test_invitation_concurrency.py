"""Sweeps running at once on PostgreSQL record each re-assessment invitation once and
move each plan on once (row locks with skip-locked, and one delivery per intent)."""

from datetime import timedelta

import pytest

from assessments.models import ReassessmentPlan
from assessments.planners import plan_reassessment_invitations
from notifications.models import Delivery
from tests.concurrency import POSTGRES_ONLY, at_once, failures
from tests.emails import brussels

from .invitations import DUE_ON, invitations
from .test_invitation_batches import members_with_due_plans

SWEEPS = 4

pytestmark = POSTGRES_ONLY


@pytest.mark.usefixtures("own_connections")
def test_sweeps_at_once_invite_each_plan_once():
    members_with_due_plans(120, "race")
    outcomes = at_once(
        lambda _n: plan_reassessment_invitations(now=brussels(2027, 1, 15, 11), batch_size=25),
        range(SWEEPS),
    )

    assert failures(outcomes) == []
    assert len(invitations()) == 120
    assert Delivery.objects.values("recipient").distinct().count() == 120
    # Each plan moved on exactly one interval: none was recorded twice.
    assert set(ReassessmentPlan.objects.values_list("next_due_on", flat=True)) == {
        DUE_ON + timedelta(days=61)
    }
