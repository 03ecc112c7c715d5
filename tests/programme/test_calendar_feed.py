"""The private calendar feed updates calendar apps: the same UIDs fetch after fetch, a
SEQUENCE one higher on each change, and a cancelled session kept as STATUS:CANCELLED so
that apps take it out instead of keeping the old event."""

from datetime import timedelta

import icalendar
import pytest
from django.utils import timezone

from notifications.links import portal_host
from programme import services
from tests.factories import member
from tests.programme.factories import ModuleFactory, SessionFactory
from tests.programme.helpers import enrol

pytestmark = pytest.mark.django_db


def fetch(client, feed) -> icalendar.Calendar:
    response = client.get(f"/en/programme/calendar/{feed.token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def events(calendar: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(event["UID"]): event for event in calendar.events}


@pytest.fixture
def setting_up(member_user, manager_user):
    moving = SessionFactory(module=ModuleFactory(title="Dormir mieux"))
    staying = SessionFactory(module=ModuleFactory(title="Gérer son stress"))
    enrol(moving, member_user)
    enrol(staying, member_user)
    feed = services.calendar_feed_ensure(user=member_user)
    return moving, staying, feed


def test_the_calendar_and_its_events_keep_their_uids_and_name(client, setting_up):
    moving, staying, feed = setting_up
    first, second = fetch(client, feed), fetch(client, feed)
    assert str(first["UID"]) == str(second["UID"]) == f"feed-{feed.pk}@{portal_host()}"
    assert str(first["X-WR-CALNAME"]) == str(second["X-WR-CALNAME"])
    assert str(first["X-WR-CALNAME"]).startswith("My sessions")
    assert (
        set(events(first))
        == set(events(second))
        == {
            f"session-{moving.pk}@{portal_host()}",
            f"session-{staying.pk}@{portal_host()}",
        }
    )
    assert {event["SEQUENCE"] for event in first.events} == {0}


def test_a_change_then_a_cancellation_raise_the_sequence_and_keep_the_uid(
    client, setting_up, manager_user
):
    moving, staying, feed = setting_up
    moving_uid, staying_uid = (
        f"session-{moving.pk}@{portal_host()}",
        f"session-{staying.pk}@{portal_host()}",
    )
    before = events(fetch(client, feed))

    later = moving.starts_at + timedelta(days=1)
    services.session_update(
        session_id=moving.pk,
        actor=manager_user,
        starts_at=later,
        ends_at=later + timedelta(hours=2),
    )
    changed = events(fetch(client, feed))
    assert changed[moving_uid]["SEQUENCE"] == before[moving_uid]["SEQUENCE"] + 1 == 1
    assert changed[moving_uid].start == timezone.localtime(later).replace(microsecond=0)
    assert changed[staying_uid]["SEQUENCE"] == 0

    services.session_cancel(session_id=moving.pk, reason="Intervenante malade", actor=manager_user)
    cancelled = events(fetch(client, feed))
    assert set(cancelled) == {moving_uid, staying_uid}
    assert cancelled[moving_uid]["STATUS"] == "CANCELLED"
    assert cancelled[moving_uid]["SEQUENCE"] == 2
    assert not cancelled[moving_uid].walk("VALARM")  # no reminder for what will not happen
    assert cancelled[staying_uid]["STATUS"] == "CONFIRMED"
    assert cancelled[staying_uid]["SEQUENCE"] == 0


def test_only_changes_a_calendar_shows_raise_the_sequence(client, setting_up, manager_user):
    moving, staying, feed = setting_up
    services.session_update(session_id=moving.pk, actor=manager_user, capacity=30)
    moving.refresh_from_db()
    assert moving.sequence == 0
    # The module's title is in the event: every one of its sessions gets a new version.
    services.module_update(module=staying.module, title="Gérer son stress au quotidien")
    by_uid = events(fetch(client, feed))
    assert by_uid[f"session-{staying.pk}@{portal_host()}"]["SEQUENCE"] == 1
    assert str(by_uid[f"session-{staying.pk}@{portal_host()}"]["SUMMARY"]).endswith("au quotidien")
    assert by_uid[f"session-{moving.pk}@{portal_host()}"]["SEQUENCE"] == 0


def test_a_waitlisted_member_gets_no_event_when_the_session_is_cancelled(client, manager_user):
    session = SessionFactory(capacity=1)
    enrol(session, member())
    waiting = member()
    enrol(session, waiting)
    feed = services.calendar_feed_ensure(user=waiting)
    services.session_cancel(session_id=session.pk, reason="Trop peu d'inscrits", actor=manager_user)
    assert fetch(client, feed).events == []


def test_a_rotated_token_gets_a_bare_404(client, member_user):
    feed = services.calendar_feed_ensure(user=member_user)
    old = feed.token
    services.calendar_token_regenerate(user=member_user)
    response = client.get(f"/en/programme/calendar/{old}.ics")
    assert response.status_code == 404
    assert response.content == b""
    assert client.get(f"/fr/programme/calendar/{'x' * 300}.ics").content == b""


def test_the_members_own_cancellation_stays_as_cancelled_and_comes_back_on_re_enrolling(
    client, setting_up, member_user
):
    moving, staying, feed = setting_up
    uid = f"session-{moving.pk}@{portal_host()}"
    moving.join_url = "https://visio.example/room-moving"
    moving.save(update_fields=["join_url"])
    before = events(fetch(client, feed))
    assert before[uid]["STATUS"] == "CONFIRMED"
    assert "room-moving" in str(before[uid]["LOCATION"])

    seat = moving.enrolments.get(user=member_user)
    services.enrolment_cancel(enrolment_id=seat.pk, user=member_user)
    cancelled = events(fetch(client, feed))
    assert set(cancelled) == set(before)
    assert cancelled[uid]["STATUS"] == "CANCELLED"
    assert cancelled[uid]["SEQUENCE"] > before[uid]["SEQUENCE"]
    assert not cancelled[uid].walk("VALARM")
    # The seat is gone, and the room's link with it.
    assert "room-moving" not in cancelled[uid].to_ical().decode()
    assert "You cancelled your enrolment" in str(cancelled[uid]["DESCRIPTION"])
    # Fetching again changes nothing: the apps see the same version.
    assert events(fetch(client, feed))[uid]["SEQUENCE"] == cancelled[uid]["SEQUENCE"]
    # The other session is untouched.
    assert cancelled[f"session-{staying.pk}@{portal_host()}"]["STATUS"] == "CONFIRMED"

    enrol(moving, member_user)
    again = events(fetch(client, feed))
    assert again[uid]["STATUS"] == "CONFIRMED"
    assert again[uid]["SEQUENCE"] > cancelled[uid]["SEQUENCE"]
    assert again[uid].walk("VALARM")
    assert "room-moving" in str(again[uid]["LOCATION"])

    services.enrolment_cancel(
        enrolment_id=moving.enrolments.get(user=member_user, status="confirmed").pk,
        user=member_user,
    )
    twice = events(fetch(client, feed))
    assert twice[uid]["STATUS"] == "CANCELLED"
    assert twice[uid]["SEQUENCE"] > again[uid]["SEQUENCE"]


def test_an_organisers_change_after_the_members_cancellation_still_raises_it(
    client, setting_up, member_user, manager_user
):
    moving, _staying, feed = setting_up
    uid = f"session-{moving.pk}@{portal_host()}"
    services.enrolment_cancel(
        enrolment_id=moving.enrolments.get(user=member_user).pk, user=member_user
    )
    cancelled = events(fetch(client, feed))[uid]
    services.session_cancel(session_id=moving.pk, reason="Salle fermée", actor=manager_user)
    after = events(fetch(client, feed))[uid]
    assert after["STATUS"] == "CANCELLED"
    assert after["SEQUENCE"] > cancelled["SEQUENCE"]


def test_back_on_the_waitlist_the_cancelled_event_stays_until_a_seat_frees(client, member_user):
    session = SessionFactory(capacity=1)
    uid = f"session-{session.pk}@{portal_host()}"
    seat = enrol(session, member_user)
    feed = services.calendar_feed_ensure(user=member_user)
    services.enrolment_cancel(enrolment_id=seat.pk, user=member_user)
    someone = member()
    taken = enrol(session, someone)
    enrol(session, member_user)  # the session is full again: a place on the waitlist
    waiting = events(fetch(client, feed))[uid]
    assert waiting["STATUS"] == "CANCELLED"

    services.enrolment_cancel(enrolment_id=taken.pk, user=someone)  # promotes the member
    promoted = events(fetch(client, feed))[uid]
    assert promoted["STATUS"] == "CONFIRMED"
    assert promoted["SEQUENCE"] > waiting["SEQUENCE"]


def test_a_waitlist_place_left_never_shows(client, member_user):
    session = SessionFactory(capacity=1)
    enrol(session, member())
    place = enrol(session, member_user)
    feed = services.calendar_feed_ensure(user=member_user)
    services.enrolment_cancel(enrolment_id=place.pk, user=member_user)
    assert fetch(client, feed).events == []


def test_a_cancellation_leaves_the_feed_with_the_other_past_sessions(
    client, member_user, time_machine
):
    session = SessionFactory()
    seat = enrol(session, member_user)
    feed = services.calendar_feed_ensure(user=member_user)
    services.enrolment_cancel(enrolment_id=seat.pk, user=member_user)
    time_machine.move_to(session.starts_at + timedelta(days=89))
    assert len(fetch(client, feed).events) == 1
    time_machine.move_to(session.starts_at + timedelta(days=91))
    assert fetch(client, feed).events == []
