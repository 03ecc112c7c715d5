"""Optional partner accounts: a manager invites a partner's staff member, who signs in to
"Referrals sent to <partner>", opens one (the same page as the signed link, in the access
log with their account) and answers through the same forward-only service. Another
partner's referral is a 404, the partner space a 403 for everyone else; the e-mail's link
keeps working and mentions the partner space."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from members.roles import Role, primary_role
from referrals import selectors, services
from referrals.choices import AccessPurpose, AccessSubject, EventKind, Outcome, PartnerAnswer
from referrals.models import CaseAccess, CaseEvent, PartnerMembership
from referrals.partner_emails import PARTNER_REFERRAL
from tests.emails import BASE, sent
from tests.factories import member, staff

from .factories import PartnerFactory
from .partner_side import NOTE, link_of, referred

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _french():
    """The addresses and texts below are the French ones, whatever language a test before
    left active in this thread."""
    with translation.override("fr"):
        yield


def partner_user(partner, **kwargs):
    user = staff(Role.PARTNER, **kwargs)
    PartnerMembership.objects.create(user=user, partner=partner)
    return user


def space_url(referral) -> str:
    # The French address: the pages answer in the language of the address, whatever test
    # ran before in this thread.
    with translation.override("fr"):
        return reverse("referrals:partner-space-referral", args=[referral.pk])


# --- Invitation ----------------------------------------------------------------------------


@pytest.mark.usefixtures("in_process_mail")
def test_a_manager_invites_a_partners_staff_member(
    client, manager_user, django_capture_on_commit_callbacks
):
    partner = PartnerFactory(name="Un pass dans l'impasse")
    client.force_login(manager_user)
    page = reverse("referrals:partner-staff", args=[partner.pk])
    assert client.get(reverse("referrals:partner-list")).content.decode().count(page) == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            page, {"email": " Lea@Pass.example.org ", "first_name": "Léa", "language": "fr"}
        )
    assert response.status_code == 302
    membership = PartnerMembership.objects.get()
    user = membership.user
    assert (membership.partner, membership.invited_by) == (partner, manager_user)
    assert user.email == "lea@pass.example.org" and not user.has_usable_password()
    assert primary_role(user) == Role.PARTNER
    assert EmailAddress.objects.get(user=user).verified
    [message] = mail.outbox
    assert message.to == ["lea@pass.example.org"]
    assert "Un pass dans l'impasse" in message.body
    assert re.search(rf"{re.escape(BASE)}/fr/\S+/password/reset/key/\S+", message.body)
    assert "lea@pass.example.org" in client.get(page).content.decode()


def test_an_address_with_an_account_is_refused_with_a_message(client, manager_user):
    partner = PartnerFactory()
    taken = member()
    client.force_login(manager_user)
    with translation.override("fr"):
        response = client.post(
            reverse("referrals:partner-staff", args=[partner.pk]),
            {"email": taken.email, "first_name": "X", "language": "fr"},
        )
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert not PartnerMembership.objects.exists()


def test_only_directory_managers_invite(advisor_user):
    with pytest.raises(PermissionDenied):
        services.partner_staff_invite(
            partner=PartnerFactory(),
            email="x@example.org",
            first_name="X",
            language="fr",
            actor=advisor_user,
        )


def test_a_bad_address_is_refused(manager_user):
    with pytest.raises(ValidationError):
        services.partner_staff_invite(
            partner=PartnerFactory(),
            email="not an address",
            first_name="X",
            language="fr",
            actor=manager_user,
        )


# --- The partner space ---------------------------------------------------------------------


def test_a_partner_user_lands_on_their_referrals(client, member_user, advisor_user):
    partner = PartnerFactory(name="Un pass dans l'impasse")
    # A first name no other random name on the page (the partner user's) can contain.
    member_user.first_name = "Zéphyrine"
    member_user.save(update_fields=["first_name"])
    mine = referred(member_user, advisor_user, partner=partner)
    other = referred(member(), advisor_user, partner=PartnerFactory(name="Autre"))
    unsent = referred(member(), advisor_user, partner=partner, send=False)
    user = partner_user(partner)
    client.force_login(user)
    response = client.get(reverse("dashboards:home"))
    assert response.status_code == 302 and response.url == reverse("referrals:partner-space")
    html = client.get(response.url).content.decode()
    assert "Un pass dans l&#x27;impasse" in html or "Un pass dans l'impasse" in html
    assert space_url(mine) in html
    assert space_url(other) not in html and space_url(unsent) not in html
    # No personal data in the list: references only.
    assert member_user.first_name not in html


def test_the_list_runs_a_fixed_number_of_queries(django_assert_num_queries, advisor_user):
    partner = PartnerFactory()
    for _ in range(3):
        referred(member(), advisor_user, partner=partner)
    with django_assert_num_queries(1):
        referrals = selectors.partner_space_referrals(partner)
        assert [referral.case.reference for referral in referrals]
    assert len(referrals) == 3


def test_the_list_page_query_count_does_not_grow(
    client, django_assert_max_num_queries, advisor_user
):
    partner = PartnerFactory()
    user = partner_user(partner)
    client.force_login(user)
    referred(member(), advisor_user, partner=partner)
    with django_assert_max_num_queries(12) as one:
        client.get(reverse("referrals:partner-space"))
    for _ in range(3):
        referred(member(), advisor_user, partner=partner)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(reverse("referrals:partner-space"))
    assert response.status_code == 200


def test_the_referral_page_shows_what_the_link_shows_and_is_logged(
    client, member_user, advisor_user
):
    member_user.first_name, member_user.last_name = "Amélie", "Vandenberghe"
    member_user.save()
    partner = PartnerFactory()
    referral = referred(member_user, advisor_user, partner=partner)
    user = partner_user(partner)
    client.force_login(user)
    response = client.get(space_url(referral))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Amélie" in html and NOTE in html
    assert "Vandenberghe" not in html and "Je suis débordé" not in html
    row = CaseAccess.objects.get(case=referral.case, subject=AccessSubject.PARTNER_PAGE)
    assert (row.referral_id, row.accessed_by_id, row.purpose) == (
        referral.pk,
        user.pk,
        AccessPurpose.PARTNER,
    )


def test_the_partner_user_answers_forward_only(client, member_user, advisor_user):
    partner = PartnerFactory()
    referral = referred(member_user, advisor_user, partner=partner)
    client.force_login(partner_user(partner))
    response = client.post(space_url(referral), {"answer": PartnerAnswer.TAKEN_ON}, follow=True)
    assert "Merci\u00a0: votre réponse est enregistrée." in response.content.decode()
    referral.refresh_from_db()
    assert referral.partner_answer == PartnerAnswer.TAKEN_ON
    event = CaseEvent.objects.get(kind=EventKind.PARTNER_ANSWERED)
    assert event.data["answer"] == PartnerAnswer.TAKEN_ON
    # A second, earlier answer cannot undo it.
    response = client.post(space_url(referral), {"answer": PartnerAnswer.RECEIVED}, follow=True)
    assert response.status_code == 200
    referral.refresh_from_db()
    assert referral.partner_answer == PartnerAnswer.TAKEN_ON
    # A wrong answer is a 400 with the form, never a 500.
    other = referred(member(), advisor_user, partner=partner)
    response = client.post(space_url(other), {"answer": PartnerAnswer.NOT_TAKEN_ON})
    assert response.status_code == 400


def test_another_partners_referral_is_a_404(client, member_user, advisor_user):
    referral = referred(member_user, advisor_user, partner=PartnerFactory())
    client.force_login(partner_user(PartnerFactory()))
    assert client.get(space_url(referral)).status_code == 404
    assert client.post(space_url(referral), {"answer": "taken_on"}).status_code == 404
    assert client.get(reverse("referrals:partner-space-referral", args=[999999])).status_code == 404
    assert not CaseAccess.objects.filter(subject=AccessSubject.PARTNER_PAGE).exists()


def test_a_closed_case_shows_no_personal_data(client, member_user, advisor_user):
    member_user.first_name = "Amélie"
    member_user.save()
    partner = PartnerFactory()
    referral = referred(member_user, advisor_user, partner=partner)
    services.case_close(case=referral.case, actor=advisor_user, outcome=Outcome.DECLINED)
    client.force_login(partner_user(partner))
    response = client.get(space_url(referral), follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Amélie" not in html and NOTE not in html
    assert space_url(referral) not in html


@pytest.mark.parametrize("who", ["member", "advisor", "manager", "ambassador"])
def test_everyone_else_gets_403(client, who):
    roles = {
        "advisor": Role.ADVISOR,
        "manager": Role.PROGRAMME_MANAGER,
        "ambassador": Role.AMBASSADOR,
    }
    user = member() if who == "member" else staff(roles[who])
    client.force_login(user)
    assert client.get(reverse("referrals:partner-space")).status_code == 403


def test_the_role_without_an_organisation_gets_403(client):
    client.force_login(staff(Role.PARTNER))
    assert client.get(reverse("referrals:partner-space")).status_code == 403


def test_a_partner_user_cannot_open_the_staff_pages(client):
    client.force_login(partner_user(PartnerFactory()))
    assert client.get(reverse("referrals:partner-list")).status_code == 403
    assert client.get(reverse("referrals:queue")).status_code == 403


# --- The e-mail ------------------------------------------------------------------------------


@pytest.mark.usefixtures("in_process_mail")
def test_the_e_mail_keeps_its_link_and_adds_the_partner_space(
    client, member_user, advisor_user, django_capture_on_commit_callbacks
):
    partner = PartnerFactory(email="orientation@pass.example.org")
    partner_user(partner)
    with django_capture_on_commit_callbacks(execute=True):
        referral = referred(member_user, advisor_user, partner=partner)
    [message] = sent(PARTNER_REFERRAL)
    with translation.override("fr"):  # the partner's language
        link, space = link_of(referral), reverse("referrals:partner-space")
    assert link in message.body
    assert space in message.body
    # The link still works with nobody signed in.
    assert client.get(link_of(referral)).status_code == 200


@pytest.mark.usefixtures("in_process_mail")
def test_a_partner_without_accounts_gets_no_sign_in_line(
    member_user, advisor_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        referred(member_user, advisor_user, partner=PartnerFactory(email="a@example.org"))
    [message] = sent(PARTNER_REFERRAL)
    assert reverse("referrals:partner-space") not in message.body
