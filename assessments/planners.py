"""What the re-assessment invitations derive from the data at each sweep (notifications
calls every planner about once a minute).

Plans are read in bounded batches by primary key, never all at once: the membership is
large. Each batch, in one transaction, locks its plans, records one delivery per plan
and due date, and moves the plans on by one interval, so the next sweep does not offer
them again. The intent key ("plan:<id>:<due date>") makes a second sweep, or two at
once, record each invitation once.
"""

from datetime import date, datetime, time

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from notifications.services import Planned, deliveries_schedule_many

from .emails import REASSESSMENT_INVITATION, invitation_intent
from .models import ReassessmentPlan
from .selectors import reassessment_plans_due
from .services import reassessment_invitations_record

# Invitations leave in the morning (Brussels time), not at the minute a date turns.
SEND_AT = time(10, 0)


def invitation_due_at(due_on: date, now: datetime) -> datetime:
    """The due day's morning, or now when that has passed (a date missed while the
    member had invitations turned off goes out as soon as they turn them back on)."""
    return max(timezone.make_aware(datetime.combine(due_on, SEND_AT)), now)


def plan_reassessment_invitations(*, now: datetime, batch_size: int | None = None) -> int:
    """Schedule the invitations that came due; returns how many plans were invited.

    At most NOTIFICATIONS_SWEEP_MAX_BATCHES batches per sweep: the plans left over are
    still due at the next sweep, a minute later.
    """
    size = batch_size or settings.NOTIFICATIONS_FAN_OUT_CHUNK_SIZE
    today = timezone.localdate(now)
    invited, last_pk = 0, 0
    for _batch in range(settings.NOTIFICATIONS_SWEEP_MAX_BATCHES):
        with transaction.atomic():
            plans = _take_batch(today=today, after_pk=last_pk, size=size)
            if not plans:
                break
            deliveries_schedule_many(
                kind=REASSESSMENT_INVITATION,
                planned=[
                    Planned(
                        plan.user_id,
                        invitation_intent(plan.pk, plan.next_due_on),
                        invitation_due_at(plan.next_due_on, now),
                        {"plan_id": plan.pk, "due_on": plan.next_due_on.isoformat()},
                    )
                    for plan in plans
                ],
                chunk_size=size,
            )
            reassessment_invitations_record(plans=plans, on=today)
        invited += len(plans)
        last_pk = plans[-1].pk
        if len(plans) < size:
            break
    return invited


def _take_batch(*, today: date, after_pk: int, size: int) -> list[ReassessmentPlan]:
    # skip_locked: a plan another sweep holds is that sweep's to invite.
    return list(
        reassessment_plans_due(today)
        .filter(pk__gt=after_pk)
        .order_by("pk")
        .only("pk", "user_id", "interval_days", "next_due_on", "last_invited_for")
        .select_for_update(skip_locked=True, of=("self",))[:size]
    )
