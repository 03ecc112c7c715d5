"""On PostgreSQL, at the same moment: sweeps that plan and send the same reminder, fan out
the same campaign, and people sending the same survey answer twice."""

from datetime import timedelta

from django.core import mail
from django.utils import timezone

from notifications.models import DeliveryStatus
from notifications.sending import send_inline, sweep
from notifications.services import preference_set
from programme import emails as programme_emails
from surveys import emails
from surveys.models import CampaignStatus, SessionFeedback, SurveyCampaign
from surveys.planners import plan_campaigns
from surveys.services import (
    AlreadyAnswered,
    QuestionSpec,
    campaign_create,
    feedback_submit,
)
from tests.concurrency import POSTGRES_ONLY, at_once, failures
from tests.programme.factories import EnrolmentFactory, SessionFactory
from tests.programme.helpers import deliveries, enrol, person

pytestmark = POSTGRES_ONLY

THREADS = 6


def test_concurrent_sweeps_send_a_reminder_once(own_connections, time_machine):
    session = SessionFactory(starts_at=timezone.now() + timedelta(days=2))
    user = person()
    enrol(session, user)
    time_machine.move_to(session.starts_at - timedelta(hours=23), tick=False)
    mail.outbox.clear()
    results = at_once(lambda n: sweep(dispatch=send_inline), range(THREADS))
    assert failures(results) == []
    reminder = deliveries(programme_emails.REMINDER_DAY).get()
    assert reminder.status == DeliveryStatus.SENT and reminder.attempts == 1
    sent = [m for m in mail.outbox if f"<delivery.{reminder.pk}." in m.extra_headers["Message-ID"]]
    assert len(sent) == 1


def test_concurrent_sweeps_fan_a_campaign_out_once(own_connections, settings):
    settings.NOTIFICATIONS_FAN_OUT_CHUNK_SIZE = 4
    readers = [person() for _ in range(11)]
    for user in readers:
        preference_set(user=user, category="programme_news", enabled=True)
    campaign = campaign_create(
        title="Votre avis",
        intro="Deux minutes.",
        audience="all",
        questions=[QuestionSpec("Utile ?", "scale")],
        schedule=True,
    )
    results = at_once(lambda n: plan_campaigns(now=timezone.now()), range(THREADS))
    assert failures(results) == []
    invitations = deliveries(emails.CAMPAIGN_INVITATION)
    assert invitations.count() == len(readers)
    assert {d.recipient_id for d in invitations} == {u.pk for u in readers}
    campaign = SurveyCampaign.objects.get(pk=campaign.pk)
    assert (campaign.status, campaign.invited_count) == (CampaignStatus.SENT, len(readers))


def test_the_same_answer_sent_at_once_is_kept_once(own_connections):
    ends = timezone.now() - timedelta(hours=4)
    session = SessionFactory(starts_at=ends - timedelta(hours=1), ends_at=ends)
    enrolment = EnrolmentFactory(session=session, user=person())
    results = at_once(
        lambda n: feedback_submit(
            enrolment_id=enrolment.pk, usefulness=1 + n % 5, quality=4, recommend=n
        ),
        range(THREADS),
    )
    kept = [r for r in results if isinstance(r, SessionFeedback)]
    refused = [r for r in results if isinstance(r, AlreadyAnswered)]
    assert len(kept) == 1 and len(refused) == THREADS - 1, results
    assert SessionFeedback.objects.count() == 1
