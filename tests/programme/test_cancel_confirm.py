"""Cancelling an enrolment: a page says what happens to the seat and the waitlist first."""

from datetime import timedelta

import pytest

from programme import services
from programme.models import Enrolment, EnrolmentStatus
from tests.factories import member
from tests.programme.factories import SessionFactory

pytestmark = pytest.mark.django_db


def enrol(session, user):
    return services.enrolment_create(session_id=session.pk, user=user).enrolment


def url(session) -> str:
    return f"/en/programme/sessions/{session.pk}/cancel/"


def test_the_confirmation_page_says_who_gets_the_seat_and_changes_nothing(client):
    session = SessionFactory(capacity=1)
    holder, first, second = member(), member(), member()
    for person in (holder, first, second):
        enrol(session, person)
    client.force_login(holder)
    response = client.get(url(session), {"next": f"/en/programme/sessions/{session.pk}/"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Cancel your enrolment?" in body
    assert "first person on the waitlist (2 people waiting)" in body
    assert "Yes, cancel my enrolment" in body and "Keep my seat" in body
    assert f'name="next" value="/en/programme/sessions/{session.pk}/"' in body
    assert Enrolment.objects.get(user=holder).status == EnrolmentStatus.CONFIRMED


def test_confirming_frees_the_seat_for_the_first_person_waiting(client):
    session = SessionFactory(capacity=1)
    holder, waiting = member(), member()
    enrol(session, holder)
    enrol(session, waiting)
    client.force_login(holder)
    response = client.post(url(session), follow=True)
    assert "Your enrolment is cancelled" in response.content.decode()
    assert Enrolment.objects.get(user=holder).status == EnrolmentStatus.CANCELLED
    assert Enrolment.objects.get(user=waiting).status == EnrolmentStatus.CONFIRMED


def test_a_seat_nobody_waits_for_becomes_free(client):
    session = SessionFactory(capacity=3)
    user = member()
    enrol(session, user)
    client.force_login(user)
    body = client.get(url(session)).content.decode()
    assert "Your seat becomes free for another member." in body
    assert "first person on the waitlist" not in body


def test_leaving_the_waitlist_is_confirmed_with_the_place_given_up(client):
    session = SessionFactory(capacity=1)
    enrol(session, member())
    first, second = member(), member()
    enrol(session, first)
    enrol(session, second)
    client.force_login(second)
    body = client.get(url(session)).content.decode()
    assert "Leave the waitlist?" in body
    assert "place on the waitlist (number 2)" in body
    assert "Stay on the waitlist" in body
    client.post(url(session))
    assert Enrolment.objects.get(user=second).status == EnrolmentStatus.CANCELLED
    assert Enrolment.objects.get(user=first).status == EnrolmentStatus.WAITLISTED


def test_nobody_cancels_someone_elses_enrolment(client):
    session = SessionFactory()
    owner, other = member(), member()
    enrol(session, owner)
    client.force_login(other)
    page = client.get(url(session), follow=True)
    assert page.status_code == 200
    assert "You are not enrolled in this session: there is nothing to cancel." in (
        page.content.decode()
    )
    posted = client.post(url(session), follow=True)
    assert posted.status_code == 200
    assert "nothing to cancel" in posted.content.decode()
    assert Enrolment.objects.get(user=owner).status == EnrolmentStatus.CONFIRMED


def test_the_confirmation_page_after_the_start_says_it_is_too_late(client, time_machine):
    session = SessionFactory()
    user = member()
    enrol(session, user)
    time_machine.move_to(session.starts_at + timedelta(minutes=1))
    client.force_login(user)
    response = client.get(url(session), follow=True)
    assert "can no longer be cancelled" in response.content.decode()
    assert Enrolment.objects.get(user=user).status == EnrolmentStatus.CONFIRMED


def test_a_visitor_is_sent_to_log_in_and_an_unknown_session_is_a_404(client):
    session = SessionFactory()
    assert "/accounts/login/" in client.get(url(session))["Location"]
    client.force_login(member())
    assert client.get("/en/programme/sessions/999999/cancel/").status_code == 404


def test_the_confirmation_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    """Session, member, enrolment and its waitlist place, people waiting: however many wait."""
    session = SessionFactory(capacity=1)
    user = member()
    enrol(session, user)
    client.force_login(user)
    client.get(url(session))
    with django_assert_num_queries(5):
        assert client.get(url(session)).status_code == 200
    for _ in range(5):
        enrol(session, member())
    with django_assert_num_queries(5):
        assert client.get(url(session)).status_code == 200
