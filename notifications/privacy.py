"""What the message log and the message preferences hold about a person: their part of
the data file, erasure and the retention limit of the log.

notifications imports no domain app, so members registers these (members.apps).
"""

import operator
from datetime import datetime, timedelta
from functools import reduce

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Q
from django.utils import timezone

from . import registry
from .models import Delivery, DeliveryStatus, MessagePreference

# What identifies the person or says what the message was about.
PERSONAL_FIELDS = {"address": "", "subject": "", "last_error": ""}
_HAS_PERSONAL = reduce(operator.or_, (Q(**{f"{name}__gt": ""}) for name in PERSONAL_FIELDS))
# Messages whose fate is settled; one waiting or being sent still needs its row as it is.
DONE = [
    DeliveryStatus.SENT,
    DeliveryStatus.FAILED,
    DeliveryStatus.SKIPPED,
    DeliveryStatus.CANCELLED,
]


def export_member(user) -> list[dict]:
    """Every message the portal recorded for the person (one query)."""
    rows = (
        Delivery.objects.filter(recipient=user)
        .order_by("created_at", "pk")
        .values("kind", "status", "subject", "address", "language", "due_at", "sent_at")
    )
    return [
        {
            "message": str(registry.kind_label(row["kind"])),
            "kind": row["kind"],
            "status": DeliveryStatus(row["status"]).label,
            "due_at": row["due_at"],
            "sent_at": row["sent_at"],
            "sent_to": row["address"],
            "subject": row["subject"],
            "language": row["language"],
        }
        for row in rows
    ]


def export_preferences(user: AbstractBaseUser) -> list[dict]:
    """Whether the person receives each kind of message they can turn off, and when
    they chose, or that they never did and it is the default (one query)."""
    chosen = {
        row.category: row
        for row in MessagePreference.objects.filter(user_id=user.pk).order_by("category", "pk")
    }
    rows = []
    for code, category in registry.categories().items():
        if not category.unsubscribable:
            continue
        choice = chosen.pop(code, None)
        rows.append(
            {
                "messages": str(category.label),
                "category": code,
                "receives": category.default if choice is None else choice.enabled,
                "chosen_at": choice.updated_at if choice else None,
            }
        )
    # A choice for a category no app registers any more is still the person's data.
    rows += [
        {"messages": code, "category": code, "receives": row.enabled, "chosen_at": row.updated_at}
        for code, row in chosen.items()
    ]
    return rows


def erase_member(user) -> None:
    """Nothing more goes out to the person; what went out no longer says to whom or what;
    their choices of messages go."""
    now = timezone.now()
    MessagePreference.objects.filter(user=user).delete()
    Delivery.objects.filter(recipient=user, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.CANCELLED, updated_at=now
    )
    Delivery.objects.filter(recipient=user).filter(_HAS_PERSONAL).update(
        **PERSONAL_FIELDS, updated_at=now
    )


def retire_old_deliveries(*, now: datetime, limit: int) -> int:
    """Messages older than the retention limit: those sent leave the log (it stays the
    size of the retention period, not of every message ever sent); the others (failed,
    skipped, cancelled) keep their kind, status and dates but no longer the address,
    subject or error. Returns how many rows it handled."""
    cutoff = now - timedelta(days=settings.RETENTION_DELIVERY_DAYS)
    # Status and due time: the sweep's index (status, due_at) finds them.
    batch = list(
        Delivery.objects.filter(status__in=DONE, due_at__lt=cutoff)
        .filter(Q(status=DeliveryStatus.SENT) | _HAS_PERSONAL)
        .order_by()
        .values_list("pk", "status")[:limit]
    )
    if not batch:
        return 0
    sent = [pk for pk, status in batch if status == DeliveryStatus.SENT]
    others = [pk for pk, status in batch if status != DeliveryStatus.SENT]
    if sent:
        Delivery.objects.filter(pk__in=sent).delete()
    if others:
        Delivery.objects.filter(pk__in=others).update(**PERSONAL_FIELDS, updated_at=now)
    return len(batch)
