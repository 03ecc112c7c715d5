"""The admin is for administrators: everyone else gets a clear refusal, never a loop."""

from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.mfa.models import Authenticator

from members.roles import Role
from tests.factories import UserFactory, member, staff

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.MEMBER])
def test_staff_without_admin_access_get_a_403_page_not_a_redirect_loop(client, role):
    client.force_login(staff(role))
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403
    # Two hops at most: /admin/ to its login page, which refuses instead of logging in again.
    assert [url for url, _ in response.redirect_chain] == ["/admin/login/?next=/admin/"]
    assert "403.html" in [t.name for t in response.templates]


def test_a_member_opening_the_admin_gets_the_portal_s_403_page(client):
    client.force_login(member())
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403
    assert "403.html" in [t.name for t in response.templates]


def test_a_visitor_is_still_sent_to_the_portal_login(client):
    response = client.get("/admin/", follow=True)
    login = urlsplit(response.redirect_chain[-1][0])
    assert login.path == "/fr/accounts/login/"
    assert parse_qs(login.query) == {"next": ["/admin/"]}
    assert response.status_code == 200


def test_an_administrator_without_a_role_finds_the_admin_from_their_home(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    page = client.get("/fr/dashboard/")
    assert page.status_code == 200
    assert 'href="/admin/"' in page.content.decode()
    assert Authenticator.objects.filter(user=admin).exists()


def test_a_person_without_a_role_is_not_offered_the_admin(client):
    client.force_login(UserFactory())
    page = client.get("/fr/dashboard/")
    assert 'href="/admin/"' not in page.content.decode()
