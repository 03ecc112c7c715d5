"""Every privacy URL for every role: each account reaches its own privacy space (staff
included, after their two-factor set-up), visitors are sent to log in, bad input is a
404 or a message, never a 500, and every form needs its CSRF token."""

import pytest
from django.test import Client

from members.consents import ConsentKind
from members.models import User
from members.roles import Role
from members.services import consent_give
from tests.factories import PASSWORD, UserFactory, member, staff

pytestmark = pytest.mark.django_db

PRIVACY = "/en/me/privacy/"
WITHDRAW = "/en/me/privacy/consents/health_data/withdraw/"
GIVE = "/en/me/privacy/consents/health_data/give/"
EXPORT = "/en/me/privacy/my-data/"
DOWNLOAD = "/en/me/privacy/my-data/download/"
ERASE = "/en/me/privacy/delete-my-account/"
REAUTHENTICATE = "/en/accounts/reauthenticate/"


def account(role: str) -> User:
    if role == "member":
        return member()
    if role == "administrator":
        return UserFactory(is_staff=True, is_superuser=True)
    return staff(Role(role))


ROLES = ["member", "ambassador", "advisor", "programme_manager", "administrator"]


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reaches_its_own_privacy_space(client, role):
    user = account(role)
    client.force_login(user)
    for url in (PRIVACY, WITHDRAW, ERASE):
        assert client.get(url).status_code == 200, url
    for url in (EXPORT, DOWNLOAD):  # the password first
        assert client.get(url)["Location"].startswith(REAUTHENTICATE), url
    response = client.post(GIVE, follow=True)
    assert response.redirect_chain[-1][0] == PRIVACY
    assert user.consents.filter(kind=ConsentKind.HEALTH_DATA).count() == 1


@pytest.mark.parametrize("url", [PRIVACY, WITHDRAW, EXPORT, DOWNLOAD, ERASE])
def test_visitors_are_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = client.post(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("method", "url", "status"),
    [
        ("get", "/en/me/privacy/consents/unknown/withdraw/", 404),
        ("post", "/en/me/privacy/consents/unknown/withdraw/", 404),
        ("post", "/en/me/privacy/consents/%00/give/", 404),
        ("post", "/en/me/privacy/consents/partner_sharing/give/", 404),  # given with a request
        ("get", GIVE, 405),
        ("post", WITHDRAW + "?kept_data=%00", 302),
    ],
)
def test_bad_input_is_never_a_500(client, method, url, status):
    client.force_login(member())
    assert getattr(client, method)(url).status_code == status


def test_an_unknown_choice_about_kept_results_is_explained(client):
    from tests.assessments.factories import keep_result

    user = member()
    consent_give(user=user, kind=ConsentKind.HEALTH_DATA)
    keep_result(user, "who-5", "low")
    client.force_login(user)
    response = client.post(WITHDRAW, {"kept_data": "\x00everything"})
    assert response.status_code == 200
    assert 'id="kept-data-error"' in response.content.decode()
    assert user.consents.get().withdrawn_at is None


@pytest.mark.parametrize(
    ("url", "data"),
    [
        (GIVE, {}),
        (WITHDRAW, {}),
        (ERASE, {"password": PASSWORD, "confirm": "on"}),
    ],
)
def test_every_privacy_form_needs_its_csrf_token(url, data):
    user = member()
    consent_give(user=user, kind=ConsentKind.HEALTH_DATA)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    assert browser.post(url, data).status_code == 403
    assert User.objects.filter(pk=user.pk).exists()
    assert user.consents.get().withdrawn_at is None
