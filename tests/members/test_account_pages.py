"""allauth's pages in the programme's voice: "tu" in French, "je" in Dutch, the portal's
own sentences rather than allauth's, in the portal's layout."""

import pytest

from tests.factories import member

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    ("/fr/accounts/login/", 'Tu peux <a href="/fr/accounts/signup/">créer ton compte gratuit</a>'),
    ("/nl/accounts/login/", 'Je kunt in een minuut <a href="/nl/accounts/signup/">'),
    ("/fr/accounts/signup/", "Ton compte est gratuit et reste privé"),
    ("/nl/accounts/signup/", "Je account is gratis en blijft privé"),
    ("/en/accounts/signup/", "Your account is free and stays private"),
    ("/fr/accounts/password/reset/", "Ça arrive."),
    ("/fr/accounts/confirm-email/", "Un e-mail est en route"),
    (
        "/fr/accounts/confirm-email/not-a-key/",
        'Tu peux <a href="/fr/accounts/login/">te connecter</a>',
    ),
    ("/nl/accounts/password/reset/key/1-nope/", "Deze link werkt niet meer"),
]


@pytest.mark.parametrize(("url", "sentence"), PUBLIC_PAGES)
def test_public_account_pages_speak_the_portal_voice(client, url, sentence):
    response = client.get(url, follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert sentence in page
    assert "J&#x27;entreprends mon bien-être" in page  # the portal's layout and name
    assert "example.com" not in page and "127.0.0.1" not in page


@pytest.mark.parametrize(
    ("url", "sentence"),
    [
        ("/fr/accounts/password/change/", "une petite phrase dont tu te souviens"),
        ("/fr/accounts/email/", "Ces adresses sont liées à ton compte"),
        ("/nl/accounts/logout/", "Wil je uitloggen?"),
        ("/fr/accounts/reauthenticate/", "le mot de passe du compte est demandé à nouveau"),
        ("/nl/accounts/reauthenticate/", "wordt het wachtwoord van het account opnieuw gevraagd"),
    ],
)
def test_member_account_pages_speak_the_portal_voice(client, url, sentence):
    client.force_login(member())
    response = client.get(url)
    assert response.status_code == 200
    assert sentence in response.content.decode()


def test_logging_in_and_out_says_so_in_the_portal_voice(client):
    from allauth.account.models import EmailAddress

    from tests.factories import PASSWORD

    user = member(first_name="Alex")
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    response = client.post(
        "/fr/accounts/login/", {"login": user.email, "password": PASSWORD}, follow=True
    )
    assert "Bienvenue, Alex." in response.content.decode()
    response = client.post("/fr/accounts/logout/", follow=True)
    assert "Déconnexion faite. À bientôt\u00a0!" in response.content.decode()
