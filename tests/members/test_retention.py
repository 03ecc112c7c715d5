"""Retention limits: each app's step, once a limit has passed (time-machine), bounded
batches, a second run that finds nothing to do, the nightly job and the command."""

import io
from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from common import privacy
from members.models import User
from members.retention import retention_enforce
from members.tasks import enforce_retention
from notifications.models import Delivery, DeliveryStatus
from referrals.choices import CaseStatus, EventKind, Outcome
from referrals.models import Case, CaseAccess, CaseEvent
from referrals.services import access_record
from tests.factories import UserFactory, member
from tests.referrals.factories import CaseFactory

pytestmark = pytest.mark.django_db

START = timezone.make_aware(timezone.datetime(2026, 3, 2, 10, 0))
STEPS = {
    "members.expired_sessions",
    "members.old_invitations",
    "members.edit_history",
    "members.unverified_accounts",
    "notifications.old_deliveries",
    "referrals.closed_cases",
    "referrals.access_log",
    "surveys.feedback_reply_emails",
}


def days_later(days: int):
    return time_machine.travel(START + timedelta(days=days), tick=False)


def delivery(user, n: int, *, status=DeliveryStatus.SENT) -> Delivery:
    return Delivery.objects.create(
        recipient=user,
        kind="programme.enrolment_confirmed",
        intent_key=f"retention:{n}",
        due_at=timezone.now(),
        status=status,
        sent_at=timezone.now() if status == DeliveryStatus.SENT else None,
        subject="Votre place est confirmée",
        address=user.email,
        last_error="",
    )


def test_every_limit_has_its_step_and_the_nightly_job_runs_them():
    assert set(privacy.retention_steps()) == STEPS
    job = settings.CELERY_BEAT_SCHEDULE["members-enforce-retention"]
    assert job["task"] == "members.enforce_retention"
    assert enforce_retention.name == "members.enforce_retention"


def test_deliveries_sent_leave_the_log_after_180_days_and_others_lose_their_address(
    member_user,
):
    with days_later(0):
        old = delivery(member_user, 1)
        failed = delivery(member_user, 4, status=DeliveryStatus.FAILED)
        waiting = delivery(member_user, 2, status=DeliveryStatus.PENDING)
    with days_later(100):
        recent = delivery(member_user, 3)
    with days_later(181):
        assert retention_enforce()["notifications.old_deliveries"] == 2
        assert retention_enforce()["notifications.old_deliveries"] == 0  # nothing left to do
    # The log stays the size of the retention period, not of every message ever sent.
    assert not Delivery.objects.filter(pk=old.pk).exists()
    failed.refresh_from_db()
    assert (failed.address, failed.subject, failed.status) == ("", "", "failed")
    for kept in (recent, waiting):
        kept.refresh_from_db()
        assert kept.address == member_user.email


def test_closed_cases_are_anonymised_after_two_years(advisor_user):
    with days_later(0):
        old = CaseFactory(
            status=CaseStatus.CLOSED,
            assigned_to=advisor_user,
            outcome=Outcome.HANDLED,
            closed_at=timezone.now(),
            needs=["sleep"],
        )
        CaseEvent.objects.create(case=old, kind=EventKind.NOTE, actor=advisor_user, body="Note")
        still_open = CaseFactory(status=CaseStatus.IN_PROGRESS, assigned_to=advisor_user)
    with days_later(400):
        recent = CaseFactory(
            status=CaseStatus.CLOSED,
            assigned_to=advisor_user,
            outcome=Outcome.DECLINED,
            closed_at=timezone.now(),
        )
    with days_later(731):
        assert retention_enforce()["referrals.closed_cases"] == 1
        assert retention_enforce()["referrals.closed_cases"] == 0
    old.refresh_from_db()
    assert (old.member, old.message, old.contact_phone, old.contact_email) == (None, "", "", "")
    assert (old.outcome, list(old.needs.values_list("need", flat=True))) == (
        "handled_by_cell",
        ["sleep"],
    )
    assert old.events.get(kind=EventKind.NOTE).body == ""
    assert old.events.get(kind=EventKind.ANONYMISED).data == {"reason": "retention"}
    for kept in (recent, still_open):
        kept.refresh_from_db()
        assert kept.message and kept.member is not None


def test_the_access_log_keeps_reads_five_years(advisor_user):
    with days_later(0):
        case = CaseFactory()
        old = access_record(case=case, user=advisor_user, subject="case")
    with days_later(1000):
        recent = access_record(case=case, user=advisor_user, subject="case")
    with days_later(1827):
        assert retention_enforce()["referrals.access_log"] == 1
        assert retention_enforce()["referrals.access_log"] == 0
    assert list(CaseAccess.objects.values_list("pk", flat=True)) == [recent.pk]
    assert old.pk != recent.pk and Case.objects.filter(pk=case.pk).exists()


def test_unconfirmed_sign_ups_go_after_30_days():
    with days_later(0):
        unconfirmed = UserFactory(verified=False)
        EmailAddress.objects.create(user=unconfirmed, email=unconfirmed.email, verified=False)
        confirmed = member()
        # An account an administrator made, without any address record, is not a sign-up.
        made_by_admin = UserFactory(verified=False)
        staff_unconfirmed = UserFactory(verified=False, is_staff=True)
        EmailAddress.objects.create(user=staff_unconfirmed, email=staff_unconfirmed.email)
    with days_later(25):
        young = UserFactory(verified=False)
        EmailAddress.objects.create(user=young, email=young.email, verified=False)
    with days_later(31):
        assert retention_enforce()["members.unverified_accounts"] == 1
        assert retention_enforce()["members.unverified_accounts"] == 0
    remaining = set(User.objects.values_list("pk", flat=True))
    assert unconfirmed.pk not in remaining
    assert {confirmed.pk, made_by_admin.pk, staff_unconfirmed.pk, young.pk} <= remaining


def test_batches_are_bounded_and_the_rest_waits_for_the_next_run(member_user):
    with days_later(0):
        for n in range(5):
            delivery(member_user, n)
    with days_later(200):
        report = retention_enforce(batch_size=2, max_batches=2)
        assert report["notifications.old_deliveries"] == 4
        assert Delivery.objects.exclude(address="").count() == 1
        assert retention_enforce(batch_size=2, max_batches=2)["notifications.old_deliveries"] == 1
    assert not Delivery.objects.exclude(address="").exists()


def test_limits_come_from_the_settings(settings, member_user):
    settings.RETENTION_DELIVERY_DAYS = 10
    with days_later(0):
        delivery(member_user, 1)
    with days_later(11):
        assert retention_enforce()["notifications.old_deliveries"] == 1


def test_a_failing_step_is_reported_and_the_others_run(member_user):
    def broken(*, now, limit):
        raise RuntimeError("lock timeout")

    privacy.register_retention("broken", broken)
    try:
        with days_later(0):
            delivery(member_user, 1)
        with days_later(200):
            report = retention_enforce()
    finally:
        privacy.unregister(retention="broken")
    assert report["broken"] is None
    assert report["notifications.old_deliveries"] == 1


def test_the_command_runs_it_once(member_user):
    with days_later(0):
        delivery(member_user, 1)
    out = io.StringIO()
    with days_later(200):
        call_command("enforce_retention", stdout=out)
    assert "notifications.old_deliveries: 1" in out.getvalue()
    assert not Delivery.objects.exclude(address="").exists()


def test_the_command_fails_loudly_when_a_step_fails():
    def broken(*, now, limit):
        raise RuntimeError("lock timeout")

    privacy.register_retention("broken", broken)
    try:
        with pytest.raises(CommandError):
            call_command("enforce_retention", stdout=io.StringIO())
    finally:
        privacy.unregister(retention="broken")


def test_the_nightly_task_runs_the_steps(member_user):
    with days_later(0):
        delivery(member_user, 1)
    with days_later(200):
        # Run here, as the embedded mode runs it. Once a test of this process has started
        # a Celery worker, Celery takes any .get() for a call from inside a task and
        # refuses it; this one blocks on nothing.
        report = enforce_retention.apply().get(disable_sync_subtasks=False)
    assert report["notifications.old_deliveries"] == 1


def test_expired_sessions_leave_the_database(client, member_user):
    """Django keeps a session row, which says who was logged in, until someone runs
    clearsessions: the nightly job does it, in bounded batches."""
    from django.contrib.sessions.models import Session
    from django.test import Client

    with days_later(0):
        client.force_login(member_user)
        old = client.session.session_key
    with days_later(settings.SESSION_COOKIE_AGE // 86400 - 1):
        other_device = Client()
        other_device.force_login(member_user)
        young = other_device.session.session_key
    with days_later(settings.SESSION_COOKIE_AGE // 86400 + 1):
        assert retention_enforce(batch_size=1)["members.expired_sessions"] == 1
        assert retention_enforce()["members.expired_sessions"] == 0
    assert set(Session.objects.values_list("session_key", flat=True)) == {young}
    assert old != young
