"""The catalogue: filters in the URL, accent-insensitive search, pagination, bad input."""

from datetime import timedelta

import pytest
from django.utils import timezone

from programme.models import ModuleFormat
from programme.services import module_refresh_search
from tests.programme.factories import ModuleFactory, SessionFactory, ThemeFactory

pytestmark = pytest.mark.django_db

URL = "/en/programme/"


def titles(response) -> list[str]:
    return [m.title for m in response.context["modules"]]


@pytest.fixture
def programme():
    sleep = ThemeFactory(slug="sleep", name_en="Sleep")
    stress = ThemeFactory(slug="stress", name_en="Stress")
    nl_sleep = ModuleFactory(title="Beter slapen", language="nl", themes=[sleep])
    SessionFactory(
        module=nl_sleep,
        mode="in_person",
        venue="Ondernemershuis",
        province="VOV",
        starts_at=timezone.now() + timedelta(days=20),
    )
    fr_disconnect = ModuleFactory(
        title="La déconnexion numérique", format=ModuleFormat.WEBINAR, themes=[stress]
    )
    SessionFactory(module=fr_disconnect, starts_at=timezone.now() + timedelta(days=3))
    tool = ModuleFactory(
        title="Evoluno",
        format=ModuleFormat.DIGITAL_TOOL,
        external_url="https://www.evoluno.example/",
        themes=[stress],
        language="fr",
    )
    ModuleFactory(title="Brouillon", is_published=False)
    return {"nl_sleep": nl_sleep, "fr_disconnect": fr_disconnect, "tool": tool}


def test_lists_published_modules_soonest_session_first(client, programme):
    response = client.get(URL)
    assert response.status_code == 200
    assert titles(response) == ["La déconnexion numérique", "Beter slapen", "Evoluno"]
    assert "3 modules found" in response.content.decode()


def test_search_ignores_accents_and_case(client, programme):
    assert titles(client.get(URL, {"q": "deconnexion"})) == ["La déconnexion numérique"]
    assert titles(client.get(URL, {"q": "DÉCONNEXION Numerique"})) == ["La déconnexion numérique"]
    assert titles(client.get(URL, {"q": "nothing like this"})) == []


def test_search_finds_theme_names(client, programme):
    module_refresh_search(programme["nl_sleep"])
    assert titles(client.get(URL, {"q": "sleep"})) == ["Beter slapen"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"theme": "sleep"}, ["Beter slapen"]),
        ({"theme": ["sleep", "stress"]}, ["La déconnexion numérique", "Beter slapen", "Evoluno"]),
        ({"format": "digital_tool"}, ["Evoluno"]),
        ({"language": "nl"}, ["Beter slapen"]),
        ({"mode": "in_person"}, ["Beter slapen"]),
        ({"mode": "online"}, ["La déconnexion numérique", "Evoluno"]),
        # Online sessions and content open at any time serve every province.
        ({"province": "VOV"}, ["La déconnexion numérique", "Beter slapen", "Evoluno"]),
        ({"province": "WLX"}, ["La déconnexion numérique", "Evoluno"]),
        ({"province": "WLX", "mode": "in_person"}, []),
        ({"language": "nl", "theme": "sleep", "format": "workshop"}, ["Beter slapen"]),
    ],
)
def test_filters(client, programme, params, expected):
    assert titles(client.get(URL, params)) == expected


def test_date_range_keeps_modules_with_a_session_in_it(client, programme):
    today = timezone.localdate()
    params = {"date_from": today + timedelta(days=10), "date_to": today + timedelta(days=30)}
    assert titles(client.get(URL, params)) == ["Beter slapen"]
    # A reversed range is read the right way round.
    reversed_range = {"date_from": params["date_to"], "date_to": params["date_from"]}
    assert titles(client.get(URL, reversed_range)) == ["Beter slapen"]


def test_unknown_filter_values_are_ignored_and_said(client, programme):
    response = client.get(
        URL,
        {
            "theme": ["sleep", "astrology"],
            "format": "séance",
            "province": "XX",
            "date_from": "31/02",
        },
    )
    assert response.status_code == 200
    assert titles(response) == ["Beter slapen"]
    body = response.content.decode()
    assert "were left out" in body
    assert set(response.context["ignored"]) == {"Themes", "Formats", "Province", "Sessions from"}


def test_empty_state_helps(client, programme):
    response = client.get(URL, {"q": "zzz", "province": "WLX"})
    body = response.content.decode()
    assert 'id="empty-state"' in body
    assert "Try fewer or shorter words" in body
    assert "Widen the dates or the province" in body


def test_filters_live_in_a_get_form_that_keeps_them(client, programme):
    body = client.get(URL, {"q": "slapen", "language": "nl"}).content.decode()
    assert 'method="get"' in body
    assert 'value="slapen"' in body
    assert 'name="language" value="nl" id="id_language_1" checked' in body


@pytest.mark.parametrize(
    ("page", "expected"), [("2", 2), ("99", 3), ("0", 1), ("-4", 1), ("abc", 1), ("", 1)]
)
def test_page_out_of_range_shows_the_nearest(client, page, expected):
    ModuleFactory.create_batch(30)
    response = client.get(URL, {"page": page}, follow=True)
    assert response.status_code == 200
    assert response.context["page"].number == expected
    moved = page in ("99", "0", "-4")
    assert ("the nearest one" in response.content.decode()) is moved


def test_pagination_links_keep_the_filters(client):
    ModuleFactory.create_batch(14, language="nl")
    body = client.get(URL, {"language": "nl"}).content.decode()
    assert "?language=nl&amp;page=2" in body


def test_a_long_or_odd_query_is_no_error(client, programme):
    long = client.get(URL, {"q": "x" * 5000})
    assert long.status_code == 200 and long.context["ignored"] == []
    assert long.context["filters"].q == "x" * 100
    assert client.get(URL, {"q": "%_\\'\";--"}).status_code == 200


@pytest.mark.parametrize(
    "params",
    [{"date_to": "9999-12-31"}, {"date_from": "0001-01-01"}, {"date_from": "1899-05-01"}],
    ids=["last-day-of-9999", "year-1", "long-ago"],
)
def test_a_date_out_of_any_programme_is_left_out_not_a_500(client, programme, params):
    response = client.get(URL, params)
    assert response.status_code == 200
    assert titles(response) == titles(client.get(URL))
    assert response.context["ignored"] in (["Sessions from"], ["Sessions until"])


@pytest.mark.parametrize("size", [1, 12])
def test_catalogue_queries_do_not_grow(client, member_user, django_assert_num_queries, size):
    themes = [ThemeFactory(slug=f"t{i}") for i in range(3)]
    for _ in range(size):
        module = ModuleFactory(themes=themes)
        SessionFactory.create_batch(2, module=module)
    client.force_login(member_user)
    # session, the account with its roles (navigation, and the permissions that let
    # members save modules), themes, the member's profile (their language and province
    # first), the search synonyms, count, page, themes of the page, saved modules.
    with django_assert_num_queries(9):
        response = client.get(URL, {"q": "module", "theme": "t1", "mode": "online"})
    assert len(response.context["modules"]) == size


def test_empty_fields_are_dropped_from_the_shared_url(client):
    response = client.get(URL, {"q": "", "theme": "sleep", "mode": "", "date_to": ""})
    assert response.status_code == 302
    assert response["Location"] == "/en/programme/?theme=sleep"
    assert client.get(URL, {"q": " "})["Location"] == "/en/programme/"
