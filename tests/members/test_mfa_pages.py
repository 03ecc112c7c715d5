"""allauth's two-factor pages and e-mails in the portal's voice, in FR and NL: the
portal's sentences are there and allauth's own ones are gone.

allauth's phrases are looked up in allauth's catalogue at test time, in the page's
language, so a page that fell back on allauth's template would show them."""

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.core import mail
from django.utils import translation

from members.roles import Role
from tests.factories import PASSWORD, current_totp_code, member, staff

pytestmark = pytest.mark.django_db

BASE = "https://bien-etre.example.org"


# allauth's count of recovery codes, as it would read with ten codes left of ten.
ALLAUTH_CODES_LEFT = (
    "There is %(unused_count)s out of %(total_count)s recovery codes available.",
    "There are %(unused_count)s out of %(total_count)s recovery codes available.",
)


def allauth_says(language: str, *msgids: str | tuple[str, str]) -> list[str]:
    with translation.override(language):
        return [
            translation.gettext(msgid)
            if isinstance(msgid, str)
            else translation.ngettext(*msgid, 10) % {"unused_count": 10, "total_count": 10}
            for msgid in msgids
        ]


def assert_portal_voice(page: str, language: str, sentences: list[str], allauth: list[str]):
    for sentence in sentences:
        assert sentence in page, sentence
    for phrase in allauth_says(language, *allauth):
        assert phrase not in page, phrase
    assert "J&#x27;entreprends mon bien-être" in page  # the portal's layout and name


def log_in_with_code(client, user):
    """Password, then the app's code, as an advisor does; then the password once more,
    which allauth asks before the pages that show or change the set-up."""
    client.post("/fr/accounts/login/", {"login": user.email, "password": PASSWORD})
    response = client.post("/fr/accounts/2fa/authenticate/", {"code": current_totp_code(user)})
    assert response.status_code == 302, response.content.decode()
    client.post("/fr/accounts/reauthenticate/", {"password": PASSWORD})


def log_in_without_app(client, user):
    Authenticator.objects.filter(user=user).delete()
    client.post("/fr/accounts/login/", {"login": user.email, "password": PASSWORD})
    client.post("/fr/accounts/reauthenticate/", {"password": PASSWORD})


@pytest.fixture
def advisor():
    return staff(Role.ADVISOR, first_name="Camille")


@pytest.fixture
def advisor_with_codes(advisor):
    RecoveryCodes.activate(advisor)
    return advisor


INDEX = [
    (
        "fr",
        [
            "Votre rôle donne accès aux données personnelles des membres",
            "La connexion demande le code affiché par l'application.",
            "Désactiver l'application",
            "sur 10 sont encore inutilisés.",
            "Créer de nouveaux codes",
        ],
    ),
    (
        "nl",
        [
            "Uw rol geeft toegang tot persoonsgegevens van leden",
            "Bij het inloggen wordt de code uit de app gevraagd.",
            "De app uitschakelen",
            "van de 10 herstelcodes zijn nog ongebruikt.",
            "Nieuwe codes aanmaken",
        ],
    ),
]
# allauth's sentences: its titles and buttons ("Codes de secours", "Désactiver") are the
# plain words for these things, which the portal's pages use too.
ALLAUTH_INDEX = ["Authentication using an authenticator app is active.", ALLAUTH_CODES_LEFT]


@pytest.mark.parametrize(("language", "sentences"), INDEX)
def test_the_overview_with_an_app(client, advisor_with_codes, language, sentences):
    log_in_with_code(client, advisor_with_codes)
    response = client.get(f"/{language}/accounts/2fa/")
    assert response.status_code == 200
    page = response.content.decode()
    assert_portal_voice(page, language, sentences, ALLAUTH_INDEX)
    # Headings in order, for screen readers: one h1, then a h2 per part.
    assert re.findall(r"<h([1-6])", page.split("<main", 1)[1]).count("1") == 1
    assert page.count('<h2 class="h5 card-title"') == 2


@pytest.mark.parametrize(
    ("language", "sentences"),
    [
        ("fr", ["Pas encore configurée", "Configurer l'application", "Pas encore\u00a0: ils"]),
        ("nl", ["Nog niet ingesteld", "De app instellen", "Nog geen: ze worden aangemaakt"]),
    ],
)
def test_the_overview_without_an_app(client, advisor, language, sentences):
    log_in_without_app(client, advisor)
    response = client.get(f"/{language}/accounts/2fa/")
    assert response.status_code == 200
    assert_portal_voice(
        response.content.decode(),
        language,
        sentences,
        ["An authenticator app is not active.", "No recovery codes set up."],
    )


def test_a_member_reads_that_it_is_optional_without_being_told_vous(client):
    client.force_login(member())
    page = client.get("/fr/accounts/2fa/").content.decode()
    assert "Un second facteur est facultatif pour ce compte" in page
    assert "Votre rôle" not in page


@pytest.mark.parametrize(
    ("language", "sentences"),
    [
        ("fr", ["Configurer votre application d'authentification", "Clé (si vous ne"]),
        ("nl", ["Uw authenticator-app instellen", "Sleutel (als u de code"]),
    ],
)
def test_setting_up_the_app(client, advisor, language, sentences):
    log_in_without_app(client, advisor)
    response = client.get(f"/{language}/accounts/2fa/totp/activate/")
    assert response.status_code == 200
    assert_portal_voice(
        response.content.decode(),
        language,
        sentences,
        [
            "To protect your account with two-factor authentication, scan the QR code below "
            "with your authenticator app. Then, input the verification code generated by the "
            "app below.",
            "Authenticator secret",
        ],
    )


@pytest.mark.parametrize(
    ("language", "sentences"),
    [
        (
            "fr",
            [
                "Désactiver l'application d'authentification",
                "la connexion ne demande plus que le mot de passe",
                "le portail vous demande de configurer à nouveau une application",
                "Garder l'application",
            ],
        ),
        (
            "nl",
            [
                "De authenticator-app uitschakelen",
                "vraagt het inloggen alleen nog het wachtwoord",
                "vraagt het portaal u eerst opnieuw een app in te stellen",
                "De app behouden",
            ],
        ),
    ],
)
def test_deactivating_the_app(client, advisor, language, sentences):
    log_in_with_code(client, advisor)
    response = client.get(f"/{language}/accounts/2fa/totp/deactivate/")
    assert response.status_code == 200
    assert_portal_voice(
        response.content.decode(),
        language,
        sentences,
        ["You are about to deactivate authenticator app based authentication. Are you sure?"],
    )


@pytest.mark.parametrize(
    ("language", "sentences"),
    [
        ("fr", ["Codes de secours", "Codes inutilisés", "ailleurs que sur le téléphone"]),
        ("nl", ["Herstelcodes", "Ongebruikte codes", "niet op de telefoon"]),
    ],
)
def test_the_recovery_codes(client, advisor_with_codes, language, sentences):
    log_in_with_code(client, advisor_with_codes)
    response = client.get(f"/{language}/accounts/2fa/recovery-codes/")
    assert response.status_code == 200
    page = response.content.decode()
    assert_portal_voice(
        page, language, sentences, [ALLAUTH_CODES_LEFT, "I have saved my recovery codes"]
    )
    [unused] = Authenticator.objects.filter(user=advisor_with_codes, type="recovery_codes")
    assert all(code in page for code in unused.wrap().get_unused_codes())
    assert '<label class="form-label" for="recovery_codes">' in page
    # Strict CSP: neither an inline script nor allauth's script for this page.
    assert "<script>" not in page
    assert "data-allauth-onload" not in page and "recovery_codes.js" not in page


@pytest.mark.parametrize(
    ("language", "sentences"),
    [
        ("fr", ["Nouveaux codes de secours", "cessent de fonctionner dès que les nouveaux"]),
        ("nl", ["Nieuwe herstelcodes", "werken niet meer zodra de nieuwe"]),
    ],
)
def test_making_new_codes(client, advisor_with_codes, language, sentences):
    log_in_with_code(client, advisor_with_codes)
    response = client.get(f"/{language}/accounts/2fa/recovery-codes/generate/")
    assert response.status_code == 200
    assert_portal_voice(
        response.content.decode(),
        language,
        sentences,
        [
            "You are about to generate a new set of recovery codes for your account.",
            "This action will invalidate your existing codes.",
        ],
    )


@pytest.mark.parametrize(
    ("language", "header"),
    [
        ("fr", "J'entreprends mon bien-être\u00a0: codes de secours"),
        ("nl", "J'entreprends mon bien-être: herstelcodes"),
    ],
)
def test_the_downloaded_codes_say_what_they_are(client, advisor_with_codes, language, header):
    log_in_with_code(client, advisor_with_codes)
    response = client.get(f"/{language}/accounts/2fa/recovery-codes/download/")
    assert response.status_code == 200
    text = response.content.decode()
    assert text.startswith(header + "\n" + advisor_with_codes.email + "\n")
    [unused] = Authenticator.objects.filter(user=advisor_with_codes, type="recovery_codes")
    assert text.rstrip().endswith("\n".join(unused.wrap().get_unused_codes()))
    assert "&#x27;" not in text  # a text file: nothing HTML-escaped


@pytest.mark.parametrize(
    ("language", "sentences"),
    [
        ("fr", ["Deuxième étape\u00a0: votre code"]),
        ("nl", ["Tweede stap: uw code"]),
    ],
)
def test_the_code_at_login(client, advisor, language, sentences):
    client.post(f"/{language}/accounts/login/", {"login": advisor.email, "password": PASSWORD})
    response = client.get(f"/{language}/accounts/2fa/authenticate/")
    assert response.status_code == 200
    assert_portal_voice(
        response.content.decode(),
        language,
        sentences,
        [
            "Your account is protected by two-factor authentication. Please enter an "
            "authenticator code:",
        ],
    )


@pytest.mark.parametrize(
    ("language", "sentences"),
    [
        ("fr", ["Le code de l'application, encore une fois", "Avec le mot de passe"]),
        ("nl", ["Nog eens de code van de app", "Met het wachtwoord"]),
    ],
)
def test_confirming_with_the_code_before_personal_data(client, advisor, language, sentences):
    log_in_with_code(client, advisor)
    response = client.get(f"/{language}/accounts/2fa/reauthenticate/")
    assert response.status_code == 200
    assert_portal_voice(
        response.content.decode(),
        language,
        sentences,
        [
            "Please reauthenticate to safeguard your account.",
            "Enter an authenticator code:",
            "Use your password",
        ],
    )


def test_the_password_step_offers_the_code_in_the_portals_words(client, advisor):
    log_in_with_code(client, advisor)
    page = client.get("/nl/accounts/reauthenticate/").content.decode()
    assert "Met de authenticator-app of een herstelcode" in page
    assert allauth_says("nl", "Use authenticator app or code")[0] not in page


# allauth adds its message for new codes once the transaction commits: a real commit.
@pytest.mark.django_db(transaction=True)
def test_making_codes_then_deactivating_says_so_in_the_portals_words(client, advisor_with_codes):
    log_in_with_code(client, advisor_with_codes)
    response = client.post("/fr/accounts/2fa/recovery-codes/generate/", follow=True)
    assert "De nouveaux codes de secours sont prêts" in response.content.decode()
    response = client.post("/fr/accounts/2fa/totp/deactivate/", follow=True)
    page = response.content.decode()
    assert "L&#x27;application d&#x27;authentification est désactivée." in page
    assert allauth_says("fr", "Authenticator app deactivated.")[0] not in page


@pytest.fixture
def notifications_on(settings):
    settings.ACCOUNT_EMAIL_NOTIFICATIONS = True
    settings.PORTAL_BASE_URL = BASE


@pytest.mark.parametrize(
    ("language", "subject", "greeting", "sentence", "reset"),
    [
        (
            "fr",
            "Application d'authentification désactivée",
            "Bonjour Camille,",
            "L'application d'authentification du compte",
            "changer le mot de passe tout de suite",
        ),
        (
            "nl",
            "Authenticator-app uitgeschakeld",
            "Hallo Camille,",
            "De authenticator-app van het account",
            "verander dan meteen het wachtwoord",
        ),
    ],
)
def test_the_email_after_deactivating_speaks_the_portal_voice(
    client, advisor, notifications_on, language, subject, greeting, sentence, reset
):
    log_in_with_code(client, advisor)
    client.post(f"/{language}/accounts/2fa/totp/deactivate/", HTTP_USER_AGENT="Firefox/140")
    [message] = mail.outbox
    assert message.subject == "[J'entreprends mon bien-être] " + subject
    assert message.body.startswith(greeting)
    assert f"{sentence} {advisor.email}" in message.body
    assert reset in message.body
    assert "Firefox/140" in message.body
    assert f"{BASE}/{language}/accounts/password/reset/" in message.body
    assert message.extra_headers["Content-Language"] == language
    [(html, _mimetype)] = message.alternatives
    assert f"{BASE}/{language}/accounts/password/reset/" in html
    for phrase in allauth_says(
        language,
        "You are receiving this mail because the following change was made to your account:",
        "Authenticator app deactivated.",
    ):
        assert phrase not in message.body


def test_every_change_of_the_second_factor_is_told_in_the_portal_voice(
    client, advisor_with_codes, notifications_on, django_capture_on_commit_callbacks
):
    from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY

    log_in_with_code(client, advisor_with_codes)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/fr/accounts/2fa/recovery-codes/generate/")
    client.post("/fr/accounts/2fa/totp/deactivate/")
    client.get("/fr/accounts/2fa/totp/activate/")
    advisor_with_codes.totp_secret = client.session[SECRET_SESSION_KEY]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/fr/accounts/2fa/totp/activate/", {"code": current_totp_code(advisor_with_codes)}
        )
    assert [
        message.subject.removeprefix("[J'entreprends mon bien-être] ") for message in mail.outbox
    ] == [
        "Nouveaux codes de secours",
        "Application d'authentification désactivée",
        "Application d'authentification configurée",
    ]
    made, _deactivated, set_up = mail.outbox
    assert made.body.startswith("Bonjour Camille,")
    assert (
        f"De nouveaux codes de secours viennent d'être créés pour le compte "
        f"{advisor_with_codes.email}\u00a0;"
    ) in made.body
    assert (
        "Une application d'authentification vient d'être configurée pour le compte "
        f"{advisor_with_codes.email}\u00a0: désormais"
    ) in set_up.body
    for phrase in allauth_says(
        "fr",
        "A new set of Two-Factor Authentication recovery codes has been generated.",
        "Authenticator app activated.",
    ):
        assert phrase not in made.body + set_up.body
