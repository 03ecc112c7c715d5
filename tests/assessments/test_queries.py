"""The hub, the history and the result pages run a fixed number of queries, whatever the data."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.assessments.factories import ANSWERS, keep_result
from tests.programme.factories import ModuleFactory, SessionFactory

pytestmark = pytest.mark.django_db


def grow(user, size: int) -> None:
    """`size` kept results per instrument, and `size` modules with two sessions on each theme."""
    now = timezone.now()
    for n in range(size):
        for code, bands in ANSWERS.items():
            band = list(bands)[n % len(bands)]
            keep_result(user, code, band, when=now - timedelta(days=size - n))
    for n in range(size):
        for slug in ("stress", "psychosocial-risks", "sleep", "disconnection", "loneliness"):
            module = ModuleFactory(themes=[slug, "weak-signals"])
            SessionFactory(module=module)
            SessionFactory(module=module, starts_at=now + timedelta(days=20 + n))


# A member's page: the session, then the account with its roles (2), then the page's
# own reads.
HUB_MEMBER = 2 + 1  # latest result per instrument
HISTORY = 2 + 2  # results, re-assessment plans
RESULT = 2 + 6  # result, plan, profile (language, province), modules, themes, sessions


@pytest.mark.parametrize("size", [1, 12])
def test_hub_queries(client, member_user, django_assert_num_queries, size):
    grow(member_user, size)
    client.force_login(member_user)
    with django_assert_num_queries(HUB_MEMBER):
        assert client.get("/en/self-assessments/").status_code == 200


@pytest.mark.parametrize("size", [1, 12])
def test_hub_queries_for_a_visitor(client, member_user, django_assert_num_queries, size):
    grow(member_user, size)
    with django_assert_num_queries(0):
        assert client.get("/en/self-assessments/").status_code == 200


@pytest.mark.parametrize("size", [1, 12])
def test_history_queries(client, member_user, django_assert_num_queries, size):
    grow(member_user, size)
    client.force_login(member_user)
    with django_assert_num_queries(HISTORY):
        page = client.get("/en/self-assessments/history/").content.decode()
    assert page.count("<circle") == size * len(ANSWERS)


@pytest.mark.parametrize("size", [1, 12])
def test_result_page_queries(client, member_user, django_assert_num_queries, size):
    grow(member_user, size)
    result = keep_result(member_user, "bat-12", "very-high-risk")
    client.force_login(member_user)
    with django_assert_num_queries(RESULT):
        page = client.get(f"/en/self-assessments/results/{result.pk}/").content.decode()
    assert page.count('class="card h-100"') == 4


@pytest.mark.parametrize("size", [1, 12])
def test_form_page_queries_for_a_visitor(client, member_user, django_assert_num_queries, size):
    grow(member_user, size)
    with django_assert_num_queries(0):
        assert client.get("/en/self-assessments/bat-12/").status_code == 200


@pytest.mark.parametrize("size", [1, 12])
def test_delete_confirmation_queries(client, member_user, django_assert_num_queries, size):
    grow(member_user, size)
    result = keep_result(member_user, "bat-12", "very-high-risk")
    client.force_login(member_user)
    with django_assert_num_queries(2 + 1):  # the result
        assert client.get(f"/en/self-assessments/results/{result.pk}/delete/").status_code == 200
    with django_assert_num_queries(2 + 1):  # how many results would go
        page = client.get("/en/self-assessments/history/delete/").content.decode()
    assert f"{size * len(ANSWERS) + 1} kept results" in page
