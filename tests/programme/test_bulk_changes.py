"""A change that concerns hundreds of people (a session cancelled or moved, seats given
to a waitlist) is recorded in bulk: a bounded number of queries whatever their number,
every notice, event and status change written, and one hand-over to the workers once
the transaction commits."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from members.models import User
from notifications.models import Delivery
from notifications.tasks import enqueue_soon
from programme import emails, services
from programme.models import Enrolment, EnrolmentEvent, EnrolmentStatus
from tests.programme.factories import SessionFactory

pytestmark = pytest.mark.django_db

# "At most about 20 queries for 400 people" (issue 15).
# One more since issue 17: the history row of the staff edit (common.history).
MAX_QUERIES = 20 + 1


def crowd(session, *, confirmed: int, waitlisted: int = 0) -> list[Enrolment]:
    """People holding or awaiting a seat, written in bulk (the services are not what is
    measured here)."""
    users = User.objects.bulk_create(
        User(email=f"person{i}-{session.pk}@example.org") for i in range(confirmed + waitlisted)
    )
    now = timezone.now()
    enrolments = Enrolment.objects.bulk_create(
        Enrolment(
            session=session,
            user=user,
            status=EnrolmentStatus.CONFIRMED if i < confirmed else EnrolmentStatus.WAITLISTED,
            queued_at=now + timedelta(seconds=i),
            confirmed_at=now if i < confirmed else None,
        )
        for i, user in enumerate(users)
    )
    session.confirmed_count = confirmed
    session.save(update_fields=["confirmed_count"])
    return enrolments


def hand_overs(callbacks) -> list[list[int]]:
    return [c.args[0] for c in callbacks if getattr(c, "func", None) is enqueue_soon]


def test_cancelling_a_session_of_400_people_is_a_few_statements(
    manager_user, django_capture_on_commit_callbacks
):
    session = SessionFactory(capacity=382)
    people = crowd(session, confirmed=382, waitlisted=18)
    with (
        django_capture_on_commit_callbacks() as callbacks,
        CaptureQueriesContext(connection) as queries,
    ):
        services.session_cancel(session_id=session.pk, reason="Salle inondée", actor=manager_user)
    assert len(queries) <= MAX_QUERIES
    assert not Enrolment.objects.filter(session=session).exclude(
        status=EnrolmentStatus.CANCELLED, cancelled_by_organiser=True
    )
    events = EnrolmentEvent.objects.filter(action="enrolment.cancelled_by_organiser")
    assert events.count() == 400
    assert {e.data["reason"] for e in events} == {"Salle inondée"}
    notices = Delivery.objects.filter(kind=emails.SESSION_CANCELLED)
    assert {d.intent_key for d in notices} == {f"enrolment:{e.pk}" for e in people}
    [ids] = hand_overs(callbacks)
    assert sorted(ids) == sorted(notices.values_list("pk", flat=True))


def test_moving_a_session_of_400_people_is_a_few_statements(
    manager_user, django_capture_on_commit_callbacks
):
    session = SessionFactory(capacity=400)
    people = crowd(session, confirmed=400)
    start = session.starts_at + timedelta(days=1)
    with (
        django_capture_on_commit_callbacks() as callbacks,
        CaptureQueriesContext(connection) as queries,
    ):
        services.session_update(
            session_id=session.pk,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            actor=manager_user,
        )
    assert len(queries) <= MAX_QUERIES
    notices = Delivery.objects.filter(kind=emails.SESSION_CHANGED)
    assert sorted(notices.values_list("recipient_id", flat=True)) == sorted(
        e.user_id for e in people
    )
    [ids] = hand_overs(callbacks)
    assert len(ids) == 400


def test_450_seats_given_to_the_waitlist_are_a_few_statements(
    manager_user, django_capture_on_commit_callbacks
):
    session = SessionFactory(capacity=50)
    people = crowd(session, confirmed=50, waitlisted=460)
    with (
        django_capture_on_commit_callbacks() as callbacks,
        CaptureQueriesContext(connection) as queries,
    ):
        services.session_update(session_id=session.pk, capacity=500, actor=manager_user)
    assert len(queries) <= MAX_QUERIES
    session.refresh_from_db()
    assert session.confirmed_count == 500
    # First come, first served: the ten who came last are still waiting.
    waiting = Enrolment.objects.filter(session=session, status=EnrolmentStatus.WAITLISTED)
    assert set(waiting.values_list("pk", flat=True)) == {e.pk for e in people[-10:]}
    promoted = {e.pk for e in people[50:500]}
    events = EnrolmentEvent.objects.filter(action="enrolment.promoted")
    assert set(events.values_list("enrolment_id", flat=True)) == promoted
    notices = Delivery.objects.filter(kind=emails.WAITLIST_PROMOTED)
    assert {d.intent_key for d in notices} == {f"enrolment:{pk}" for pk in promoted}
    [ids] = hand_overs(callbacks)
    assert len(ids) == 450


def test_a_notice_already_recorded_is_not_recorded_or_handed_over_again(
    manager_user, django_capture_on_commit_callbacks
):
    session = SessionFactory(capacity=1)
    seated, waiting = crowd(session, confirmed=1, waitlisted=1)
    # As if a first attempt had recorded the promotion notice already.
    Delivery.objects.create(
        kind=emails.WAITLIST_PROMOTED,
        intent_key=f"enrolment:{waiting.pk}",
        recipient_id=waiting.user_id,
        due_at=timezone.now(),
    )
    with django_capture_on_commit_callbacks() as callbacks:
        services.session_update(session_id=session.pk, capacity=2, actor=manager_user)
    assert Delivery.objects.filter(kind=emails.WAITLIST_PROMOTED).count() == 1
    assert hand_overs(callbacks) == []


def statements_under_lock(queries) -> list[str]:
    """The statements from the session's row lock on (savepoints are the test's own
    transaction, not the service's)."""
    sql = [q["sql"] for q in queries if "SAVEPOINT" not in q["sql"]]
    lock = next(i for i, s in enumerate(sql) if s.startswith('SELECT "programme_session"'))
    return sql[lock:]


@pytest.mark.parametrize("full", [False, True], ids=["confirmed", "waitlisted"])
def test_an_enrolment_holds_the_session_lock_for_six_statements_at_most(
    full, django_capture_on_commit_callbacks
):
    session = SessionFactory(capacity=1)
    if full:
        crowd(session, confirmed=1)
    user = User.objects.create(email="late@example.org")
    with (
        django_capture_on_commit_callbacks() as callbacks,
        CaptureQueriesContext(connection) as queries,
    ):
        outcome = services.enrolment_create(session_id=session.pk, user=user)
    locked = statements_under_lock(queries)
    assert len(locked) <= 6, locked
    # No foreign-key lookups of the member or the session while others wait.
    assert not [s for s in locked if s.startswith('SELECT 1 AS "a"')]
    expected = emails.WAITLIST_JOINED if full else emails.ENROLMENT_CONFIRMED
    notice = Delivery.objects.get(intent_key=f"enrolment:{outcome.enrolment.pk}")
    assert (notice.kind, notice.recipient_id) == (expected, user.pk)
    assert hand_overs(callbacks) == [[notice.pk]]
