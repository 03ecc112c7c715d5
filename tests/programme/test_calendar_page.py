"""The calendar page: one tap to subscribe in Google, Apple or Outlook, and a copy button."""

import html
from urllib.parse import parse_qs, urlsplit

import pytest

from notifications.links import reverse_absolute
from programme import ics
from programme.models import CalendarFeed

pytestmark = pytest.mark.django_db


def test_subscribe_links_for_each_calendar_app():
    links = ics.subscribe_links("https://portal.example/programme/calendar/abc.ics", "My sessions")
    assert links.apple == "webcal://portal.example/programme/calendar/abc.ics"
    google = urlsplit(links.google)
    assert google.netloc == "calendar.google.com"
    assert parse_qs(google.query) == {"cid": ["webcal://portal.example/programme/calendar/abc.ics"]}
    for address, host in (
        (links.outlook, "outlook.live.com"),
        (links.office365, "outlook.office.com"),
    ):
        parts = urlsplit(address)
        assert parts.netloc == host and parts.path == "/calendar/0/addfromweb"
        assert parse_qs(parts.query) == {
            "url": ["https://portal.example/programme/calendar/abc.ics"],
            "name": ["My sessions"],
        }


def test_the_page_offers_the_three_apps_and_a_copy_button(client, member_user):
    client.force_login(member_user)
    body = html.unescape(client.get("/en/programme/calendar/").content.decode())
    token = CalendarFeed.objects.get(user=member_user).token
    feed_url = reverse_absolute("programme:calendar-feed", token)
    assert f'href="webcal://{feed_url.split("://", 1)[1]}"' in body
    assert "https://calendar.google.com/calendar/render?cid=webcal" in body
    assert "https://outlook.live.com/calendar/0/addfromweb?url=http" in body
    # Progressive enhancement: hidden until static/js/copy.js finds a clipboard.
    assert 'data-copy-target="feed-url"' in body and "js/copy" in body
    assert "<script>" not in body


def test_a_new_address_changes_every_button(client, member_user):
    client.force_login(member_user)
    client.get("/en/programme/calendar/")
    old = CalendarFeed.objects.get(user=member_user).token
    client.post("/en/programme/calendar/")
    body = client.get("/en/programme/calendar/").content.decode()
    assert old not in body
    assert CalendarFeed.objects.get(user=member_user).token in body
