"""The member's side of a referral: on their requests page (and from a one-question
e-mail a few days after the referral) they say whether they reached the partner and
whether it helped; the answer goes on the timeline and into the closing outcome."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation

from notifications.models import Delivery, DeliveryStatus
from referrals import services
from referrals.choices import EventKind, MemberHelped, Outcome
from referrals.models import CaseEvent, Referral
from referrals.partner_emails import MEMBER_QUESTION
from tests.emails import BASE, html_of, send_due, sent
from tests.factories import member

from .partner_side import referred

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_french():
    """The URLs below are reversed in French, whatever language an earlier test left active."""
    with translation.override("fr"):
        yield


def answer_url(referral) -> str:
    return reverse("referrals:member-referral-answer", args=[referral.pk])


def test_the_member_answers_on_their_requests_page(client, member_user, advisor_user):
    referral = referred(member_user, advisor_user, send=False)
    client.force_login(member_user)
    page = client.get(reverse("referrals:my-cases")).content.decode()
    assert answer_url(referral) in page
    response = client.post(answer_url(referral), {"reached": "yes", "helped": "yes"}, follow=True)
    assert "Merci\u00a0! La cellule d&#x27;écoute voit ta réponse." in response.content.decode()
    referral.refresh_from_db()
    assert (referral.reached, referral.member_helped) == (True, MemberHelped.YES)
    assert referral.member_answered_at is not None
    event = CaseEvent.objects.get(kind=EventKind.MEMBER_ANSWERED)
    assert event.actor == member_user and event.data["helped"] == "yes"
    # The answer is shown instead of the form.
    page = client.get(reverse("referrals:my-cases")).content.decode()
    assert answer_url(referral) not in page and "Ta réponse" in page


def test_the_answer_feeds_the_closing_outcome(client, member_user, advisor_user):
    referral = referred(member_user, advisor_user, send=False)
    services.member_answer_record(
        member=member_user, referral_id=referral.pk, reached=True, helped="somewhat"
    )
    client.force_login(advisor_user)
    response = client.get(f"/fr/listening-cell/cases/{referral.case_id}/")
    # The close form starts on the outcome the member's answer points to.
    assert response.context["close_form"]["outcome"].value() == Outcome.REFERRED_REACHED
    page = response.content.decode()
    assert re.search(r'<input[^>]*value="referred_reached"[^>]*checked', page)
    assert "La personne a répondu" in page
    services.case_close(case=referral.case, actor=advisor_user, outcome=Outcome.REFERRED_REACHED)


def test_a_member_who_did_not_reach_the_partner(member_user, advisor_user):
    referral = referred(member_user, advisor_user, send=False)
    services.member_answer_record(
        member=member_user, referral_id=referral.pk, reached=False, helped="yes"
    )
    referral.refresh_from_db()
    # "Did it help?" means nothing without a contact.
    assert (referral.reached, referral.member_helped) == (False, "")
    with pytest.raises(services.CaseActionRefused):
        services.case_close(
            case=referral.case, actor=advisor_user, outcome=Outcome.REFERRED_REACHED
        )
    services.case_close(
        case=referral.case, actor=advisor_user, outcome=Outcome.REFERRED_NOT_REACHED
    )


def test_bad_answers_are_refused_clearly(client, member_user, advisor_user):
    referral = referred(member_user, advisor_user, send=False)
    client.force_login(member_user)
    response = client.post(answer_url(referral), {"reached": "maybe"}, follow=True)
    assert response.status_code == 200
    assert "Dis-nous si tu as pu joindre le partenaire." in response.content.decode()
    response = client.post(answer_url(referral), {"reached": "yes", "helped": "cured"}, follow=True)
    assert response.status_code == 200
    assert Referral.objects.get().member_answered_at is None
    client.post(answer_url(referral), {"reached": "yes", "helped": ""})
    response = client.post(answer_url(referral), {"reached": "no"}, follow=True)
    assert "Tu as déjà répondu pour ce partenaire." in response.content.decode()
    assert Referral.objects.get().reached is True


def test_only_the_member_of_the_case_may_answer(client, member_user, advisor_user):
    referral = referred(member_user, advisor_user, send=False)
    client.force_login(member())
    assert client.post(answer_url(referral), {"reached": "yes"}).status_code == 404
    assert (
        client.post(
            "/fr/listening-cell/my-requests/referrals/999999/answer/", {"reached": "yes"}
        ).status_code
        == 404
    )
    assert Referral.objects.get().member_answered_at is None


def test_no_answer_once_the_request_is_closed(client, member_user, advisor_user):
    referral = referred(member_user, advisor_user, send=False)
    services.case_close(case=referral.case, actor=advisor_user, outcome=Outcome.DECLINED)
    client.force_login(member_user)
    assert answer_url(referral) not in client.get(reverse("referrals:my-cases")).content.decode()
    response = client.post(answer_url(referral), {"reached": "yes"}, follow=True)
    assert "Cette demande est clôturée." in response.content.decode()
    assert Referral.objects.get().member_answered_at is None


@pytest.mark.usefixtures("in_process_mail")
def test_one_question_by_e_mail_a_few_days_after_the_referral(settings, member_user, advisor_user):
    settings.REFERRALS_MEMBER_ASK_DAYS = 5
    referral = referred(member_user, advisor_user, send=False)
    with time_machine.travel(timezone.now() + timedelta(days=4, hours=23)):
        send_due()
    assert not Delivery.objects.filter(kind=MEMBER_QUESTION).exists()
    with time_machine.travel(timezone.now() + timedelta(days=5, minutes=1)):
        send_due()
        send_due()
    [question] = sent(MEMBER_QUESTION, member_user)
    assert question.to == [member_user.email]
    link = f"{BASE}/fr/listening-cell/my-requests/#referral-{referral.pk}"
    assert link in question.body and link in html_of(question)
    assert "List-Unsubscribe" not in question.extra_headers


@pytest.mark.usefixtures("in_process_mail")
def test_no_question_once_the_member_answered(settings, member_user, advisor_user):
    settings.REFERRALS_MEMBER_ASK_DAYS = 5
    referral = referred(member_user, advisor_user, send=False)
    later = timezone.now() + timedelta(days=6)
    from referrals.planners import plan_member_questions

    plan_member_questions(now=later)
    services.member_answer_record(member=member_user, referral_id=referral.pk, reached=True)
    with time_machine.travel(later):
        send_due()
    [delivery] = Delivery.objects.filter(kind=MEMBER_QUESTION)
    assert delivery.status == DeliveryStatus.SKIPPED
    assert sent(MEMBER_QUESTION) == []


def test_the_answer_is_in_the_members_data_file(member_user, advisor_user):
    from referrals.privacy import export_member

    referral = referred(member_user, advisor_user)
    services.partner_answer_record(referral_id=referral.pk, answer="taken_on")
    services.member_answer_record(
        member=member_user, referral_id=referral.pk, reached=True, helped="yes"
    )
    [case] = export_member(member_user)
    [suggested] = case["partners_suggested"]
    assert (suggested["reached"], suggested["helped"], suggested["partner_answer"]) == (
        True,
        "yes",
        "taken_on",
    )
    kinds = [step.get("answer") or step.get("helped") for step in case["timeline"]]
    assert "taken_on" in kinds and "yes" in kinds
