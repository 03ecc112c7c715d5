"""Which re-assessment invitations the sweeps record and send: one per plan and due date
however often they run, the plan moving on by one interval once scheduled, none for a
member who turned them off, and a scheduled one skipped when it no longer fits."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail

from assessments.models import AssessmentResult, ReassessmentPlan
from assessments.planners import plan_reassessment_invitations
from assessments.services import result_delete
from members.models import Consent
from notifications.models import DeliveryStatus
from notifications.services import preference_set
from tests.assessments.factories import ANSWERS, keep_result
from tests.assessments.helpers import submit
from tests.emails import brussels, send_due

from .invitations import DUE_ON, NOW, invitation_mails, invitations, member_with_plan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_process_mail")]

EARLY = "2027-01-15 08:00 +01:00"  # the due day, before the invitations' morning hour
LATER = "2027-01-15 10:30 +01:00"
NEXT_DUE = DUE_ON + timedelta(days=61)


@time_machine.travel(NOW, tick=False)
def test_sweeps_run_twice_record_and_send_one_invitation():
    plan, _result = member_with_plan()
    plan_reassessment_invitations(now=brussels(2027, 1, 15, 11))
    plan_reassessment_invitations(now=brussels(2027, 1, 15, 11))
    send_due()
    send_due()
    [delivery] = invitations()
    assert delivery.intent_key == f"plan:{plan.pk}:2027-01-15"
    assert delivery.context == {"plan_id": plan.pk, "due_on": "2027-01-15"}
    assert delivery.status == DeliveryStatus.SENT
    assert len(invitation_mails(plan.user)) == 1
    # Once scheduled, the plan moves on by its interval: not offered again.
    plan.refresh_from_db()
    assert (plan.last_invited_for, plan.next_due_on) == (DUE_ON, NEXT_DUE)


def test_the_invitation_waits_for_the_morning_of_its_day():
    plan, _result = member_with_plan()
    with time_machine.travel("2027-01-14 23:00 +01:00", tick=False):
        send_due()
    assert invitations() == []
    with time_machine.travel(EARLY, tick=False):
        send_due()
    [delivery] = invitations()
    assert delivery.due_at == brussels(2027, 1, 15, 10)
    assert mail.outbox == []
    with time_machine.travel(LATER, tick=False):
        send_due()
    assert len(invitation_mails(plan.user)) == 1


@time_machine.travel(NOW, tick=False)
def test_a_date_missed_while_invitations_were_off_gives_one_invitation_now():
    plan, _result = member_with_plan(due_on=date(2026, 6, 1))
    send_due()
    assert len(invitation_mails(plan.user)) == 1
    plan.refresh_from_db()
    # From today, not from the old date: no series of catch-up invitations.
    assert plan.next_due_on == date(2027, 1, 15) + timedelta(days=61)
    send_due()
    assert len(invitations()) == 1


def test_nothing_for_a_member_who_turned_the_invitations_off():
    plan, _result = member_with_plan()
    preference_set(user=plan.user, category="reassessment", enabled=False)
    with time_machine.travel(NOW, tick=False):
        send_due()
    assert invitations() == []
    assert mail.outbox == []
    plan.refresh_from_db()
    assert plan.last_invited_for is None  # it waits until they turn them back on


def test_turned_off_after_it_was_scheduled_it_is_skipped_not_sent():
    plan, _result = member_with_plan()
    with time_machine.travel(EARLY, tick=False):
        send_due()
    preference_set(user=plan.user, category="reassessment", enabled=False)
    with time_machine.travel(LATER, tick=False):
        send_due()
    [delivery] = invitations()
    assert delivery.status == DeliveryStatus.SKIPPED
    assert "reassessment" in delivery.skip_reason
    assert mail.outbox == []


def test_a_plan_stopped_after_scheduling_is_skipped(client):
    plan, _result = member_with_plan()
    with time_machine.travel(EARLY, tick=False):
        send_due()
        client.force_login(plan.user)
        client.post("/en/self-assessments/who-5/invitations/", {"interval": "off"})
    assert not ReassessmentPlan.objects.exists()
    with time_machine.travel(LATER, tick=False):
        send_due()
    [delivery] = invitations()
    assert delivery.status == DeliveryStatus.SKIPPED
    assert delivery.skip_reason == "the member stopped these invitations"
    assert mail.outbox == []


@pytest.mark.parametrize("withdraw", [False, True])
def test_results_deleted_after_scheduling_skip_it(client, withdraw):
    plan, _result = member_with_plan()
    with time_machine.travel(EARLY, tick=False):
        send_due()
        client.force_login(plan.user)
        data = {"withdraw_consent": "on"} if withdraw else {}
        client.post("/en/self-assessments/history/delete/", data)
    assert not AssessmentResult.objects.exists()
    with time_machine.travel(LATER, tick=False):
        send_due()
    [delivery] = invitations()
    assert delivery.status == DeliveryStatus.SKIPPED
    assert delivery.skip_reason == "no longer due"
    assert mail.outbox == []


def test_a_withdrawn_consent_skips_it_even_with_results_left():
    plan, _result = member_with_plan()
    with time_machine.travel(EARLY, tick=False):
        send_due()
    Consent.objects.filter(user=plan.user).update(withdrawn_at=brussels(2027, 1, 15, 9))
    with time_machine.travel(LATER, tick=False):
        send_due()
    [delivery] = invitations()
    assert delivery.status == DeliveryStatus.SKIPPED
    assert delivery.skip_reason == "no longer due"


def test_no_invitation_is_planned_without_a_kept_result_or_a_standing_consent():
    deleted, _result = member_with_plan()
    AssessmentResult.objects.filter(user=deleted.user).delete()
    withdrawn, _result = member_with_plan()
    Consent.objects.filter(user=withdrawn.user).update(withdrawn_at=brussels(2027, 1, 1))
    with time_machine.travel(NOW, tick=False):
        send_due()
    assert invitations() == []


def test_taking_it_again_before_it_leaves_skips_it_and_moves_the_date(client):
    plan, _result = member_with_plan()
    with time_machine.travel(EARLY, tick=False):
        send_due()
    with time_machine.travel("2027-01-15 09:00 +01:00", tick=False):
        client.force_login(plan.user)
        submit(client, "who-5", ANSWERS["who-5"]["good"], keep="keep")
    plan.refresh_from_db()
    assert plan.next_due_on == NEXT_DUE  # one interval after the new result
    with time_machine.travel(LATER, tick=False):
        send_due()
    [delivery] = invitations()
    assert delivery.status == DeliveryStatus.SKIPPED
    assert delivery.skip_reason == "no longer due"


def test_the_next_invitation_follows_the_latest_result(client):
    plan, _result = member_with_plan()
    with time_machine.travel(NOW, tick=False):
        send_due()
    with time_machine.travel("2027-01-20 18:00 +01:00", tick=False):
        client.force_login(plan.user)
        submit(client, "who-5", ANSWERS["who-5"]["good"], keep="keep")
    plan.refresh_from_db()
    assert plan.next_due_on == date(2027, 1, 20) + timedelta(days=61)
    with time_machine.travel(f"{plan.next_due_on.isoformat()} 11:00 +01:00", tick=False):
        send_due()
    _first, second = invitations()
    assert second.intent_key == f"plan:{plan.pk}:{plan.next_due_on.isoformat()}"
    assert second.status == DeliveryStatus.SENT
    assert "2027-01-20" in mail.outbox[-1].alternatives[0][0]  # <time datetime=…>


def test_deleting_a_result_after_an_invitation_never_brings_its_date_back():
    plan, _result = member_with_plan()
    keep_result(plan.user, "who-5", "good", when=brussels(2026, 9, 15, 9))
    with time_machine.travel(NOW, tick=False):
        send_due()
        latest = AssessmentResult.objects.filter(user=plan.user).order_by("-created_at").first()
        result_delete(user=plan.user, result=latest)
        plan.refresh_from_db()
        # 15 September + 61 days was 15 November: invited for already, so not again.
        assert plan.next_due_on == NEXT_DUE
        send_due()
    assert len(invitations()) == 1


def test_changing_the_interval_after_an_invitation_keeps_the_plan_moving(client):
    plan, _result = member_with_plan()
    with time_machine.travel(NOW, tick=False):
        send_due()
        client.force_login(plan.user)
        client.post("/en/self-assessments/who-5/invitations/", {"interval": "30"})
    plan.refresh_from_db()
    # 15 November + 30 days was already past: one interval after the last invitation.
    assert plan.next_due_on == DUE_ON + timedelta(days=30)
    with time_machine.travel(f"{plan.next_due_on.isoformat()} 11:00 +01:00", tick=False):
        send_due()
    assert [d.status for d in invitations()] == [DeliveryStatus.SENT, DeliveryStatus.SENT]
