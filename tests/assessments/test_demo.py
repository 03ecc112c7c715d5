"""The demo member's self-assessment history: a trend to look at, safe to load twice."""

import io

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from assessments.emails import REASSESSMENT_INVITATION
from assessments.instruments import get_current
from assessments.models import AssessmentResult, ReassessmentPlan
from demo import accounts
from demo import assessments as demo_assessments
from members.models import Consent
from notifications.models import Delivery, DeliveryStatus

pytestmark = pytest.mark.django_db


def test_demo_results_show_a_trend_and_seeding_twice_changes_nothing(client):
    accounts.seed_accounts()
    demo_assessments.seed(io.StringIO())
    demo_assessments.seed(io.StringIO())
    member = accounts.User.objects.get(email="membre@demo.example")
    results = AssessmentResult.objects.filter(user=member)
    assert results.count() == 8
    assert Consent.objects.filter(user=member).count() == 1
    assert ReassessmentPlan.objects.filter(user=member).count() == 1
    who5 = list(results.filter(instrument="who-5").order_by("created_at"))
    assert [int(r.score) for r in who5] == [28, 40, 52, 68]
    assert who5[0].acute and not who5[-1].acute
    assert not AssessmentResult.objects.exclude(user=member).exists()
    client.force_login(member)
    page = client.get("/en/self-assessments/history/").content.decode()
    section = page[page.index('id="history-who-5"') : page.index('id="history-pss-10"')]
    assert section.count("<circle") == 4


def test_without_the_demo_member_nothing_is_seeded():
    demo_assessments.seed(io.StringIO())
    assert not AssessmentResult.objects.exists()


@pytest.mark.usefixtures("in_process_mail")
@time_machine.travel("2027-01-15 14:00 +01:00", tick=False)
def test_send_due_messages_sends_the_demo_members_invitation_once():
    accounts.seed_accounts()
    demo_assessments.seed(io.StringIO())
    call_command("send_due_messages", stdout=io.StringIO(), stderr=io.StringIO())
    [delivery] = Delivery.objects.filter(kind=REASSESSMENT_INVITATION)
    assert delivery.recipient.email == "membre@demo.example"
    assert delivery.status == DeliveryStatus.SENT
    [message] = [m for m in mail.outbox if m.to == ["membre@demo.example"]]
    assert get_current("who-5").name.get("fr") in message.body
    # Run again, and after seeding again: nothing more.
    demo_assessments.seed(io.StringIO())
    call_command("send_due_messages", stdout=io.StringIO(), stderr=io.StringIO())
    assert Delivery.objects.filter(kind=REASSESSMENT_INVITATION).count() == 1
    assert ReassessmentPlan.objects.get().next_due_on > delivery.due_at.date()
