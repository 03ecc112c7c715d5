"""Suggestions and the catalogue fit the person: their language and province first,
online sessions and content open at any time counting for every province."""

from datetime import timedelta

import pytest
from django.utils import timezone

from assessments.selectors import recommended_modules
from programme.models import ModuleFormat, SessionMode
from tests.factories import MemberProfileFactory, UserFactory
from tests.programme.factories import ModuleFactory, SessionFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def soon(days: int):
    return timezone.now() + timedelta(days=days)


@pytest.fixture
def sleep_modules():
    """Sleep modules in three languages and places: the soonest is in Liège, in French."""
    sleep = ThemeFactory(slug="sleep")
    liege = ModuleFactory(title="Atelier sommeil à Liège", language="fr", themes=[sleep])
    SessionFactory(module=liege, mode=SessionMode.IN_PERSON, province="WLG", starts_at=soon(2))
    hasselt = ModuleFactory(title="Slaapworkshop in Hasselt", language="nl", themes=[sleep])
    SessionFactory(module=hasselt, mode=SessionMode.IN_PERSON, province="VLI", starts_at=soon(5))
    antwerp = ModuleFactory(title="Slaapworkshop in Antwerpen", language="nl", themes=[sleep])
    SessionFactory(module=antwerp, mode=SessionMode.IN_PERSON, province="VAN", starts_at=soon(3))
    webinar = ModuleFactory(
        title="Beter slapen (webinar)", language="nl", format=ModuleFormat.WEBINAR, themes=[sleep]
    )
    SessionFactory(module=webinar, mode=SessionMode.ONLINE, starts_at=soon(9))
    ModuleFactory(
        title="Sleep guide", language="en", format=ModuleFormat.PRACTICAL_CONTENT, themes=[sleep]
    )
    return sleep


def titles(modules) -> list[str]:
    return [m.title for m in modules]


def person(language: str, province: str):
    return MemberProfileFactory(preferred_language=language, province=province).user


def test_a_dutch_speaker_in_limburg_gets_dutch_modules_they_can_reach_first(sleep_modules):
    suggested = titles(recommended_modules(["sleep"], user=person("nl", "VLI"), limit=5))
    # Dutch first: Hasselt (in Limburg) and the webinar (online) before Antwerp's workshop.
    assert suggested == [
        "Slaapworkshop in Hasselt",
        "Beter slapen (webinar)",
        "Slaapworkshop in Antwerpen",
        "Sleep guide",
        "Atelier sommeil à Liège",
    ]


def test_a_french_speaker_in_liege_gets_the_liege_workshop_first(sleep_modules):
    suggested = titles(recommended_modules(["sleep"], user=person("fr", "WLG"), limit=2))
    assert suggested == ["Atelier sommeil à Liège", "Beter slapen (webinar)"]


def test_an_english_speaker_gets_english_content_first(sleep_modules):
    suggested = titles(recommended_modules(["sleep"], user=person("en", "BRU"), limit=1))
    assert suggested == ["Sleep guide"]


def test_a_province_with_no_in_person_session_still_gets_online_and_on_demand(sleep_modules):
    # Luxembourg has no session of its own: the webinar and the guide serve it.
    suggested = titles(recommended_modules(["sleep"], user=person("fr", "WLX"), limit=3))
    assert suggested[:1] == ["Atelier sommeil à Liège"]  # French, so first
    assert suggested[1:] == ["Beter slapen (webinar)", "Sleep guide"]


def test_only_the_sessions_a_member_can_reach_are_shown_with_a_suggestion(sleep_modules):
    [hasselt] = [
        m
        for m in recommended_modules(["sleep"], user=person("nl", "VAN"), limit=5)
        if m.title == "Slaapworkshop in Hasselt"
    ]
    assert hasselt.upcoming_sessions == []


def test_without_profile_data_the_general_order_is_kept(sleep_modules):
    nobody = UserFactory()  # no profile: the programme's general picks, soonest first
    assert titles(recommended_modules(["sleep"], user=nobody, limit=3)) == [
        "Atelier sommeil à Liège",
        "Slaapworkshop in Antwerpen",
        "Slaapworkshop in Hasselt",
    ]


def test_the_catalogue_lists_a_member_s_language_and_province_first(client, sleep_modules):
    client.force_login(person("nl", "VLI"))
    listed = [m.title for m in client.get("/nl/programme/").context["modules"]]
    assert listed[:3] == [
        "Slaapworkshop in Hasselt",
        "Beter slapen (webinar)",
        "Slaapworkshop in Antwerpen",
    ]
    # An explicit filter wins over the preferences.
    only_fr = client.get("/nl/programme/", {"language": "fr"}).context["modules"]
    assert [m.title for m in only_fr] == ["Atelier sommeil à Liège"]


def test_a_visitor_sees_the_page_s_language_first(client, sleep_modules):
    listed = [m.title for m in client.get("/en/programme/").context["modules"]]
    assert listed[0] == "Sleep guide"
