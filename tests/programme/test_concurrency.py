"""Capacity under real concurrency, on PostgreSQL: row locks, not luck."""

import pytest
from django.db import connection

from programme import services
from programme.models import Enrolment, EnrolmentEvent, EnrolmentStatus
from programme.selectors import enrolments_with_position
from tests.concurrency import POSTGRES_ONLY, at_once, failures
from tests.factories import member
from tests.programme.factories import SessionFactory

WORKERS = 50
SEATS = 10

pytestmark = POSTGRES_ONLY


def test_fifty_workers_fill_ten_seats_exactly_then_queue_in_order(own_connections):
    session = SessionFactory(capacity=SEATS)
    people = [member() for _ in range(WORKERS)]

    def enrol(user) -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        services.enrolment_create(session_id=session.pk, user=user)
        return pid

    outcomes = at_once(enrol, people)

    assert failures(outcomes) == []
    assert len(set(outcomes)) == WORKERS  # truly concurrent connections, one per worker
    session.refresh_from_db()
    assert session.confirmed_count == SEATS
    enrolments = list(Enrolment.objects.filter(session=session).order_by("pk"))
    assert len(enrolments) == WORKERS
    confirmed = [e for e in enrolments if e.status == EnrolmentStatus.CONFIRMED]
    waitlisted = [e for e in enrolments if e.status == EnrolmentStatus.WAITLISTED]
    assert (len(confirmed), len(waitlisted)) == (SEATS, WORKERS - SEATS)
    assert {e.user_id for e in enrolments} == {p.pk for p in people}

    # Arrival order is the order in which workers got the session's lock: every seat
    # went before any waitlist place, and the waitlist order follows it.
    assert max(e.queued_at for e in confirmed) < min(e.queued_at for e in waitlisted)
    assert [e.pk for e in sorted(waitlisted, key=lambda e: e.queued_at)] == [
        e.pk for e in waitlisted
    ]
    positions = {
        e.pk: e.position
        for p in people
        for e in enrolments_with_position(p).filter(status=EnrolmentStatus.WAITLISTED)
    }
    assert [positions[e.pk] for e in waitlisted] == list(range(1, WORKERS - SEATS + 1))
    assert EnrolmentEvent.objects.filter(enrolment__session=session).count() == WORKERS


def test_one_member_asking_ten_times_at_once_is_enrolled_once(own_connections):
    session = SessionFactory(capacity=SEATS)
    person = member()

    def enrol(_n) -> tuple[int, bool]:
        outcome = services.enrolment_create(session_id=session.pk, user=person)
        return outcome.enrolment.pk, outcome.created

    outcomes = at_once(enrol, range(10))

    assert failures(outcomes) == []
    [enrolment] = Enrolment.objects.filter(session=session)
    assert sorted(outcomes) == [(enrolment.pk, False)] * 9 + [(enrolment.pk, True)]
    session.refresh_from_db()
    assert session.confirmed_count == 1
    assert EnrolmentEvent.objects.filter(enrolment__session=session).count() == 1


def test_concurrent_cancellations_promote_each_waiting_member_once(own_connections):
    session = SessionFactory(capacity=SEATS)
    people = [member() for _ in range(SEATS + 10)]
    seats = [services.enrolment_create(session_id=session.pk, user=p).enrolment for p in people]
    holders = seats[:SEATS]
    outcomes = at_once(lambda e: services.enrolment_cancel(enrolment_id=e.pk, user=e.user), holders)

    assert failures(outcomes) == []
    session.refresh_from_db()
    assert session.confirmed_count == SEATS
    statuses = [Enrolment.objects.get(pk=e.pk).status for e in seats]
    assert statuses == ["cancelled"] * SEATS + ["confirmed"] * 10
    promoted = EnrolmentEvent.objects.filter(action="enrolment.promoted")
    assert promoted.count() == 10


@pytest.mark.django_db
def test_the_themes_survive_the_transactional_tests():
    from programme.models import Theme

    assert Theme.objects.filter(slug="sleep").exists()
