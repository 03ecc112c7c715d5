"""Counting the openings of partners' digital tools (models.tool_use): one number per
tool and month, never who opened it."""

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from ..models import Module, ToolOpening


def tool_opened(*, module: Module, day: date | None = None) -> None:
    """Add one to the tool's count for the month of `day` (today in Brussels).

    Two openings at once must both count: the count is raised in the database
    (count + 1), and the month's first opening creates the row in a savepoint; if another
    request created it in between, the unique constraint refuses ours and we raise theirs.
    """
    month = (day or timezone.localdate()).replace(day=1)
    this_month = ToolOpening.objects.filter(module=module, month=month)
    with transaction.atomic():
        if this_month.update(count=F("count") + 1):
            return
        try:
            with transaction.atomic():
                ToolOpening.objects.create(module=module, month=month, count=1)
        except IntegrityError:
            this_month.update(count=F("count") + 1)
