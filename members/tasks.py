"""Celery tasks of members: thin, safe to run twice."""

import logging

from celery import shared_task

from .retention import retention_enforce

logger = logging.getLogger(__name__)


@shared_task(name="members.enforce_retention", ignore_result=True)
def enforce_retention() -> dict:
    report = retention_enforce()
    logger.info("Retention: %s", report)
    return report
