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


@pytest.mark.parametrize(
    "url",
    [
        # The admin's own pages for addresses and authenticators have url names that
        # start like allauth's (admin:account_emailaddress_changelist, admin:mfa_…).
        "/admin/account/emailaddress/",
        "/admin/account/emailaddress/add/",
        "/admin/mfa/authenticator/",
        "/admin/mfa/authenticator/add/",
    ],
)
def test_the_admins_address_and_authenticator_pages_are_not_open_without_it(client, url):
    admin = UserFactory(is_staff=True, is_superuser=True)
    Authenticator.objects.filter(user=admin).delete()
    client.force_login(admin)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == SETUP


@pytest.mark.parametrize(
    ("url", "open_"),
    [
        ("/fr/accounts/logout/", True),
        ("/fr/accounts/reauthenticate/", True),
        ("/fr/accounts/2fa/", True),
        # Not needed to set an app up: removing one, or codes without an app.
        ("/fr/accounts/2fa/totp/deactivate/", False),
        ("/fr/accounts/2fa/recovery-codes/generate/", False),
        ("/fr/me/privacy/", False),
    ],
)
def test_only_the_pages_needed_to_set_it_up_stay_open(client, url, open_):
    client.force_login(without_authenticator(Role.ADVISOR))
    response = client.get(url)
    assert (response.get("Location") != SETUP) is open_


def test_setting_up_the_app_opens_the_portal(client):
    from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY

    advisor = without_authenticator(Role.ADVISOR)
    log_in(client, advisor)
    client.post(REAUTHENTICATE, {"password": PASSWORD})
    assert client.get(SETUP).status_code == 200
    advisor.totp_secret = client.session[SECRET_SESSION_KEY]  # what the QR code holds
    response = client.post(SETUP, {"code": current_totp_code(advisor)}, follow=True)
    assert Authenticator.objects.filter(user=advisor, type="totp").exists()
    assert SETUP not in [url for url, _status in response.redirect_chain]
    home = client.get("/fr/dashboard/", follow=True)
    assert home.redirect_chain[-1][0] == "/fr/dashboard/advisor/"


@pytest.mark.parametrize("next_", ["https://evil.example/", "//evil.example/", "/\\evil.example"])
def test_the_admin_login_redirect_never_leads_off_the_portal(client, next_):
    response = client.get("/admin/login/", {"next": next_})
    login = response["Location"]
    assert login.startswith("/fr/accounts/login/?")
    advisor = staff(Role.ADVISOR)
    client.post(login, {"login": advisor.email, "password": PASSWORD})
    response = client.post("/fr/accounts/2fa/authenticate/", {"code": current_totp_code(advisor)})
    assert response.status_code == 302
    assert response["Location"] == "/fr/dashboard/"
