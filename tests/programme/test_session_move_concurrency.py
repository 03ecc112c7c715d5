"""Moving a cancelled session's people while members enrol in the target and the
manager clicks twice, on PostgreSQL: the target's seats stay exact, nobody is moved
twice, everybody moved is told once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import Delivery
from programme import services
from programme.models import Enrolment, EnrolmentStatus, SessionMove
from programme.operations_emails import SESSION_MOVED
from programme.services.operations import session_people_move
from tests.concurrency import POSTGRES_ONLY, at_once, failures
from tests.factories import member
from tests.programme.factories import ModuleFactory, SessionFactory

pytestmark = POSTGRES_ONLY

SEATS = 8


@pytest.fixture(autouse=True)
def _tasks_in_process(in_process_mail):
    """The notices run in-process after commit."""


def test_a_double_move_and_members_enrolling_at_once_keep_the_seats_exact(own_connections):
    module = ModuleFactory()
    source = SessionFactory(module=module, capacity=10)
    moving = [member() for _ in range(10)]
    for user in moving:
        services.enrolment_create(session_id=source.pk, user=user)
    services.session_cancel(session_id=source.pk, reason="Salle indisponible", actor=None)
    target = SessionFactory(
        module=module, capacity=SEATS, starts_at=timezone.now() + timedelta(days=20)
    )
    newcomers = [member() for _ in range(6)]

    def work(item):
        if item == "move":
            return session_people_move(session_id=source.pk, target_id=target.pk, actor=None)
        return services.enrolment_create(session_id=target.pk, user=item)

    outcomes = at_once(work, ["move", "move", *newcomers])

    assert failures(outcomes) == []
    moves = [o for o in outcomes[:2] if o is not None]
    assert len(moves) == 1 and SessionMove.objects.count() == 1  # the second click moved nobody
    target.refresh_from_db()
    active = Enrolment.objects.filter(session=target, status__in=["confirmed", "waitlisted"])
    confirmed = active.filter(status=EnrolmentStatus.CONFIRMED)
    assert target.confirmed_count == confirmed.count() == SEATS
    assert active.count() == 16
    assert set(active.values_list("user_id", flat=True)) == {u.pk for u in moving + newcomers}
    # The people moved kept their order among themselves, whoever came in between.
    moved_order = [
        e.user_id for e in active.order_by("queued_at", "pk") if e.user_id in {u.pk for u in moving}
    ]
    assert moved_order == [u.pk for u in moving]
    assert Delivery.objects.filter(kind=SESSION_MOVED).count() == 10
