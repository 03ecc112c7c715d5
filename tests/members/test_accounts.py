"""Sign up, confirm the e-mail, log in, reset a password: and every wrong turn on the way."""

import re

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.core import mail
from django.urls import reverse

from members.models import User
from members.roles import Role, roles_of
from members.services import member_register
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = "/fr/accounts/signup/"
LOGIN = "/fr/accounts/login/"


def confirmation_link(message) -> str:
    match = re.search(r"https?://[^/\s]+(/\S+/confirm-email/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


def sign_up(client, email="nouveau@example.org", password="Un-mot-de-passe-solide-7"):
    return client.post(SIGNUP, {"email": email, "password1": password, "password2": password})


def test_sign_up_sends_a_confirmation_and_makes_a_member(client):
    response = sign_up(client)
    assert response.status_code == 302
    user = User.objects.get(email="nouveau@example.org")
    assert roles_of(user) == {Role.MEMBER}
    assert user.profile.preferred_language == "fr"
    assert len(mail.outbox) == 1
    assert "/fr/accounts/confirm-email/" in mail.outbox[0].body
    # Mandatory verification: no way in before the link is followed.
    assert not EmailAddress.objects.get(email="nouveau@example.org").verified


def test_confirming_logs_in_and_lands_on_the_member_home(client):
    sign_up(client)
    link = confirmation_link(mail.outbox[0])
    assert client.get(link).status_code == 200
    response = client.post(link)
    assert EmailAddress.objects.get(email="nouveau@example.org").verified
    assert response.status_code == 302
    response = client.get(response["Location"], follow=True)
    assert response.redirect_chain[-1][0] == reverse("dashboards:member")


def test_a_reused_confirmation_link_says_so(client):
    sign_up(client)
    link = confirmation_link(mail.outbox[0])
    client.post(link)
    client.post(reverse("account_logout"))
    response = client.get(link)
    assert response.status_code == 200
    assert "expiré ou n" in response.content.decode()


def test_an_expired_or_forged_link_says_so(client, settings):
    response = client.get("/fr/accounts/confirm-email/not-a-real-key/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "expiré ou n" in body


def test_an_expired_link_is_refused(client, settings):
    user = UserFactory(verified=False)
    address = EmailAddress.objects.create(user=user, email=user.email, primary=True)
    key = EmailConfirmationHMAC(address).key
    settings.ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = -1
    client.post(f"/fr/accounts/confirm-email/{key}/")
    address.refresh_from_db()
    assert not address.verified


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "pas-une-adresse", "password1": "x", "password2": "x"}, "adresse"),
        (
            {
                "email": "a@example.org",
                "password1": "Solide-mot-2026",
                "password2": "Autre-mot-2026",
            },
            "mot de passe",
        ),
        ({"email": "b@example.org", "password1": "123", "password2": "123"}, "trop court"),
    ],
)
def test_invalid_sign_up_data_gets_a_clear_message(client, data, message):
    response = client.post(SIGNUP, data)
    assert response.status_code == 200
    assert message in response.content.decode().lower()
    assert not User.objects.filter(email=data["email"]).exists()


def test_wrong_password_gets_a_clear_message(client):
    user = UserFactory()
    response = client.post(LOGIN, {"login": user.email, "password": "not-the-password"})
    assert response.status_code == 200
    assert "mot de passe" in response.content.decode().lower()
    assert "_auth_user_id" not in client.session


def test_login_lands_on_the_role_home_in_the_member_language(client):
    user = UserFactory()
    member_register(user=user, language="nl")
    response = client.post(LOGIN, {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/nl/dashboard/"
    assert client.cookies["portal_language"].value == "nl"


def test_password_reset_by_e_mail(client):
    user = UserFactory()
    client.post("/fr/accounts/password/reset/", {"email": user.email})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/\S+/password/reset/key/\S+/)", mail.outbox[0].body).group(
        1
    )
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    new = "Nouveau-mot-de-passe-2026"
    response = client.post(form_url, {"password1": new, "password2": new})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)
