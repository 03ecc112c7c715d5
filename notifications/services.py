"""Recording messages to send. Sending itself is in sending.py (and tasks.py)."""

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from itertools import islice
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Delivery, DeliveryStatus, MessagePreference
from .preferences import SERVICE, preferences_of
from .registry import get_category, get_kind, register_kind
from .selectors import history_counts_forget

# The context carries ids, not content: a few keys are plenty.
MAX_CONTEXT_CHARS = 2000


def _check_context(context: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(context, dict):
        raise TypeError("A delivery's context is a dict of ids.")
    if len(json.dumps(context)) > MAX_CONTEXT_CHARS:
        raise ValueError("A delivery's context holds ids only; load the data at send time.")
    return context


def _enqueue_after_commit(delivery_id: int) -> None:
    from .tasks import enqueue_delivery

    transaction.on_commit(partial(enqueue_delivery, delivery_id))


@transaction.atomic
def delivery_schedule(
    *,
    kind: str,
    recipient: AbstractBaseUser | int,
    intent_key: str,
    context: dict[str, Any] | None = None,
    due_at: datetime | None = None,
    send_now: bool = False,
) -> Delivery:
    """Record one message for one intent (idempotent: the same intent twice is one row).

    `recipient` is a user or a user id. With send_now, the delivery is handed to a
    worker once the caller's transaction commits; without, the next sweep sends it
    when due. Scheduling an intent that exists already changes nothing.
    """
    get_kind(kind)
    existing = Delivery.objects.filter(kind=kind, intent_key=intent_key).first()
    if existing is not None:
        return existing
    delivery = Delivery(
        recipient_id=getattr(recipient, "pk", recipient),
        kind=kind,
        intent_key=intent_key,
        context=_check_context(context or {}),
        due_at=due_at or timezone.now(),
    )
    # The unique constraint is the database's job (two sweeps may race on it).
    delivery.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            delivery.save()
    except IntegrityError:
        return Delivery.objects.get(kind=kind, intent_key=intent_key)
    if send_now:
        _enqueue_after_commit(delivery.pk)
    return delivery


@dataclass(frozen=True)
class Planned:
    """One message for deliveries_schedule_many."""

    recipient_id: int
    intent_key: str
    due_at: datetime
    context: dict[str, Any] = field(default_factory=dict)


def _chunks[T](items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def deliveries_schedule_many(
    *, kind: str, planned: Iterable[Planned], chunk_size: int | None = None
) -> int:
    """Record many messages of one kind in bounded bulk inserts; intents already
    recorded are left as they are. Returns how many were offered.

    A planner offers every message still due in its window at each sweep: the intents
    already recorded are looked up first (one index-only read per chunk), so a sweep
    with nothing new writes nothing."""
    get_kind(kind)
    size = chunk_size or settings.NOTIFICATIONS_FAN_OUT_CHUNK_SIZE
    offered = 0
    for chunk in _chunks(planned, size):
        offered += len(chunk)
        recorded = set(
            Delivery.objects.filter(
                kind=kind, intent_key__in=[item.intent_key for item in chunk]
            ).values_list("intent_key", flat=True)
        )
        new = [item for item in chunk if item.intent_key not in recorded]
        if not new:
            continue
        # ignore_conflicts still: another sweep may record the same intents meanwhile.
        Delivery.objects.bulk_create(
            [
                Delivery(
                    recipient_id=item.recipient_id,
                    kind=kind,
                    intent_key=item.intent_key,
                    context=_check_context(item.context),
                    due_at=item.due_at,
                )
                for item in new
            ],
            ignore_conflicts=True,
        )
    return offered


def deliveries_schedule_now(
    *, kind: str, planned: Iterable[Planned], new_intents: bool = False
) -> list[int]:
    """Record many messages of one kind to send at once, in two statements whatever their
    number (intents already recorded are left as they are, as with delivery_schedule),
    and hand the new ones to the workers in one call once the caller's transaction
    commits. Returns the ids recorded. For one change that concerns many people, e.g.
    a session cancelled or moved, or seats given to a waitlist.

    With new_intents the caller vouches that no intent can exist yet (it names a row
    created in the same transaction): one INSERT, no read first, and no savepoint, which
    matters to a caller holding a row lock."""
    get_kind(kind)
    items = {item.intent_key: item for item in planned}
    if not items:
        return []
    recorded = set()
    if not new_intents:
        recorded = set(
            Delivery.objects.filter(kind=kind, intent_key__in=list(items)).values_list(
                "intent_key", flat=True
            )
        )
    created = Delivery.objects.bulk_create(
        Delivery(
            recipient_id=item.recipient_id,
            kind=kind,
            intent_key=key,
            context=_check_context(item.context),
            due_at=item.due_at,
        )
        for key, item in items.items()
        if key not in recorded
    )
    ids = [delivery.pk for delivery in created]
    if ids:
        _enqueue_soon_after_commit(ids)
    return ids


def _enqueue_soon_after_commit(ids: list[int]) -> None:
    from .tasks import enqueue_soon

    transaction.on_commit(partial(enqueue_soon, ids))


def deliveries_fan_out(
    *,
    kind: str,
    recipients: QuerySet,
    intent_prefix: str,
    context: dict[str, Any] | None = None,
    due_at: datetime | None = None,
    chunk_size: int | None = None,
) -> int:
    """One message to each user of `recipients` (e.g. a campaign's audience).

    Walks the audience by primary key in fixed-size chunks (keyset pagination) and
    inserts each chunk in one statement, so memory and statement size do not grow with
    the audience. Each recipient's intent is "<intent_prefix>:user:<pk>"; running it
    again, or after an interruption, adds only the missing ones. Returns the audience size.
    """
    get_kind(kind)
    size = chunk_size or settings.NOTIFICATIONS_FAN_OUT_CHUNK_SIZE
    context = _check_context(context or {})
    due_at = due_at or timezone.now()
    pks = recipients.order_by("pk").values_list("pk", flat=True)
    total, last_pk = 0, None
    while True:
        page = pks if last_pk is None else pks.filter(pk__gt=last_pk)
        chunk = list(page[:size])
        if not chunk:
            break
        Delivery.objects.bulk_create(
            [
                Delivery(
                    recipient_id=pk,
                    kind=kind,
                    intent_key=f"{intent_prefix}:user:{pk}",
                    context=context,
                    due_at=due_at,
                )
                for pk in chunk
            ],
            ignore_conflicts=True,
        )
        total += len(chunk)
        last_pk = chunk[-1]
        if len(chunk) < size:
            break
    return total


def deliveries_cancel(
    *, kind: str, intent_keys: Iterable[str] = (), intent_prefix: str | None = None
) -> int:
    """Cancel messages not sent yet (e.g. reminders of a session that was cancelled).
    Returns how many were cancelled."""
    pending = Delivery.objects.filter(kind=kind, status=DeliveryStatus.PENDING)
    keys = list(intent_keys)
    if intent_prefix is not None:
        pending = pending.filter(intent_key__startswith=intent_prefix)
    elif keys:
        pending = pending.filter(intent_key__in=keys)
    else:
        raise ValueError("Say which deliveries to cancel: intent_keys or intent_prefix.")
    return pending.update(status=DeliveryStatus.CANCELLED, updated_at=timezone.now())


@transaction.atomic
def delivery_retry(*, delivery: Delivery) -> Delivery:
    """A manager sends a failed delivery again, e.g. after the mail server was fixed."""
    delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
    if delivery.status != DeliveryStatus.FAILED:
        raise ValueError("Only a failed delivery can be sent again.")
    delivery.status = DeliveryStatus.PENDING
    delivery.attempts = 0
    delivery.due_at = timezone.now()
    delivery.enqueued_at = None
    delivery.claimed_at = None
    delivery.full_clean(validate_constraints=False)
    delivery.save()
    _enqueue_after_commit(delivery.pk)
    # After the hand-over: sent in-process, it is counted on the page that follows.
    transaction.on_commit(history_counts_forget)
    return delivery


@transaction.atomic
def preferences_set(*, user: AbstractBaseUser, choices: Mapping[str, bool]) -> list[str]:
    """Record someone's choices, {category: receives}, from the preferences page, an
    unsubscribe link or anywhere a person says what they want; returns the categories
    that changed. A choice that is already in force writes nothing: a member who
    never touched a switch keeps following its default, and a replayed click is a
    no-op. Two writers at once meet on the unique (user, category) row."""
    for code in choices:
        if not get_category(code).unsubscribable:
            raise ValueError(f"The category {code!r} cannot be turned off.")
    current = preferences_of(user, choices)
    changed = {code: enabled for code, enabled in choices.items() if current[code] != enabled}
    if changed:
        MessagePreference.objects.bulk_create(
            [
                MessagePreference(user_id=user.pk, category=code, enabled=enabled)
                for code, enabled in changed.items()
            ],
            update_conflicts=True,
            unique_fields=["user", "category"],
            update_fields=["enabled", "updated_at"],
        )
    return sorted(changed)


def preference_set(*, user: AbstractBaseUser, category: str, enabled: bool) -> bool:
    """One category on or off (idempotent); True when it changed."""
    return bool(preferences_set(user=user, choices={category: enabled}))


EMAIL_CHECK = "notifications.email_check"


def register_email_check() -> None:
    register_kind(
        EMAIL_CHECK,
        label=_("Test e-mail"),
        category=SERVICE,
        template="notifications/email/email_check",
        build_context=_no_context,
    )


def _no_context(delivery: Delivery) -> dict:
    return {}


def email_check_send(*, user: AbstractBaseUser) -> Delivery:
    """A manager checks that e-mail works end to end: the test goes through the same
    log, queue and mail server as every other message."""
    delivery = delivery_schedule(
        kind=EMAIL_CHECK,
        recipient=user,
        intent_key=f"user:{user.pk}:{timezone.now().isoformat()}",
        send_now=True,
    )
    transaction.on_commit(history_counts_forget)
    return delivery
