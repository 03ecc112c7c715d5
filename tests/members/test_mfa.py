"""Two-factor authentication is mandatory for advisors, managers and administrators."""

import pytest
from allauth.mfa.models import Authenticator

from members.roles import Role
from tests.factories import PASSWORD, UserFactory, current_totp_code, member, staff

pytestmark = pytest.mark.django_db

SETUP = "/fr/accounts/2fa/totp/activate/"
REAUTHENTICATE = "/fr/accounts/reauthenticate/?next=%2Ffr%2Faccounts%2F2fa%2Ftotp%2Factivate%2F"


def without_authenticator(role: Role):
    user = staff(role)
    Authenticator.objects.filter(user=user).delete()
    return user


def log_in(client, user):
    """Through allauth's login page, so the session knows how and when it logged in."""
    return client.post(
        "/fr/accounts/login/", {"login": user.email, "password": PASSWORD}, follow=True
    )


@pytest.mark.parametrize("role", [Role.ADVISOR, Role.PROGRAMME_MANAGER])
def test_staff_without_an_authenticator_are_sent_to_set_one_up(client, role):
    response = log_in(client, without_authenticator(role))
    # allauth asks for the password once more before an authenticator is added.
    assert response.redirect_chain[-1][0] == REAUTHENTICATE
    response = client.post(REAUTHENTICATE, {"password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == SETUP
    assert 'name="code"' in response.content.decode()
    # Every other page sends them back there.
    assert client.get("/fr/programme/")["Location"] == SETUP


@pytest.mark.parametrize("role", [Role.ADVISOR, Role.PROGRAMME_MANAGER])
def test_staff_with_an_authenticator_go_through(client, role):
    client.force_login(staff(role))
    assert client.get("/fr/dashboard/", follow=True).status_code == 200
    assert client.get("/fr/dashboard/").status_code == 302


@pytest.mark.parametrize("role", [Role.MEMBER, Role.AMBASSADOR])
def test_members_and_ambassadors_are_not_asked(client, role):
    user = member() if role is Role.MEMBER else staff(role)
    assert not Authenticator.objects.filter(user=user).exists()
    client.force_login(user)
    response = client.get("/fr/dashboard/", follow=True)
    assert response.status_code == 200
    assert SETUP not in [url for url, _status in response.redirect_chain]


def test_account_pages_and_logout_stay_open_while_enrolling(client):
    log_in(client, without_authenticator(Role.ADVISOR))
    assert client.get("/fr/accounts/email/").status_code == 200
    assert client.get(SETUP)["Location"] == REAUTHENTICATE
    assert client.post("/i18n/setlang/", {"language": "nl", "next": "/nl/"}).status_code == 302
    client.post("/fr/accounts/logout/")
    assert client.get("/fr/dashboard/").status_code == 302


def test_administrators_need_it_for_the_admin_too(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    Authenticator.objects.filter(user=admin).delete()
    client.force_login(admin)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == SETUP


def test_the_admin_login_form_is_replaced_by_the_portal_login(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/fr/accounts/login/?next=/admin/"


def test_logging_in_asks_an_advisor_for_the_code(client):
    advisor = staff(Role.ADVISOR)
    response = client.post("/fr/accounts/login/", {"login": advisor.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/fr/accounts/2fa/authenticate/"
    # Not logged in yet: the dashboard still asks for a login.
    assert client.get("/fr/dashboard/advisor/").status_code == 302

    wrong = client.post("/fr/accounts/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 200
    response = client.post(
        "/fr/accounts/2fa/authenticate/", {"code": current_totp_code(advisor)}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/fr/dashboard/advisor/"
