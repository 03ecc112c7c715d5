"""What the message log holds about a person: their part of the data file, erasure and
the retention limit of addresses and subjects.

notifications imports no domain app, so members registers these (members.apps).
"""

import operator
from datetime import datetime, timedelta
from functools import reduce

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from . import registry
from .models import CategoryOptOut, Delivery, DeliveryStatus

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


def export_opt_outs(user) -> list[dict]:
    """The kinds of message the person turned off that have no switch in their profile
    (the profile's switches are in the account's part). One query."""
    categories = registry.categories()
    return [
        {
            "messages": str(categories[row.category].label)
            if row.category in categories
            else row.category,
            "turned_off_at": row.created_at,
        }
        for row in CategoryOptOut.objects.filter(user=user).order_by("created_at", "pk")
    ]


def erase_member(user) -> None:
    """Nothing more goes out to the person; what went out no longer says to whom or what."""
    now = timezone.now()
    Delivery.objects.filter(recipient=user, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.CANCELLED, updated_at=now
    )
    Delivery.objects.filter(recipient=user).filter(_HAS_PERSONAL).update(
        **PERSONAL_FIELDS, updated_at=now
    )


def blank_old_deliveries(*, now: datetime, limit: int) -> int:
    """Messages older than the retention limit keep their kind, status and dates (the
    sending statistics) but no longer the address, subject or error."""
    cutoff = now - timedelta(days=settings.RETENTION_DELIVERY_DAYS)
    # Status and due time: the sweep's index (status, due_at) finds them.
    batch = list(
        Delivery.objects.filter(status__in=DONE, due_at__lt=cutoff)
        .filter(_HAS_PERSONAL)
        .order_by()
        .values_list("pk", flat=True)[:limit]
    )
    if not batch:
        return 0
    return Delivery.objects.filter(pk__in=batch).update(**PERSONAL_FIELDS, updated_at=now)
