"""What the listening cell's e-mails derive from the data at each sweep (notifications
calls every planner about once a minute). Each message has an intent key, so a sweep
that runs twice, or two at once, records it once."""

from datetime import datetime, time

from django.conf import settings
from django.utils import timezone

from common.belgium import BRUSSELS
from notifications.services import Planned, deliveries_schedule_many

from . import selectors
from .deadlines import is_working_day
from .emails import ADVISOR_DIGEST, CASE_OVERDUE, digest_intent, overdue_intent


def plan_overdue_alerts(*, now: datetime) -> None:
    """One alert per overdue case and advisor concerned, due when the deadline passed."""
    deliveries_schedule_many(
        kind=CASE_OVERDUE,
        planned=(
            Planned(advisor_id, overdue_intent(case_id, advisor_id), due, {"case_id": case_id})
            for case_id, advisor_id, due in selectors.overdue_alert_targets(now)
        ),
    )


def digest_time() -> time:
    """REFERRALS_DIGEST_TIME ("HH:MM", Brussels time); referrals.checks validates it."""
    return time.fromisoformat(settings.REFERRALS_DIGEST_TIME)


def plan_advisor_digests(*, now: datetime) -> None:
    """On Belgian working days, from the digest time on, one digest per active advisor.

    Whether there is anything to say is decided once, when it is sent: a case that
    arrives later that day does not turn the digest into a second alert.
    """
    today = timezone.localdate(now, BRUSSELS)
    if not is_working_day(today):
        return
    due_at = datetime.combine(today, digest_time(), tzinfo=BRUSSELS)
    if now < due_at:
        return
    deliveries_schedule_many(
        kind=ADVISOR_DIGEST,
        planned=(
            Planned(
                advisor_id, digest_intent(today, advisor_id), due_at, {"day": today.isoformat()}
            )
            for advisor_id in selectors.advisors().values_list("pk", flat=True)
        ),
    )
