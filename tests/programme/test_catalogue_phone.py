"""The catalogue on a phone: results first, filters folded in a <details> panel."""

import pytest

from tests.programme.factories import ModuleFactory, ThemeFactory

pytestmark = pytest.mark.django_db

URL = "/en/programme/"


def test_the_filters_fold_into_a_panel_that_needs_no_script(client):
    ModuleFactory(title="Mieux dormir")
    body = client.get(URL).content.decode()
    panel = body.index('<details class="catalogue-filter-panel" id="filter-panel">')
    assert body.index("<summary", panel) < body.index('<form method="get"', panel)
    assert body.index("</details>", panel) < body.index('id="module-list"')
    # Unfolded beside the results on a wide screen by a static file, never inline (CSP).
    assert "js/catalogue" in body and "<script>" not in body
    assert 'id="active-filters"' not in body


def test_the_folded_panel_says_how_many_filters_are_on(client):
    ThemeFactory(slug="sleep")
    ModuleFactory()
    response = client.get(
        URL, {"q": "dormir", "theme": "sleep", "format": ["webinar", "workshop"], "province": "WLX"}
    )
    assert response.context["filters"].active_count == 5
    assert "5 active" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "left_out"),
    [
        ({"province": "ATLANTIS"}, ["Province"]),
        ({"language": "xx"}, ["Language of delivery"]),
        (
            {"language": ["fr", "klingon"], "province": "<script>"},
            ["Language of delivery", "Province"],
        ),
    ],
    ids=["unknown-province", "unknown-language", "both"],
)
def test_an_unknown_province_or_language_in_the_url_is_named_and_left_out(client, params, left_out):
    ModuleFactory(title="Mieux dormir", language="fr")
    response = client.get(URL, params)
    body = response.content.decode()
    assert response.status_code == 200
    assert sorted(response.context["ignored"]) == sorted(left_out)
    assert "Some filters in this link are not (or no longer) available" in body
    assert "Mieux dormir" in body
