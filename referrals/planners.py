"""What the listening cell's e-mails derive from the data at each sweep (notifications
calls every planner about once a minute). Each message has an intent key, so a sweep
that runs twice, or two at once, records it once."""

from datetime import datetime, time

from django.conf import settings
from django.utils import timezone

from common.belgium import BRUSSELS
from notifications.services import Planned, deliveries_schedule_many

from . import selectors
from .callback_emails import CALLBACK_REMINDER, callback_intent, callback_time_key
from .deadlines import add_working_days, is_working_day
from .emails import ADVISOR_DIGEST, CASE_OVERDUE, digest_intent, overdue_intent
from .partner_emails import (
    MEMBER_QUESTION,
    PARTNER_REMINDER,
    PARTNER_SILENT,
    member_intent,
    reminder_intent,
    silent_intent,
)


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


def working_days_after(at: datetime, days: int) -> datetime:
    """The same Brussels time of day, `days` Belgian working days after `at`."""
    local = at.astimezone(BRUSSELS)
    return datetime.combine(add_working_days(local.date(), days), local.time(), tzinfo=BRUSSELS)


def plan_partner_follow_ups(*, now: datetime) -> None:
    """A partner that has not answered a referral after N working days gets one reminder;
    after N more, the advisor holding the case gets an alert. Each intent once."""
    days = settings.REFERRALS_PARTNER_REMINDER_WORKING_DAYS
    reminders: list[Planned] = []
    alerts: list[Planned] = []
    for referral_id, advisor_id, sent_at in selectors.unanswered_referrals(now):
        if advisor_id is None:
            continue
        context = {"referral_id": referral_id}
        remind_at = working_days_after(sent_at, days)
        if remind_at <= now:
            # On behalf of the advisor holding the case, to the partner's address.
            reminders.append(Planned(advisor_id, reminder_intent(referral_id), remind_at, context))
        alert_at = working_days_after(sent_at, 2 * days)
        if alert_at <= now:
            alerts.append(
                Planned(advisor_id, silent_intent(referral_id, advisor_id), alert_at, context)
            )
    deliveries_schedule_many(kind=PARTNER_REMINDER, planned=reminders)
    deliveries_schedule_many(kind=PARTNER_SILENT, planned=alerts)


def plan_member_questions(*, now: datetime) -> None:
    """A few days after a referral, one question to the member: did you reach the partner,
    did it help? Once per referral, while the member has not answered on their page."""
    deliveries_schedule_many(
        kind=MEMBER_QUESTION,
        planned=(
            Planned(member_id, member_intent(referral_id), due, {"referral_id": referral_id})
            for referral_id, member_id, due in selectors.referrals_to_ask_member(now)
        ),
    )


def plan_callback_reminders(*, now: datetime) -> None:
    """One reminder to the advisor holding the case when a call-back's time comes."""
    deliveries_schedule_many(
        kind=CALLBACK_REMINDER,
        planned=(
            Planned(
                advisor_id,
                callback_intent(callback_id, at, advisor_id),
                at,
                {"callback_id": callback_id, "at": callback_time_key(at)},
            )
            for callback_id, advisor_id, at in selectors.callback_reminder_targets(now)
        ),
    )
