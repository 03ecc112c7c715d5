"""The assessments parts of the member home, "Mon parcours" and the navigation."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dashboards.panels.assessments import member_context, parcours_context
from tests.assessments.factories import keep_result
from tests.programme.factories import ModuleFactory, SessionFactory

pytestmark = pytest.mark.django_db


def test_member_context_holds_the_latest_result_per_instrument(member_user, other_member):
    old = keep_result(member_user, "who-5", "very-low", when=timezone.now() - timedelta(days=30))
    new = keep_result(member_user, "who-5", "good")
    pss = keep_result(member_user, "pss-10", "high")
    keep_result(other_member, "bat-12")
    latest = member_context(member_user)["assessments_latest"]
    assert {r.pk for r in latest} == {new.pk, pss.pk}
    assert old.pk not in {r.pk for r in latest}


def test_parcours_recommends_modules_from_the_latest_results_bands(member_user):
    keep_result(member_user, "who-5", "very-low", when=timezone.now() - timedelta(days=30))
    keep_result(member_user, "who-5", "good")  # latest WHO-5: disconnection, sleep
    keep_result(member_user, "loneliness-3", "lonely")  # loneliness
    wanted = ModuleFactory(title="Se déconnecter le soir", themes=["disconnection"])
    SessionFactory(module=wanted)
    lonely = ModuleFactory(title="Rompre l'isolement", themes=["loneliness"])
    ModuleFactory(title="Gérer la pression", themes=["client-pressure"])
    context = parcours_context(member_user)
    titles = {m.title for m in context["assessments_recommended_modules"]}
    assert titles == {wanted.title, lonely.title}
    assert context["assessments_themes"][0] == "loneliness"  # attention bands first
    # Modules come with their next sessions for the template.
    assert [m.upcoming_sessions for m in context["assessments_recommended_modules"] if m == wanted]


def test_parcours_without_results_recommends_nothing(member_user, django_assert_num_queries):
    ModuleFactory(themes=["stress"])
    with django_assert_num_queries(1):
        context = parcours_context(member_user)
    assert context["assessments_recommended_modules"] == []


def test_parcours_runs_a_fixed_number_of_queries(member_user, django_assert_num_queries):
    for code, band in [("who-5", "low"), ("pss-10", "high"), ("sci-8", "sleep-under-pressure")]:
        keep_result(member_user, code, band)
    for _n in range(8):
        SessionFactory(module=ModuleFactory(themes=["stress", "sleep"]))
    with django_assert_num_queries(4):  # latest results, modules, themes, sessions
        parcours_context(member_user)


def test_the_member_home_and_parcours_pages_show_the_panels(client, member_user):
    result = keep_result(member_user, "pss-10", "moderate")
    ModuleFactory(title="Gérer la charge administrative", themes=["administrative-overload"])
    client.force_login(member_user)
    home = client.get("/en/dashboard/member/").content.decode()
    assert 'id="assessments-home"' in home
    assert f"/en/self-assessments/results/{result.pk}/" in home
    assert "Your perceived stress is moderate" in home
    parcours = client.get("/en/dashboard/parcours/").content.decode()
    section = parcours[parcours.index('id="assessments-recommended"') :]
    assert "Gérer la charge administrative" in section


def test_the_navigation_links_to_the_hub_for_everyone(client, advisor_user):
    assert 'href="/en/self-assessments/"' in client.get("/en/").content.decode()
    client.force_login(advisor_user)
    assert 'href="/en/self-assessments/"' in client.get("/en/").content.decode()


def test_the_result_summary_partial_renders_one_result_compactly(member_user):
    from django.template.loader import render_to_string
    from django.utils import translation

    result = keep_result(member_user, "bat-12", "at-risk")
    with translation.override("en"):
        html = render_to_string("assessments/_result_summary.html", {"result": result})
    assert "Burnout Assessment Tool, short version (BAT-12)" in html
    assert "Score: 2.83 average out of 5" in html
    assert "Your energy at work is under strain" in html
    assert "Exhaustion: 4" in html and "Concentration: 2.33" in html
    assert "not a diagnosis" in html
    with translation.override("nl"):
        html = render_to_string("assessments/_result_summary.html", {"result": result})
    assert "Je energie op het werk staat onder druk" in html


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_every_page_renders_in_each_language(client, member_user, lang):
    result = keep_result(member_user, "bat-12", "very-high-risk")
    keep_result(member_user, "who-5", "good")
    client.force_login(member_user)
    base = f"/{lang}/self-assessments/"
    for path in [
        "",
        "history/",
        "history/delete/",
        f"results/{result.pk}/",
        f"results/{result.pk}/delete/",
        "sci-8/",
    ]:
        response = client.get(base + path)
        assert response.status_code == 200, path
        assert f'<html lang="{lang}">' in response.content.decode()
