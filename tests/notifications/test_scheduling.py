"""Recording messages: one row per intent, whatever happens, and nothing outside a commit."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from members.models import User
from notifications.models import Delivery, DeliveryStatus
from notifications.services import (
    Planned,
    deliveries_cancel,
    deliveries_fan_out,
    deliveries_schedule_many,
    delivery_schedule,
)
from tests.factories import member
from tests.notifications.kinds import NOTICE, REMINDER

pytestmark = pytest.mark.django_db


def test_scheduling_records_a_pending_delivery_with_ids_only():
    user = member()
    due = timezone.now() + timedelta(days=1)
    delivery = delivery_schedule(
        kind=REMINDER,
        recipient=user,
        intent_key="enrolment:42",
        context={"workshop_id": 7},
        due_at=due,
    )
    delivery.refresh_from_db()
    assert (delivery.recipient, delivery.status, delivery.due_at) == (
        user,
        DeliveryStatus.PENDING,
        due,
    )
    assert delivery.context == {"workshop_id": 7}
    assert delivery.attempts == 0
    assert delivery.subject == ""


def test_scheduling_the_same_intent_twice_does_nothing():
    user = member()
    first = delivery_schedule(
        kind=REMINDER, recipient=user, intent_key="enrolment:42", context={"workshop_id": 1}
    )
    again = delivery_schedule(
        kind=REMINDER,
        recipient=user.pk,
        intent_key="enrolment:42",
        context={"workshop_id": 2},
        due_at=timezone.now() + timedelta(days=3),
    )
    assert again.pk == first.pk
    assert again.context == {"workshop_id": 1}
    assert Delivery.objects.count() == 1
    # Another kind or another intent is another message.
    delivery_schedule(
        kind=NOTICE, recipient=user, intent_key="enrolment:42", context={"workshop_id": 1}
    )
    delivery_schedule(
        kind=REMINDER, recipient=user, intent_key="enrolment:43", context={"workshop_id": 1}
    )
    assert Delivery.objects.count() == 3


def test_the_database_refuses_a_second_row_for_an_intent():
    user = member()
    delivery_schedule(kind=REMINDER, recipient=user, intent_key="x", context={"workshop_id": 1})
    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.create(
            recipient=user, kind=REMINDER, intent_key="x", due_at=timezone.now()
        )


def test_a_race_on_the_same_intent_returns_the_existing_row(monkeypatch):
    """Two sweeps insert at once: the loser gets the winner's row, inside its own transaction."""
    user = member()
    winner = Delivery.objects.create(
        recipient=user, kind=REMINDER, intent_key="race", due_at=timezone.now()
    )
    # Make the existence check miss, as when the other transaction had not committed yet.
    real_filter = Delivery.objects.filter
    calls = []

    def first_filter_misses(*args, **kwargs):
        calls.append(kwargs)
        queryset = real_filter(*args, **kwargs)
        return queryset.none() if len(calls) == 1 else queryset

    monkeypatch.setattr(Delivery.objects, "filter", first_filter_misses)
    with transaction.atomic():
        got = delivery_schedule(
            kind=REMINDER, recipient=user, intent_key="race", context={"workshop_id": 1}
        )
        # The caller's transaction is still usable after the caught IntegrityError.
        assert User.objects.filter(pk=user.pk).exists()
    assert got.pk == winner.pk


def test_unknown_kind_and_bulky_context_are_refused():
    user = member()
    with pytest.raises(LookupError):
        delivery_schedule(kind="nobody.registered_this", recipient=user, intent_key="a")
    with pytest.raises(ValueError):
        delivery_schedule(
            kind=REMINDER, recipient=user, intent_key="b", context={"body": "x" * 5000}
        )
    with pytest.raises(TypeError):
        delivery_schedule(
            kind=REMINDER, recipient=user, intent_key="c", context=["not", "a", "dict"]
        )
    assert not Delivery.objects.exists()


def test_send_now_waits_for_the_commit(django_capture_on_commit_callbacks):
    user = member()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        delivery = delivery_schedule(
            kind=NOTICE,
            recipient=user,
            intent_key="enrolment:1",
            context={"workshop_id": 3},
            send_now=True,
        )
        assert mail.outbox == []
    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT


def test_send_now_in_a_rolled_back_transaction_sends_nothing(django_capture_on_commit_callbacks):
    user = member()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        delivery_schedule(
            kind=NOTICE,
            recipient=user,
            intent_key="enrolment:1",
            context={"workshop_id": 3},
            send_now=True,
        )
        raise RuntimeError("the enrolment failed")
    assert callbacks == []
    assert mail.outbox == []
    assert not Delivery.objects.exists()


def test_scheduling_an_existing_intent_with_send_now_does_not_send_again(
    django_capture_on_commit_callbacks,
):
    user = member()
    with django_capture_on_commit_callbacks(execute=True):
        delivery_schedule(
            kind=NOTICE, recipient=user, intent_key="e:1", context={"workshop_id": 3}, send_now=True
        )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        delivery_schedule(
            kind=NOTICE, recipient=user, intent_key="e:1", context={"workshop_id": 3}, send_now=True
        )
    assert callbacks == []
    assert len(mail.outbox) == 1


def test_schedule_many_is_idempotent_and_chunked(django_assert_num_queries):
    users = [member() for _ in range(5)]
    now = timezone.now()
    planned = [
        Planned(
            recipient_id=u.pk,
            intent_key=f"session:9:user:{u.pk}",
            due_at=now,
            context={"workshop_id": 9},
        )
        for u in users
    ]
    with django_assert_num_queries(6):  # ceil(5 / 2) chunks: a lookup and an insert each
        assert deliveries_schedule_many(kind=REMINDER, planned=planned, chunk_size=2) == 5
    # The next sweep offers the same: one lookup, nothing written.
    with CaptureQueriesContext(connection) as captured:
        assert deliveries_schedule_many(kind=REMINDER, planned=planned) == 5
    assert [query["sql"].split()[0] for query in captured] == ["SELECT"]
    assert Delivery.objects.filter(kind=REMINDER).count() == 5


def test_cancel_touches_only_pending_deliveries_of_the_intent():
    user = member()
    for key in ("session:1:enrolment:1", "session:1:enrolment:2", "session:12:enrolment:3"):
        delivery_schedule(kind=REMINDER, recipient=user, intent_key=key, context={"workshop_id": 1})
    Delivery.objects.filter(intent_key="session:1:enrolment:2").update(
        status=DeliveryStatus.SENT, sent_at=timezone.now()
    )
    assert deliveries_cancel(kind=REMINDER, intent_prefix="session:1:") == 1
    statuses = dict(Delivery.objects.values_list("intent_key", "status"))
    assert statuses == {
        "session:1:enrolment:1": DeliveryStatus.CANCELLED,
        "session:1:enrolment:2": DeliveryStatus.SENT,
        "session:12:enrolment:3": DeliveryStatus.PENDING,
    }
    assert deliveries_cancel(kind=REMINDER, intent_keys=["session:12:enrolment:3"]) == 1
    with pytest.raises(ValueError):
        deliveries_cancel(kind=REMINDER)


def _fan_out_queries(prefix: str, size: int, chunk: int) -> list[str]:
    User.objects.bulk_create(
        [User(email=f"{prefix}{i}@example.org", password="!") for i in range(size)]
    )
    with CaptureQueriesContext(transaction.get_connection()) as queries:
        total = deliveries_fan_out(
            kind=REMINDER,
            recipients=User.objects.filter(email__startswith=prefix),
            intent_prefix=f"campaign:{prefix}",
            context={"workshop_id": 7},
            chunk_size=chunk,
        )
    assert total == size
    assert Delivery.objects.filter(intent_key__startswith=f"campaign:{prefix}:").count() == size
    return [query["sql"] for query in queries]


def test_fan_out_walks_the_audience_in_bounded_chunks():
    """A campaign to a few thousand people: no statement handles more than one chunk,
    and the number of statements grows with audience / chunk size only."""
    chunk = 500
    small = _fan_out_queries("small", 1000, chunk)
    large = _fan_out_queries("large", 3000, chunk)
    # One page read per chunk, plus the empty page that ends the walk.
    for queries, size in ((small, 1000), (large, 3000)):
        selects = [sql for sql in queries if sql.startswith("SELECT")]
        assert len(selects) == size // chunk + 1
        # Keyset pagination: primary keys only, after the last one seen, never OFFSET.
        assert all(f"LIMIT {chunk}" in sql and "OFFSET" not in sql for sql in selects)
        assert all(sql.startswith('SELECT "members_user"."id" AS "pk" FROM') for sql in selects)
    # Statements per chunk are fixed: three times the audience, three times the statements.
    assert len(large) - 1 == 3 * (len(small) - 1)
    for sql in large:
        if sql.startswith("INSERT"):
            assert sql.count("), (") + 1 <= chunk


def test_fan_out_again_adds_only_the_missing_recipients():
    users = [member() for _ in range(3)]
    audience = User.objects.filter(pk__in=[u.pk for u in users])
    deliveries_fan_out(
        kind=REMINDER,
        recipients=audience.filter(pk=users[0].pk),
        intent_prefix="c:1",
        context={"workshop_id": 1},
    )
    deliveries_fan_out(
        kind=REMINDER,
        recipients=audience,
        intent_prefix="c:1",
        context={"workshop_id": 1},
        chunk_size=2,
    )
    keys = sorted(Delivery.objects.values_list("intent_key", flat=True))
    assert keys == sorted(f"c:1:user:{u.pk}" for u in users)
