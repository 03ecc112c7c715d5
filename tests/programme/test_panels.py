"""The programme's part of the home pages and of the navigation."""

import pytest

from members.roles import Role
from programme import services
from tests.factories import member, staff
from tests.programme.factories import ModuleFactory, SessionFactory

pytestmark = pytest.mark.django_db


def test_public_home_shows_upcoming_sessions_and_the_catalogue_link(client):
    SessionFactory(module=ModuleFactory(title="Mieux dormir"))
    SessionFactory(module=ModuleFactory(title="Hidden", is_published=False))
    body = client.get("/en/").content.decode()
    assert "Mieux dormir" in body and "Hidden" not in body
    assert 'href="/en/programme/"' in body
    assert "My path" not in body


def test_member_home_lists_next_enrolments_and_nav_links_parcours(client, member_user):
    session = SessionFactory(module=ModuleFactory(title="Atelier sommeil"), capacity=1)
    services.enrolment_create(session_id=session.pk, user=member())
    services.enrolment_create(session_id=session.pk, user=member_user)
    client.force_login(member_user)
    body = client.get("/en/dashboard/member/").content.decode()
    assert "Atelier sommeil" in body and "Waitlist: number 1" in body
    assert 'href="/en/dashboard/parcours/"' in body


def test_ambassador_home_gives_shareable_links(client):
    session = SessionFactory(module=ModuleFactory(title="Webinaire stress"))
    client.force_login(staff(Role.AMBASSADOR))
    body = client.get("/en/dashboard/ambassador/").content.decode()
    assert "Webinaire stress" in body
    assert f'value="http://testserver/en/programme/sessions/{session.pk}/"' in body


def test_manager_home_counts_and_links(client, manager_user):
    session = SessionFactory(capacity=1)
    SessionFactory(is_published=False)
    services.enrolment_create(session_id=session.pk, user=member())
    services.enrolment_create(session_id=session.pk, user=member())
    client.force_login(manager_user)
    response = client.get("/en/dashboard/manager/")
    assert response.context["programme_counts"] == {
        "sessions": 2,
        "unpublished": 1,
        "confirmed": 1,
        "waitlisted": 1,
    }
    body = response.content.decode()
    assert 'href="/en/programme/manage/"' in body and 'href="/en/programme/manage/modules/"' in body
