"""The surveys' planners, run by every sweep like programme's (see programme.planners):
the satisfaction survey some hours after a session, and campaigns whose time has come.
Running one twice records each message once.
"""

from datetime import datetime, timedelta

from django.conf import settings

from notifications.services import Planned, deliveries_schedule_many
from programme.emails import enrolment_intent
from programme.models import Attendance, Enrolment, EnrolmentStatus

from .emails import SURVEY_INVITATION
from .models import CampaignStatus, Decision, DecisionStatus, SurveyCampaign
from .roundtable_services import change_notices_plan
from .services import campaign_fan_out, campaign_remind, reminder_delay

# Sessions that ended longer ago than the survey delay plus this are not surveyed any more.
SURVEY_CATCH_UP = timedelta(days=2)
# Campaigns that went out longer ago than the reminder delay plus this get no reminder
# (those sent before reminders existed, or after the sweep stood still for days).
REMINDER_CATCH_UP = timedelta(days=3)


def survey_delay() -> timedelta:
    return timedelta(hours=settings.PROGRAMME_SURVEY_DELAY_HOURS)


def plan_survey_invitations(*, now: datetime) -> None:
    """Some hours after a session ended, its confirmed participants who were not marked
    absent, and have not answered yet, are invited to say how it went."""
    delay = survey_delay()
    rows = (
        Enrolment.objects.of_present_members()
        .filter(
            status=EnrolmentStatus.CONFIRMED,
            session__cancelled_at__isnull=True,
            session__ends_at__lte=now - delay,
            session__ends_at__gt=now - delay - SURVEY_CATCH_UP,
            feedback__isnull=True,
        )
        .exclude(attendance=Attendance.NO_SHOW)
        .order_by("pk")
        .values_list("pk", "user_id", "session__ends_at")
        .iterator(chunk_size=1000)
    )
    deliveries_schedule_many(
        kind=SURVEY_INVITATION,
        planned=(
            Planned(
                recipient_id=user_id,
                intent_key=enrolment_intent(enrolment_id),
                due_at=ends_at + delay,
                context={"enrolment_id": enrolment_id},
            )
            for enrolment_id, user_id, ends_at in rows
        ),
    )


def plan_campaigns(*, now: datetime) -> None:
    """Campaigns whose send time has come go out to their audience, in chunks."""
    due = SurveyCampaign.objects.filter(status=CampaignStatus.SCHEDULED, send_at__lte=now)
    for campaign_id in list(due.values_list("pk", flat=True)):
        campaign_fan_out(campaign_id=campaign_id, now=now)


# Published changes whose members are still to be told, looked at per sweep: a handful.
CHANGES_PER_SWEEP = 50


def plan_changes_done(*, now: datetime) -> None:
    """Changes published done whose members were not recorded yet (the task handed over
    at publication was lost, or items were linked since): record them now."""
    pending = Decision.objects.filter(
        published_at__isnull=False, status=DecisionStatus.DONE, notices_planned_at__isnull=True
    ).order_by("pk")
    for decision_id in list(pending.values_list("pk", flat=True)[:CHANGES_PER_SWEEP]):
        change_notices_plan(decision_id=decision_id, now=now)


def plan_campaign_reminders(*, now: datetime) -> None:
    """The reminder delay after a campaign went out, one reminder to each invited member
    who has not answered; campaign_remind marks the campaign so it runs once."""
    delay = reminder_delay()
    due = SurveyCampaign.objects.filter(
        status=CampaignStatus.SENT,
        reminded_at__isnull=True,
        sent_at__lte=now - delay,
        sent_at__gt=now - delay - REMINDER_CATCH_UP,
    )
    for campaign_id in list(due.values_list("pk", flat=True)):
        campaign_remind(campaign_id=campaign_id, now=now)
