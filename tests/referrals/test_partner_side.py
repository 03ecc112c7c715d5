"""The partner's side of a referral: sent with the member's consent to the partner's
address, a signed expiring link to a page with only what the member agreed to share,
answers that only move forward, every view in the access log, and bad links answered with
a clear page, never a 500."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.signing import dumps
from django.utils import timezone

from members.consents import ConsentKind
from members.services import consent_withdraw
from referrals import services
from referrals.choices import (
    AccessPurpose,
    AccessSubject,
    EventKind,
    Outcome,
    PartnerAnswer,
    ReferralMode,
)
from referrals.models import CaseAccess, CaseEvent, Referral
from referrals.partner_emails import PARTNER_REFERRAL
from referrals.partner_links import SALT, PartnerLinkInvalid, partner_token, partner_token_read
from tests.emails import BASE, html_of, sent

from .factories import PartnerFactory
from .partner_side import NOTE, link_of, referred

pytestmark = pytest.mark.django_db


# --- Sending -------------------------------------------------------------------------------


@pytest.mark.usefixtures("in_process_mail")
def test_sending_e_mails_the_partner_a_signed_link_after_commit(
    member_user, advisor_user, django_capture_on_commit_callbacks
):
    partner = PartnerFactory(email="orientation@pass.example.org")
    # A last name no word of the e-mail can contain by chance, as a random one might.
    member_user.last_name = "Vanderzwaluwen"
    member_user.save(update_fields=["last_name"])
    with django_capture_on_commit_callbacks(execute=True):
        referral = referred(member_user, advisor_user, partner=partner)
    [message] = sent(PARTNER_REFERRAL)
    assert message.to == ["orientation@pass.example.org"]
    # Nothing about the person in the e-mail itself: the link holds it, behind its page.
    assert "Je suis débordé" not in message.body and member_user.last_name not in message.body
    assert "List-Unsubscribe" not in message.extra_headers
    link = re.search(rf"{re.escape(BASE)}(/fr/\S+/partner/[^/\s]+/)", message.body).group(1)
    assert link in html_of(message)
    assert partner_token_read(link.rstrip("/").rsplit("/", 1)[1]).referral_id == referral.pk
    event = CaseEvent.objects.get(kind=EventKind.SENT_TO_PARTNER)
    assert event.data["address"] == "orientation@pass.example.org"


def test_only_a_warm_handoff_with_standing_consent_is_sent(member_user, advisor_user):
    referral = referred(member_user, advisor_user, send=False)
    consent_withdraw(user=member_user, kind=ConsentKind.PARTNER_SHARING)
    with pytest.raises(ValidationError) as refused:
        services.referral_send_to_partner(referral=referral, actor=advisor_user)
    assert refused.value.code == "consent"
    assert Referral.objects.get().sent_to_partner_at is None


def test_an_information_referral_is_never_sent(member_user, advisor_user):
    referral = referred(member_user, advisor_user, send=False)
    Referral.objects.filter(pk=referral.pk).update(mode=ReferralMode.INFORMATION, consent_basis="")
    referral.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        services.referral_send_to_partner(referral=referral, actor=advisor_user)
    assert refused.value.code == "not_handoff"


def test_a_referral_is_sent_once(member_user, advisor_user):
    referral = referred(member_user, advisor_user)
    with pytest.raises(ValidationError) as refused:
        services.referral_send_to_partner(referral=referral, actor=advisor_user)
    assert refused.value.code == "sent"


def test_the_advisor_sends_from_the_case_page(client, member_user, advisor_user):
    referral = referred(member_user, advisor_user, send=False)
    client.force_login(advisor_user)
    page = client.get(f"/fr/listening-cell/cases/{referral.case_id}/")
    assert f"/referrals/{referral.pk}/send/" in page.content.decode()
    response = client.post(
        f"/fr/listening-cell/cases/{referral.case_id}/referrals/{referral.pk}/send/"
    )
    assert response.status_code == 302
    assert Referral.objects.get().sent_to_partner_at is not None


# --- The partner's page ----------------------------------------------------------------------


def test_the_page_shows_only_what_the_member_agreed_to_share(client, member_user, advisor_user):
    member_user.first_name, member_user.last_name = "Amélie", "Vandenberghe"
    member_user.save()
    referral = referred(member_user, advisor_user)
    response = client.get(link_of(referral))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Amélie" in html and NOTE in html and "+32470123456" in html.replace(" ", "")
    assert "Vandenberghe" not in html
    assert "Je suis débordé" not in html  # the message to the cell stays with the cell
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    # No link into the rest of the portal: no menu, no footer.
    assert re.findall(r'<a\s[^>]*href="/', html) == []


def test_every_view_is_in_the_access_log(client, member_user, advisor_user):
    referral = referred(member_user, advisor_user)
    client.get(link_of(referral))
    client.get(link_of(referral))
    rows = CaseAccess.objects.filter(case=referral.case, subject=AccessSubject.PARTNER_PAGE)
    assert rows.count() == 2
    assert {(row.referral_id, row.accessed_by_id, row.purpose) for row in rows} == {
        (referral.pk, None, AccessPurpose.PARTNER)
    }


def test_the_partner_answers_taken_on(client, member_user, advisor_user):
    referral = referred(member_user, advisor_user)
    response = client.post(link_of(referral), {"answer": PartnerAnswer.TAKEN_ON}, follow=True)
    assert "Merci\u00a0: votre réponse est enregistrée." in response.content.decode()
    referral.refresh_from_db()
    assert referral.partner_answer == PartnerAnswer.TAKEN_ON
    assert referral.partner_contacted_at is not None
    event = CaseEvent.objects.get(kind=EventKind.PARTNER_ANSWERED)
    assert event.actor is None and event.data["answer"] == PartnerAnswer.TAKEN_ON


def test_not_taken_on_needs_a_reason(client, member_user, advisor_user):
    referral = referred(member_user, advisor_user)
    response = client.post(link_of(referral), {"answer": PartnerAnswer.NOT_TAKEN_ON})
    assert response.status_code == 400
    assert Referral.objects.get().partner_answer == ""
    client.post(link_of(referral), {"answer": "not_taken_on", "reason": "no_capacity"})
    referral.refresh_from_db()
    assert (referral.partner_answer, referral.partner_reason) == ("not_taken_on", "no_capacity")


def test_a_second_answer_only_moves_forward(client, member_user, advisor_user):
    referral = referred(member_user, advisor_user)
    client.post(link_of(referral), {"answer": PartnerAnswer.CONTACTED})
    # Back to "received": refused, the page says where the referral stands.
    response = client.post(link_of(referral), {"answer": PartnerAnswer.RECEIVED}, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "elle ne peut qu" in html and "Personne contactée" in html
    referral.refresh_from_db()
    assert referral.partner_answer == PartnerAnswer.CONTACTED
    with pytest.raises(ValidationError) as refused:
        services.partner_answer_record(referral_id=referral.pk, answer=PartnerAnswer.RECEIVED)
    assert refused.value.code == "backward"
    services.partner_answer_record(referral_id=referral.pk, answer=PartnerAnswer.TAKEN_ON)
    # Final: neither "not taken on" nor the same answer again.
    with pytest.raises(ValidationError):
        services.partner_answer_record(
            referral_id=referral.pk, answer=PartnerAnswer.NOT_TAKEN_ON, reason="other"
        )
    with pytest.raises(ValidationError):
        services.partner_answer_record(referral_id=referral.pk, answer=PartnerAnswer.TAKEN_ON)
    html = client.get(link_of(referral)).content.decode()
    assert 'name="answer"' not in html
    assert CaseEvent.objects.filter(kind=EventKind.PARTNER_ANSWERED).count() == 2


# --- Bad links -------------------------------------------------------------------------------


def test_a_forged_link_gets_a_clear_page(client, member_user, advisor_user):
    referral = referred(member_user, advisor_user)
    token = link_of(referral).rstrip("/").rsplit("/", 1)[1]
    for bad in (token[:-2] + "xx", "nonsense", dumps({"r": referral.pk}, salt=SALT)):
        response = client.get(f"/fr/listening-cell/partner/{bad}/")
        assert response.status_code == 404
        assert "n'est pas valide" in response.content.decode()
    # A token signed for something else (another salt) names nothing here.
    other = dumps({"r": referral.pk, "e": 4102444800}, salt="something-else")
    assert client.get(f"/fr/listening-cell/partner/{other}/").status_code == 404
    assert (
        client.post(f"/fr/listening-cell/partner/{other}/", {"answer": "taken_on"}).status_code
        == 404
    )
    assert not CaseAccess.objects.filter(subject=AccessSubject.PARTNER_PAGE).exists()


def test_an_expired_link_gets_a_clear_page(client, member_user, advisor_user, settings):
    settings.REFERRALS_PARTNER_LINK_DAYS = 10
    referral = referred(member_user, advisor_user)
    link = link_of(referral)
    with time_machine.travel(timezone.now() + timedelta(days=10, seconds=1)):
        response = client.get(link)
        assert response.status_code == 410
        assert client.post(link, {"answer": "taken_on"}).status_code == 410
    assert Referral.objects.get().partner_answer == ""
    with pytest.raises(PartnerLinkInvalid):
        partner_token_read(
            partner_token(referral_id=referral.pk, sent_at=timezone.now() - timedelta(days=11))
        )


def test_the_link_dies_when_the_case_closes(client, member_user, advisor_user):
    referral = referred(member_user, advisor_user)
    services.case_close(case=referral.case, actor=advisor_user, outcome=Outcome.DECLINED)
    response = client.post(link_of(referral), {"answer": "taken_on"})
    assert response.status_code == 410
    assert "a clôturé ce dossier" in response.content.decode()
    assert Referral.objects.get().partner_answer == ""
    with pytest.raises(ValidationError):
        services.partner_answer_record(referral_id=referral.pk, answer=PartnerAnswer.RECEIVED)


def test_the_page_is_rate_limited(client, member_user, advisor_user, settings):
    settings.REFERRALS_PARTNER_LIMIT_PER_IP = "2/h"
    referral = referred(member_user, advisor_user)
    assert client.get(link_of(referral)).status_code == 200
    assert client.get(link_of(referral)).status_code == 200
    response = client.get(link_of(referral))
    assert response.status_code == 429
    assert CaseAccess.objects.filter(subject=AccessSubject.PARTNER_PAGE).count() == 2


def test_unknown_answers_are_refused(client, member_user, advisor_user):
    referral = referred(member_user, advisor_user)
    response = client.post(link_of(referral), {"answer": "cured", "reason": "x" * 5000})
    assert response.status_code == 400
    with pytest.raises(ValidationError):
        services.partner_answer_record(referral_id=referral.pk, answer="cured")
    with pytest.raises(ValidationError):
        services.partner_answer_record(
            referral_id=referral.pk, answer=PartnerAnswer.NOT_TAKEN_ON, reason="bored"
        )
    assert mail.outbox == [] or all("cured" not in m.body for m in mail.outbox)
