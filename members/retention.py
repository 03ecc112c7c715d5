"""Retention limits, enforced by every app's registered steps (common.privacy).

Each step handles one bounded batch per transaction; the runner calls it again while
it fills whole batches, up to RETENTION_MAX_BATCHES, and the rest waits for the next
run. A step only picks rows it has not handled yet, so running twice changes nothing.
"""

import logging
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from common import privacy

logger = logging.getLogger(__name__)


def retention_enforce(
    *, now: datetime | None = None, batch_size: int | None = None, max_batches: int | None = None
) -> dict[str, int | None]:
    """Run every retention step; returns how many rows each handled (None: it failed,
    which is logged and does not stop the others)."""
    now = now or timezone.now()
    size = batch_size or settings.RETENTION_BATCH_SIZE
    most = max_batches or settings.RETENTION_MAX_BATCHES
    report: dict[str, int | None] = {}
    for name, step in privacy.retention_steps().items():
        total = 0
        try:
            for _batch in range(most):
                with transaction.atomic():
                    handled = step(now=now, limit=size)
                total += handled
                if handled < size:
                    break
        except Exception:
            logger.exception("Retention step %s failed; the others go on.", name)
            report[name] = None
            continue
        report[name] = total
    return report
