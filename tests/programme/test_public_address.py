"""Calendar links name PORTAL_BASE_URL, whatever host the request came in on: a feed
subscribed to from one address keeps working, and never points at 127.0.0.1."""

import icalendar
import pytest

from programme import services
from tests.programme.factories import SessionFactory

pytestmark = pytest.mark.django_db

BASE = "https://bien-etre.example.org"


@pytest.fixture(autouse=True)
def public_address(settings):
    settings.PORTAL_BASE_URL = BASE
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1"]


def test_the_feed_address_and_its_events_are_on_the_public_address(client, member_user):
    session = SessionFactory()
    services.enrolment_create(session_id=session.pk, user=member_user)
    client.force_login(member_user)
    feed_url = client.get("/en/programme/calendar/", HTTP_HOST="127.0.0.1").context["feed_url"]
    assert feed_url.startswith(f"{BASE}/en/programme/calendar/")
    client.logout()

    response = client.get(feed_url.removeprefix(BASE), HTTP_HOST="127.0.0.1")
    [event] = icalendar.Calendar.from_ical(response.content).events
    assert str(event["URL"]) == f"{BASE}/en/programme/sessions/{session.pk}/"
    assert str(event["UID"]) == f"session-{session.pk}@bien-etre.example.org"


def test_a_session_file_links_to_the_public_address(client):
    session = SessionFactory()
    response = client.get(
        f"/fr/programme/sessions/{session.pk}/calendar.ics", HTTP_HOST="127.0.0.1"
    )
    [event] = icalendar.Calendar.from_ical(response.content).events
    assert str(event["URL"]) == f"{BASE}/fr/programme/sessions/{session.pk}/"
    assert b"127.0.0.1" not in response.content


def test_the_share_link_of_a_session_is_on_the_public_address(client):
    session = SessionFactory()
    response = client.get(f"/fr/programme/sessions/{session.pk}/", HTTP_HOST="127.0.0.1")
    assert response.context["share_url"] == f"{BASE}/fr/programme/sessions/{session.pk}/"
