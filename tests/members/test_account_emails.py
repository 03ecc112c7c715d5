"""allauth's e-mails in the portal's voice: its name, links on PORTAL_BASE_URL whatever
host the request used, a greeting by first name, FR/NL/EN, and headers that survive the
wire."""

import email.policy
from email import message_from_bytes

import pytest
from django.contrib.sites.models import Site
from django.core import mail
from django.core.management import call_command

from common.sites import site_sync
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BASE = "https://bien-etre.example.org"
PASSWORD = "Un-mot-de-passe-solide-7"


@pytest.fixture(autouse=True)
def public_address(settings):
    settings.PORTAL_BASE_URL = BASE
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1"]
    site_sync()


def sign_up(client, language="fr", email="nouveau@example.org"):
    return client.post(
        f"/{language}/accounts/signup/",
        {"email": email, "password1": PASSWORD, "password2": PASSWORD},
        HTTP_HOST="127.0.0.1",
    )


def html_of(message) -> str:
    [(content, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return content


def test_migrate_names_the_site_after_the_public_address(settings):
    settings.PORTAL_BASE_URL = "https://portal.example.be"
    call_command("migrate", "sites", verbosity=0)
    site = Site.objects.get_current()
    assert (site.domain, site.name) == ("portal.example.be", "J'entreprends mon bien-être")


def test_the_site_follows_the_public_address(settings):
    site = Site.objects.get_current()
    assert (site.domain, site.name) == ("bien-etre.example.org", settings.PORTAL_NAME)
    settings.PORTAL_BASE_URL = "https://staging.example.org:8443"
    site_sync()
    assert Site.objects.get_current().domain == "staging.example.org:8443"


@pytest.mark.parametrize(
    ("language", "subject", "greeting", "action", "lifetime"),
    [
        ("fr", "Bienvenue", "Bonjour,", "Confirmer mon adresse", "pendant 3 jours"),
        ("nl", "Welkom", "Hallo,", "Mijn adres bevestigen", "werkt 3 dagen"),
        ("en", "Welcome", "Hello,", "Confirm my address", "works for 3 days"),
    ],
)
def test_the_sign_up_confirmation_speaks_the_portal_voice(
    client, language, subject, greeting, action, lifetime
):
    sign_up(client, language=language)
    [message] = mail.outbox
    assert message.subject.startswith("[J'entreprends mon bien-être] " + subject)
    assert message.body.startswith(greeting)
    assert f"{BASE}/{language}/accounts/confirm-email/" in message.body
    assert "127.0.0.1" not in message.body and "127.0.0.1" not in html_of(message)
    assert "example.com" not in message.body
    assert "J'entreprends mon bien-être" in message.body
    assert "&#x27;" not in message.body  # text parts are not HTML-escaped
    assert action in html_of(message)
    assert lifetime in message.body
    assert message.extra_headers["Content-Language"] == language


def test_a_reset_greets_by_first_name_with_a_link_on_the_public_address(client):
    UserFactory(email="alex@example.org", first_name="Alex")
    client.post(
        "/fr/accounts/password/reset/", {"email": "alex@example.org"}, HTTP_HOST="127.0.0.1"
    )
    [message] = mail.outbox
    assert message.body.startswith("Bonjour Alex,")
    assert f"{BASE}/fr/accounts/password/reset/key/" in message.body
    assert "Tu peux en choisir un" in message.body


def test_signing_up_again_says_the_account_exists_in_the_portal_voice(client):
    UserFactory(email="alex@example.org", first_name="Alex")
    sign_up(client, language="nl", email="alex@example.org")
    [message] = mail.outbox
    assert "Je hebt al een account" in message.subject
    assert message.body.startswith("Hallo Alex,")
    assert f"{BASE}/nl/accounts/password/reset/" in message.body


def test_a_reset_for_an_unknown_address_offers_to_sign_up(client):
    client.post(
        "/en/accounts/password/reset/", {"email": "nobody@example.org"}, HTTP_HOST="127.0.0.1"
    )
    [message] = mail.outbox
    assert "No account uses this address" in message.subject
    assert f"{BASE}/en/accounts/signup/" in message.body


def test_a_long_french_subject_survives_the_wire(client):
    sign_up(client)
    [message] = mail.outbox
    raw = message.message(policy=email.policy.SMTP).as_bytes()
    parsed = message_from_bytes(raw, policy=email.policy.default)
    assert parsed["Subject"] == message.subject
    assert parsed["Content-Language"] == "fr"
