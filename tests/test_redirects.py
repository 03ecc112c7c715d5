"""After a form the portal sends people back where they came from, but only to its own
pages, and never fails on a tampered `next` (a 500 once the change was saved)."""

import pytest
from django.test import RequestFactory

from common.redirects import safe_next
from programme.models import EnrolmentStatus
from tests.factories import member
from tests.programme.factories import ModuleFactory, SessionFactory

pytestmark = pytest.mark.django_db

TAMPERED = (
    "a\nb",
    "/fr/\x00",
    "/fr/\r\nSet-Cookie: x=1",
    "//evil.example/",
    "https://evil.example/",
    "javascript:alert(1)",
    "relative/path",
)


@pytest.mark.parametrize("target", TAMPERED)
def test_only_printable_paths_of_the_portal_are_followed(target):
    request = RequestFactory().post("/", {"next": target})
    assert safe_next(request, "/fr/") == "/fr/"


def test_a_path_of_the_portal_is_followed():
    request = RequestFactory().post("/", {"next": "/fr/programme/?theme=sleep"})
    assert safe_next(request, "/fr/") == "/fr/programme/?theme=sleep"


@pytest.mark.parametrize("target", TAMPERED)
def test_enrolling_and_cancelling_with_a_tampered_next(client, target):
    user = member()
    session = SessionFactory()
    client.force_login(user)
    response = client.post(f"/en/programme/sessions/{session.pk}/enrol/", {"next": target})
    assert response.status_code == 302
    assert response["Location"] == f"/en/programme/sessions/{session.pk}/"
    assert session.enrolments.get(user=user).status == EnrolmentStatus.CONFIRMED
    response = client.post(f"/en/programme/sessions/{session.pk}/cancel/", {"next": target})
    assert response.status_code == 302
    assert session.enrolments.get(user=user).status == EnrolmentStatus.CANCELLED


@pytest.mark.parametrize("target", TAMPERED)
def test_saving_a_module_with_a_tampered_next(client, target):
    module = ModuleFactory()
    client.force_login(member())
    response = client.post(f"/en/programme/modules/{module.slug}/save/", {"next": target})
    assert response.status_code == 302
    assert response["Location"] == f"/en/programme/modules/{module.slug}/"


@pytest.mark.parametrize("target", TAMPERED)
def test_changing_invitations_with_a_tampered_next(client, target):
    client.force_login(member())
    response = client.post(
        "/en/self-assessments/who-5/invitations/", {"interval": "off", "next": target}
    )
    assert response.status_code == 302
    assert response["Location"] == "/en/self-assessments/history/"


def test_a_calendar_token_with_a_nul_byte_is_not_found(client):
    assert client.get("/fr/programme/calendar/abc%00.ics").status_code == 404
