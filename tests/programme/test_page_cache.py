"""Home, catalogue and module pages for visitors who are not signed in, from the shared
cache (programme.page_cache): fewer queries the second time, every change of the
catalogue shown at once, nothing personal shared between visitors."""

import logging
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from programme import services
from programme.models import Module
from programme.page_cache import GENERATION_KEY
from tests.factories import PASSWORD, member
from tests.notifications.smtp import free_port
from tests.programme import cached_form_urls
from tests.programme.factories import ModuleFactory, SessionFactory, ThemeFactory
from tests.real_stack import HAS_REDIS_SERVER, RedisServer

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def session():
    return SessionFactory(module=ModuleFactory(title="Gérer le stress", slug="stress"), capacity=3)


def pages(session) -> dict[str, str]:
    return {
        "home": "/fr/",
        "catalogue": "/fr/programme/",
        "catalogue search": "/fr/programme/?q=stress&format=workshop",
        "module": f"/fr/programme/modules/{session.module.slug}/",
    }


# Queries of the first visit (the page is rendered): the second visit runs none. The
# home reads the upcoming sessions and the latest "you said, we did" change; the module
# page reads its material kept for later members too.
FIRST_VISIT_QUERIES = {"home": 2, "catalogue": 4, "catalogue search": 5, "module": 4}


@pytest.mark.parametrize("page", FIRST_VISIT_QUERIES)
def test_a_second_visitor_gets_the_page_without_a_query(page, session, django_assert_num_queries):
    url = pages(session)[page]
    with django_assert_num_queries(FIRST_VISIT_QUERIES[page]):
        first = Client().get(url)
    with django_assert_num_queries(0):
        second = Client().get(url)
    assert first.status_code == second.status_code == 200
    # The same page but for the CSRF token (see below).
    assert TOKEN.sub("", first.content.decode()) == TOKEN.sub("", second.content.decode())


def test_the_query_string_is_read_with_its_parameters_in_any_order(
    session, django_assert_num_queries
):
    Client().get("/fr/programme/?format=workshop&q=stress")
    with django_assert_num_queries(0):
        assert Client().get("/fr/programme/?q=stress&format=workshop").status_code == 200
    # Another query is another page.
    with CaptureQueriesContext(connection) as queries:
        Client().get("/fr/programme/?q=sommeil&format=workshop")
    assert len(queries) > 0


def test_languages_are_not_mixed(session):
    french = Client().get("/fr/programme/").content.decode()
    dutch = Client().get("/nl/programme/").content.decode()
    again = Client().get("/fr/programme/").content.decode()
    assert '<html lang="fr">' in french and '<html lang="fr">' in again
    assert '<html lang="nl">' in dutch
    assert "Catalogue" in french and "Aanbod" in dutch


# --- What a manager changes shows at once -------------------------------------------


def test_a_new_module_title_shows_at_once_on_every_page(session, manager_user):
    visitor = Client()
    for url in pages(session).values():
        assert "Gérer le stress" in visitor.get(url).content.decode()
    services.module_update(module=session.module, title="Apprivoiser le stress")
    for url in pages(session).values():
        body = visitor.get(url).content.decode()
        assert "Apprivoiser le stress" in body and "Gérer le stress" not in body, url


def test_a_cancelled_session_shows_at_once(session, manager_user):
    link = f"/fr/programme/sessions/{session.pk}/"
    urls = ["/fr/", pages(session)["module"]]
    for url in urls:
        assert link in Client().get(url).content.decode()
    services.session_cancel(session_id=session.pk, reason="Formatrice malade", actor=manager_user)
    for url in urls:
        assert link not in Client().get(url).content.decode(), url


def test_a_seat_taken_or_given_back_shows_at_once(session):
    url = pages(session)["module"]
    assert "Plus que 3 places" in Client().get(url).content.decode()
    outcome = services.enrolment_create(session_id=session.pk, user=member())
    assert "Plus que 2 places" in Client().get(url).content.decode()
    services.enrolment_cancel(enrolment_id=outcome.enrolment.pk, user=outcome.enrolment.user)
    assert "Plus que 3 places" in Client().get(url).content.decode()


def test_an_unpublished_module_leaves_the_pages_at_once(session):
    Client().get("/fr/programme/")
    services.module_publish(module=session.module, published=False)
    assert "Gérer le stress" not in Client().get("/fr/programme/").content.decode()
    assert Client().get(pages(session)["module"]).status_code == 404


def test_a_change_bumps_the_generation_again_once_committed(
    session, django_capture_on_commit_callbacks
):
    """A page rendered from the old rows between the change and its commit is not kept."""
    Client().get("/fr/")
    before = cache.get(GENERATION_KEY)
    with django_capture_on_commit_callbacks(execute=True):
        services.module_update(module=session.module, title="Apprivoiser le stress")
        during = cache.get(GENERATION_KEY)
    assert before < during < cache.get(GENERATION_KEY)


# --- Nothing personal is shared --------------------------------------------------------


def test_a_signed_in_member_never_gets_the_visitors_page(session, django_assert_num_queries):
    url = pages(session)["catalogue"]
    Client().get(url)  # in the cache
    someone = member()
    signed_in = Client()
    signed_in.force_login(someone)
    body = signed_in.get(url).content.decode()
    assert "Se déconnecter" in body and "Créer un compte" not in body
    # And a member's page is never kept for the visitors.
    cache.clear()
    signed_in.get(url)
    with django_assert_num_queries(FIRST_VISIT_QUERIES["catalogue"]):
        body = Client().get(url).content.decode()
    assert "Se déconnecter" not in body


@pytest.mark.parametrize("page", FIRST_VISIT_QUERIES)
def test_a_visitor_gets_the_public_pages_without_a_cookie(page, session):
    """Nothing on them posts (the language links are links): no CSRF token is made for
    the visitor, and no cookie is set, first visit or not."""
    url = pages(session)[page]
    for _visit in range(2):
        visitor = Client()
        response = visitor.get(url)
        assert response.status_code == 200
        assert not response.cookies and not visitor.cookies
        assert not TOKEN.search(response.content.decode())


@pytest.mark.urls("tests.programme.cached_form_urls")
def test_two_visitors_of_a_cached_page_with_a_form_never_share_its_csrf_token():
    cached_form_urls.RENDERED.clear()
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_page = first.get("/form/")
    second_page = second.get("/form/")  # from the cache
    assert cached_form_urls.RENDERED == [1]
    first_tokens = set(TOKEN.findall(first_page.content.decode()))
    second_tokens = set(TOKEN.findall(second_page.content.decode()))
    assert len(first_tokens) == len(second_tokens) == 1
    assert first_tokens != second_tokens
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value
    # The second visitor's form is accepted with their own cookie.
    response = second.post("/post/", {"csrfmiddlewaretoken": second_tokens.pop()})
    assert response.status_code == 200


def test_a_visitor_with_a_message_gets_it_and_it_is_not_kept(session):
    someone = member()
    visitor = Client()
    visitor.post("/fr/accounts/login/", {"login": someone.email, "password": PASSWORD})
    response = visitor.post("/fr/accounts/logout/", follow=True)
    assert response.redirect_chain[-1][0] == "/fr/"
    signed_out = '<div class="messages"'
    assert signed_out in response.content.decode()
    assert signed_out not in Client().get("/fr/").content.decode()
    assert signed_out not in visitor.get("/fr/").content.decode()


def test_the_content_security_policy_has_no_nonce_to_share(session):
    """A cached page may only be shared while the policy uses no per-answer nonce."""
    response = Client().get("/fr/")
    again = Client().get("/fr/")
    assert "nonce" not in response["Content-Security-Policy"]
    assert response["Content-Security-Policy"] == again["Content-Security-Policy"]
    assert "nonce=" not in again.content.decode()


# --- Redis out of reach ------------------------------------------------------------------


def test_without_redis_pages_are_rendered_every_time(session, settings, caplog):
    settings.CACHES = {
        "default": {
            "BACKEND": "common.cache.FailSoftRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",  # nobody listens there
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    with caplog.at_level(logging.WARNING, logger="common.cache"):
        url = pages(session)["module"]
        assert Client().get(url).status_code == 200
        # Each process's memory would keep another process's change from showing.
        Module.objects.filter(pk=session.module.pk).update(title="Apprivoiser le stress")
        assert "Apprivoiser le stress" in Client().get(url).content.decode()
    assert cache.is_degraded


@pytest.mark.postgres  # real stack: required in CI, where a skip fails
@pytest.mark.skipif(not HAS_REDIS_SERVER, reason="needs redis-server")
def test_redis_stopped_then_back(session, settings, django_assert_num_queries):
    server = RedisServer()
    server.start()
    settings.CACHES = {
        "default": {
            "BACKEND": "common.cache.FailSoftRedisCache",
            "LOCATION": server.url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    url = pages(session)["catalogue"]
    try:
        Client().get(url)
        with django_assert_num_queries(0):
            Client().get(url)
        assert server.command("dbsize") != "0"
        server.stop()
        with django_assert_num_queries(FIRST_VISIT_QUERIES["catalogue"]):
            assert Client().get(url).status_code == 200
        server.start()  # back, empty
        cache._retry_at = 0  # do not wait for the next retry time
        Client().get(url)
        with django_assert_num_queries(0):
            assert Client().get(url).status_code == 200
    finally:
        if server.process is not None:
            server.stop()


# --- The recommended modules: the same for everyone with the same arguments -----------


def test_recommended_modules_are_read_once_until_the_catalogue_changes(
    session, django_assert_num_queries
):
    from programme.selectors import modules_recommended

    session.module.themes.add(ThemeFactory(slug="stress"))

    def recommended():
        return modules_recommended(theme_slugs=["stress"], language="fr", province="WBR")

    with django_assert_num_queries(3):  # modules, their themes, their sessions
        first = recommended()
    with django_assert_num_queries(0):
        again = recommended()
    assert [m.title for m in first] == [m.title for m in again] == ["Gérer le stress"]
    assert again[0].upcoming_sessions[0].seats_left == 3
    # Other arguments, other lists.
    assert modules_recommended(theme_slugs=["sleep"], language="fr") == []

    services.enrolment_create(session_id=session.pk, user=member())
    assert recommended()[0].upcoming_sessions[0].seats_left == 2
    services.module_update(module=session.module, title="Apprivoiser le stress")
    assert [m.title for m in recommended()] == ["Apprivoiser le stress"]
