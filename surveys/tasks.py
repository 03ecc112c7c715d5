"""Celery tasks for surveys: thin, they take ids, and running one twice does no harm."""

from celery import shared_task
from django.utils import timezone

from .feedback_services import feedback_reply_send
from .roundtable_services import change_notices_plan


@shared_task(name="surveys.send_feedback_reply", ignore_result=True)
def send_feedback_reply(item_id: int) -> bool:
    return feedback_reply_send(item_id=item_id)


@shared_task(name="surveys.plan_change_notices", ignore_result=True)
def plan_change_notices(decision_id: int) -> int:
    """Record the messages telling members that a change they asked for was made; the
    sweep sends them. The planner plan_changes_done does it too, should this be lost."""
    return change_notices_plan(decision_id=decision_id, now=timezone.now())
