"""Headers as a real SMTP server receives them: the bytes, parsed with the standard
library's e-mail parser, as Gmail or Yahoo would read them."""

import email.policy
import re
from email import message_from_bytes
from urllib.parse import urlsplit

import pytest
from django.test import Client

from notifications.email import PortalEmail
from notifications.preferences import preference_enabled
from notifications.registry import register_kind, unregister
from notifications.sending import Outcome, delivery_send
from tests.notifications.factories import person, scheduled
from tests.notifications.smtp import SMTPServer

pytestmark = pytest.mark.django_db

LONG = "tests.long_subject"
# Long enough to be folded, with French punctuation and accents either side of the folds.
TITLE = (
    "« Renforcer tes ressources face au stress : déconnecter sans culpabiliser » "
    "— l'après-midi des indépendant·es à Liège, à 14 h"
)


@pytest.fixture
def smtp(settings):
    with SMTPServer() as server:
        settings.MAILERS = server.mailers_setting()
        yield server


@pytest.fixture
def long_subject_kind():
    register_kind(
        LONG,
        label="Long subject (tests)",
        category="session_reminders",
        template="tests_notifications/email/workshop_reminder",
        build_context=lambda delivery: {"workshop_title": TITLE, "starts_at": None},
        replace=True,
    )
    yield
    unregister(kind=LONG)


def headers_of(raw: bytes) -> str:
    head, _sep, _body = raw.partition(b"\r\n\r\n")
    return head.decode("ascii")


def unfolded(head: str, name: str) -> str:
    """A header's value exactly as written on the wire, folds removed (RFC 5322 2.2.3)."""
    lines = head.split("\r\n")
    for index, line in enumerate(lines):
        if line.lower().startswith(name.lower() + ":"):
            value = line[len(name) + 1 :]
            for more in lines[index + 1 :]:
                if more[:1] not in (" ", "\t"):
                    break
                value += more
            return value.strip()
    raise AssertionError(f"no {name} header in:\n{head}")


def test_the_unsubscribe_headers_are_plain_ascii_and_read_back_exactly(smtp, long_subject_kind):
    user = person(language="fr")
    delivery = scheduled(user, kind=LONG)
    assert delivery_send(delivery_id=delivery.pk) == Outcome.SENT

    [raw] = smtp.handler.raw
    head = headers_of(raw)
    assert all(len(line) <= 998 for line in head.split("\r\n"))
    url_header = unfolded(head, "List-Unsubscribe")
    assert "=?" not in url_header, "List-Unsubscribe must never be RFC 2047-encoded"
    assert unfolded(head, "List-Unsubscribe-Post") == "List-Unsubscribe=One-Click"
    assert unfolded(head, "List-Id") == "<session-reminders.bien-etre.example.org>"
    assert unfolded(head, "Content-Language") == "fr"

    parsed = message_from_bytes(raw, policy=email.policy.default)
    assert parsed["List-Unsubscribe"] == url_header
    assert parsed["Subject"] == f"Reminder: {TITLE}"  # the test kind has no translation
    url = url_header.removeprefix("<").removesuffix(">")
    assert url.startswith("https://bien-etre.example.org/fr/messages/unsubscribe/")

    # What Gmail does with it: a POST without cookies or CSRF token (RFC 8058).
    response = Client(enforce_csrf_checks=True).post(
        urlsplit(url).path,
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not preference_enabled(user, "session_reminders")


def test_the_headers_follow_the_recipient_language(smtp, long_subject_kind):
    delivery_send(delivery_id=scheduled(person(language="nl"), kind=LONG).pk)
    head = headers_of(smtp.handler.raw[0])
    assert unfolded(head, "Content-Language") == "nl"
    assert "/nl/messages/unsubscribe/" in unfolded(head, "List-Unsubscribe")


def test_a_service_message_has_no_unsubscribe_but_its_own_list(smtp):
    delivery = scheduled(person(language="en"), kind="tests.enrolment_notice")
    delivery_send(delivery_id=delivery.pk)
    head = headers_of(smtp.handler.raw[0])
    assert "List-Unsubscribe" not in head
    assert unfolded(head, "List-Id") == "<service.bien-etre.example.org>"
    assert unfolded(head, "Content-Language") == "en"


@pytest.mark.parametrize(
    "subject",
    [
        "Rappel : ton atelier « Renforcer tes ressources face au stress » commence demain à 14 h",
        ": « » ton ? ressources ton ton « atelier ça d'être l'équipe",
        "! commence é ton è : è Déconnecter 14 é ! è « — h",
        "Herinnering: je workshop begint morgen om 14 u, we kijken ernaar uit je te zien daar",
        "A plain ASCII subject that is long enough to be folded at least once on the wire",
    ],
)
def test_folded_subjects_keep_every_space(subject):
    message = PortalEmail(subject=subject, body="x", from_email="a@example.org", to=["b@x.org"])
    raw = message.message(policy=email.policy.SMTP).as_bytes()
    assert all(len(line) <= 78 for line in headers_of(raw).split("\r\n"))
    assert message_from_bytes(raw, policy=email.policy.default)["Subject"] == subject


def test_a_list_header_is_folded_between_urls_never_inside_one():
    url = "https://bien-etre.example.org/fr/messages/unsubscribe/" + "a,b" * 50 + "/"
    message = PortalEmail(
        subject="x",
        body="x",
        from_email="a@example.org",
        to=["b@example.org"],
        headers={"List-Unsubscribe": f"<{url}>, <mailto:unsubscribe@example.org>"},
    )
    head = headers_of(message.message(policy=email.policy.SMTP).as_bytes())
    assert f"List-Unsubscribe: <{url}>,\r\n <mailto:unsubscribe@example.org>" in head


def test_a_non_ascii_list_header_is_refused_rather_than_encoded():
    message = PortalEmail(
        subject="x",
        body="x",
        from_email="a@example.org",
        to=["b@example.org"],
        headers={"List-Id": "<rappels.bien-être.example.org>"},
    )
    with pytest.raises(ValueError, match="List-Id"):
        message.message(policy=email.policy.SMTP).as_bytes()


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"), id="signature"),
        pytest.param(lambda token: token[: len(token) // 2], id="cut-short"),
    ],
)
def test_a_damaged_unsubscribe_link_gets_a_friendly_page(smtp, damage):
    user = person(language="fr")
    delivery_send(delivery_id=scheduled(user).pk)
    url = unfolded(headers_of(smtp.handler.raw[0]), "List-Unsubscribe").strip("<>")
    path = urlsplit(url).path
    token = path.rstrip("/").rsplit("/", 1)[1]
    damaged = path.replace(token, damage(token))
    client = Client(enforce_csrf_checks=True)

    for response in (
        client.get(damaged),
        client.post(damaged, {"List-Unsubscribe": "One-Click"}),
    ):
        page = response.content.decode()
        assert response.status_code == 400
        assert "Ce lien ne fonctionne pas" in page
        assert "Tu peux rouvrir le lien depuis" in page
    assert preference_enabled(user, "session_reminders")


def test_with_a_dkim_key_the_message_is_signed_unsubscribe_headers_included(smtp, settings):
    import base64

    import dkim
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    settings.DKIM_PRIVATE_KEY = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    settings.DKIM_SELECTOR, settings.DKIM_DOMAIN = "portal", "example.org"
    public = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    record = b"v=DKIM1; k=rsa; p=" + base64.b64encode(public)
    settings.MAILERS = {
        "default": {
            **smtp.mailers_setting()["default"],
            "BACKEND": "notifications.backends.SMTPBackend",
        }
    }

    delivery_send(delivery_id=scheduled(person()).pk)
    [raw] = smtp.handler.raw
    assert raw.startswith(b"DKIM-Signature:")
    signature = unfolded(headers_of(raw), "DKIM-Signature")
    assert "d=example.org" in signature and "s=portal" in signature
    signed = signature.split("h=", 1)[1].split(";", 1)[0].replace(" ", "").lower().split(":")
    assert {"list-unsubscribe", "list-unsubscribe-post", "from", "subject"} <= set(signed)

    def dns(name, timeout=5):
        assert name == b"portal._domainkey.example.org."
        return record

    assert dkim.verify(raw, dnsfunc=dns)
    tampered = raw.replace(
        b"List-Unsubscribe-Post: List-Unsubscribe=One-Click", b"List-Unsubscribe-Post: x"
    )
    assert not dkim.verify(tampered, dnsfunc=dns)


def test_without_a_dkim_key_nothing_is_signed_here(smtp, settings):
    settings.DKIM_PRIVATE_KEY = b""
    settings.MAILERS = {
        "default": {
            **smtp.mailers_setting()["default"],
            "BACKEND": "notifications.backends.SMTPBackend",
        }
    }
    delivery_send(delivery_id=scheduled(person()).pk)
    assert b"DKIM-Signature" not in smtp.handler.raw[0]


def _campaign_message(n: int) -> PortalEmail:
    message = PortalEmail(
        subject=[TITLE, "Rappel : ta séance", "A plain subject " * 6][n % 3],
        body=f"Bonjour {n},\n" + "une ligne assez longue pour être pliée " * 4 + "\n",
        from_email="Bien-être <bien-etre@example.org>",
        to=[f"person{n}@example.org"],
        headers={
            "Date": "Sun, 06 Dec 2026 13:32:21 +0000",
            "Message-ID": f"<delivery.{n}@example.org>",
            "List-Id": "<session-reminders.bien-etre.example.org>",
            "List-Unsubscribe": f"<https://bien-etre.example.org/fr/u/{'x' * 90}{n % 2}/>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(f"<p>Bonjour {n}, é</p>" * 20, "text/html")
    return message


@pytest.mark.parametrize("policy", [email.policy.SMTP, email.policy.default], ids=["smtp", "lf"])
def test_kept_headers_leave_a_campaign_byte_for_byte_as_built_afresh(policy):
    """The registry keeps header objects and their folding from one message to the
    next: the bytes are those of a registry that builds everything each time."""
    from email.headerregistry import HeaderRegistry
    from unittest import mock

    from notifications import email as portal_email

    fresh = HeaderRegistry()
    for name in ("list-unsubscribe", "list-unsubscribe-post", "list-id"):
        fresh.map_to_type(name, portal_email.AsciiListHeader)
    fresh.map_to_type("subject", portal_email.EncodedSubjectHeader)

    def wire(n: int) -> bytes:
        raw = _campaign_message(n).message(policy=policy).as_bytes()
        return re.sub(rb"={15}\d+==", b"BOUNDARY", raw)

    kept = [wire(n) for n in range(12)]
    with mock.patch.object(
        portal_email, "_with_portal_headers", lambda p: p.clone(header_factory=fresh)
    ):
        afresh = [wire(n) for n in range(12)]
    assert kept == afresh


def test_a_kept_sender_address_is_still_checked_every_time(settings):
    from django.core.mail import mailers

    settings.MAILERS = {
        "default": {
            "BACKEND": "notifications.backends.SMTPBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 1},
        }
    }
    backend = mailers.default
    assert backend.prep_address("Bien-être <bien-etre@example.org>") == "bien-etre@example.org"
    assert backend.prep_address("Bien-être <bien-etre@example.org>") == "bien-etre@example.org"
    with pytest.raises(ValueError):
        backend.prep_address("a@example.org\r\nBcc: b@example.org")
    with pytest.raises(ValueError):
        backend.prep_address("a@example.org\r\nBcc: b@example.org")
