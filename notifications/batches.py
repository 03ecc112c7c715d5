"""Sending due deliveries in batches: one task and one mail connection for many.

The sweep hands due deliveries to workers NOTIFICATIONS_SEND_BATCH_SIZE at a time. A
batch is claimed with one UPDATE and loaded with one query (recipients and what their
language is read from), their message preferences with one more; each message then goes
out over the batch's one SMTP connection. A failure or a retry is recorded at once, the
messages that went out ten at a time (sending.SentLog), so a worker that dies mid-batch
repeats at most those ten: the others are either recorded or still claimed, and sent
once their lease ends.

A batch keeps the lease's promise as a single send does (notifications.sending): it
starts no message after a quarter of the lease and hands the rest back unsent, so no
message it claimed is still being sent when another worker may take its claim over.
"""

import uuid
from collections import Counter
from dataclasses import dataclass, field
from time import monotonic

from django.db.models import F
from django.utils import timezone

from .models import Delivery, DeliveryStatus
from .preferences import preferences_preload
from .registry import get_category, get_kind, recipient_relations
from .sending import claim_lease, claimed_sending, due_deliveries, send_claimed


@dataclass
class BatchReport:
    outcomes: Counter = field(default_factory=Counter)
    # Claimed but not started in time: pending again, for the caller to hand over.
    handed_back: list[int] = field(default_factory=list)

    def summary(self) -> dict[str, int]:
        return {
            **{str(k): v for k, v in self.outcomes.items()},
            "handed_back": len(self.handed_back),
        }


def _claim_many(delivery_ids: list[int], token: uuid.UUID) -> list[Delivery]:
    now = timezone.now()
    due_deliveries(now).filter(pk__in=delivery_ids).update(
        status=DeliveryStatus.SENDING,
        claimed_at=now,
        claim_token=token,
        attempts=F("attempts") + 1,
        enqueued_at=None,
        updated_at=now,
    )
    deliveries = list(
        Delivery.objects.filter(claim_token=token, status=DeliveryStatus.SENDING)
        .select_related(*recipient_relations())
        .order_by("due_at", "pk")
    )
    # What rendering reads of each recipient, loaded for the batch: their profile (with
    # the recipients, above) and their choices of the categories they may turn off.
    choosing = [d.recipient for d in deliveries if d.recipient and _may_turn_off(d.kind)]
    if choosing:
        preferences_preload(choosing)
    return deliveries


def _may_turn_off(kind: str) -> bool:
    try:
        return get_category(get_kind(kind).category).unsubscribable
    except LookupError:
        return False  # rendering fails it and says why


def _hand_back(deliveries: list[Delivery], token: uuid.UUID) -> list[int]:
    """Release claims never tried: pending and due as before, the attempt not counted."""
    ids = [delivery.pk for delivery in deliveries]
    Delivery.objects.filter(pk__in=ids, claim_token=token, status=DeliveryStatus.SENDING).update(
        status=DeliveryStatus.PENDING,
        claim_token=None,
        claimed_at=None,
        attempts=F("attempts") - 1,
        updated_at=timezone.now(),
    )
    return ids


def deliveries_send(*, delivery_ids: list[int]) -> BatchReport:
    """Send the due ones among `delivery_ids` that nobody else holds. Safe to call twice."""
    started = monotonic()
    token = uuid.uuid4()
    deliveries = _claim_many(delivery_ids, token)
    report = BatchReport()
    report.outcomes["not_claimed"] = len(set(delivery_ids)) - len(deliveries)
    cutoff = claim_lease().total_seconds() / 4
    with claimed_sending(token) as (mailer, sent_log):
        for index, delivery in enumerate(deliveries):
            # The first message always goes, so a batch handed back still moves on.
            if index and monotonic() - started > cutoff:
                report.handed_back = _hand_back(deliveries[index:], token)
                break
            report.outcomes[send_claimed(delivery, token, mailer, sent_log)] += 1
    return report
