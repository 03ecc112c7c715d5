"""No answer from the partner after N Belgian working days: one reminder to the partner's
address, then, after as many again, an alert to the advisor holding the case. Derived from
the data by a planner, each message once, skipped once the partner answers. The case page
shows the partner's answers on the timeline; the queue shows referrals waiting for one."""

import pytest
import time_machine
from django.core import mail

from notifications.models import Delivery, DeliveryStatus
from referrals import services
from referrals.choices import Outcome, PartnerAnswer
from referrals.partner_emails import PARTNER_REFERRAL, PARTNER_REMINDER, PARTNER_SILENT
from referrals.planners import plan_partner_follow_ups
from tests.emails import brussels, send_due, sent

from .factories import PartnerFactory
from .partner_side import link_of, referred

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_process_mail")]

SENT = brussels(2026, 3, 9, 10, 0)  # a Monday
REMIND = brussels(2026, 3, 12, 10, 0)  # three working days later
ALERT = brussels(2026, 3, 17, 10, 0)  # three more, over the weekend


@pytest.fixture
def referral(settings, member_user, advisor_user):
    settings.REFERRALS_PARTNER_REMINDER_WORKING_DAYS = 3
    partner = PartnerFactory(email="accueil@mediation.example.org")
    with time_machine.travel(SENT, tick=False):
        referral = referred(member_user, advisor_user, partner=partner)
        send_due()
    assert len(sent(PARTNER_REFERRAL)) == 1
    return referral


def test_one_reminder_to_the_partner_after_n_working_days(referral, advisor_user):
    with time_machine.travel(brussels(2026, 3, 12, 9, 59), tick=False):
        send_due()
    assert not Delivery.objects.filter(kind=PARTNER_REMINDER).exists()
    with time_machine.travel(REMIND, tick=False):
        send_due()
        send_due()
    [reminder] = sent(PARTNER_REMINDER)
    assert reminder.to == ["accueil@mediation.example.org"]
    [delivery] = Delivery.objects.filter(kind=PARTNER_REMINDER)
    assert (delivery.due_at, delivery.status) == (REMIND, DeliveryStatus.SENT)
    assert not Delivery.objects.filter(kind=PARTNER_SILENT).exists()


def test_then_an_alert_to_the_advisor(referral, advisor_user, other_advisor):
    with time_machine.travel(REMIND, tick=False):
        send_due()
    with time_machine.travel(brussels(2026, 3, 16, 18, 0), tick=False):
        send_due()
    assert not Delivery.objects.filter(kind=PARTNER_SILENT).exists()
    with time_machine.travel(ALERT, tick=False):
        send_due()
        send_due()
    [alert] = sent(PARTNER_SILENT)
    assert alert.to == [advisor_user.email]
    assert referral.case.reference in alert.subject
    assert sent(PARTNER_SILENT, other_advisor) == []
    assert len(sent(PARTNER_REMINDER)) == 1


def test_a_partner_that_answered_gets_no_reminder(referral, client):
    with time_machine.travel(brussels(2026, 3, 10, 11, 0), tick=False):
        client.post(link_of(referral), {"answer": PartnerAnswer.RECEIVED})
    with time_machine.travel(ALERT, tick=False):
        send_due()
    assert not Delivery.objects.filter(kind__in=[PARTNER_REMINDER, PARTNER_SILENT]).exists()


def test_an_answer_after_planning_skips_the_reminder(referral):
    with time_machine.travel(REMIND, tick=False):
        plan_partner_follow_ups(now=REMIND)
        services.partner_answer_record(referral_id=referral.pk, answer=PartnerAnswer.TAKEN_ON)
        send_due()
    [delivery] = Delivery.objects.filter(kind=PARTNER_REMINDER)
    assert delivery.status == DeliveryStatus.SKIPPED
    assert sent(PARTNER_REMINDER) == []


def test_a_closed_case_brings_no_reminder(referral, advisor_user):
    with time_machine.travel(brussels(2026, 3, 10, 11, 0), tick=False):
        services.case_close(case=referral.case, actor=advisor_user, outcome=Outcome.DECLINED)
    mail.outbox.clear()
    with time_machine.travel(ALERT, tick=False):
        send_due()
    assert not Delivery.objects.filter(kind__in=[PARTNER_REMINDER, PARTNER_SILENT]).exists()


def test_the_case_page_and_the_queue_show_where_the_partner_stands(referral, client, advisor_user):
    client.force_login(advisor_user)
    with time_machine.travel(brussels(2026, 3, 10, 11, 0), tick=False):
        queue = client.get("/fr/listening-cell/queue/?awaiting_partner=on").content.decode()
        assert referral.case.reference in queue and "En attente d&#x27;un partenaire" in queue
        services.partner_answer_record(
            referral_id=referral.pk, answer=PartnerAnswer.NOT_TAKEN_ON, reason="no_capacity"
        )
        page = client.get(f"/fr/listening-cell/cases/{referral.case_id}/").content.decode()
        assert "Le partenaire a répondu" in page and "Pas de place disponible" in page
        assert "le partenaire, par son lien" in page
        queue = client.get("/fr/listening-cell/queue/?awaiting_partner=on").content.decode()
        assert referral.case.reference not in queue
