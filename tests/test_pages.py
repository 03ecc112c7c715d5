"""Public pages: language, help lines, security headers, friendly errors."""

import re

import pytest
from django.urls import reverse

from common.templatetags.languages import in_language

pytestmark = pytest.mark.django_db


def test_root_redirects_to_french_by_default(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/fr/"


def test_root_follows_the_browser_language(client):
    response = client.get("/", headers={"accept-language": "nl-BE,nl;q=0.9"})
    assert response["Location"] == "/nl/"


@pytest.mark.parametrize(
    ("prefix", "lang", "text"),
    [
        ("fr", "fr", "Renforcer tes ressources"),
        ("nl", "nl", "Je veerkracht als ondernemer versterken"),
        ("en", "en", "Strengthen your resources"),
    ],
)
def test_home_in_each_language_with_help_lines(client, prefix, lang, text):
    response = client.get(f"/{prefix}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in body
    assert text in body
    for number in ("0800 32 123", "1813", "112"):
        assert number in body
    assert 'href="tel:080032123"' in body


def test_the_language_links_lead_to_the_same_page_in_each_language(client):
    body = client.get("/fr/programme/?q=stress&theme=sleep").content.decode()
    for code in ("nl", "en"):
        assert f'<a href="/{code}/programme/?q=stress&amp;theme=sleep" hreflang="{code}"' in body
    # The page's own language is shown as the current one, not as a link.
    assert re.search(r'<span class="btn btn-sm btn-secondary" lang="fr" aria-current="true">', body)
    dutch = client.get("/nl/programme/?q=stress&theme=sleep")
    assert dutch.status_code == 200 and '<html lang="nl">' in dutch.content.decode()


def test_an_address_outside_the_languages_leads_each_language_to_its_home():
    assert in_language("/de/accounts/login/", "nl") == "/nl/"
    assert in_language("/en/me/profile/?tab=1", "fr") == "/fr/me/profile/?tab=1"


def test_unknown_language_prefix_is_a_friendly_404(client):
    response = client.get("/de/accounts/login/")
    assert response.status_code == 404
    assert "Cette page n&#x27;existe pas" in response.content.decode() or (
        "Cette page n'existe pas" in response.content.decode()
    )


def test_csp_allows_no_inline_script(client):
    policy = client.get("/fr/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "default-src 'self'" in policy


def test_pages_load_assets_from_the_portal_only(client):
    body = client.get(reverse("home")).content.decode()
    assert "<script>" not in body
    assert "cdn" not in body.lower()
    assert "/static/vendor/bootstrap/css/bootstrap.min.css" in body


def test_the_health_check_answers_without_a_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/health/")
    assert (response.status_code, response.content) == (200, b"ok")
    assert client.post("/health/").status_code == 405
