"""Immediate e-mails about an enrolment: recorded in the service's transaction, sent once
it commits, never when it rolls back, and skipped when they lost their point."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format

from notifications.models import DeliveryStatus
from notifications.sending import send_inline, sweep
from programme import emails, services
from programme.models import EnrolmentStatus
from programme.planners import plan_session_reminders
from tests.programme.factories import ModuleFactory, SessionFactory
from tests.programme.helpers import deliveries, enrol, person

pytestmark = pytest.mark.django_db


def test_a_confirmed_seat_is_confirmed_by_email_once_the_enrolment_commits(
    django_capture_on_commit_callbacks,
):
    session = SessionFactory(module=ModuleFactory(title="Mieux dormir"))
    user = person()
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = enrol(session, user)
        # Recorded with the enrolment, not sent before it commits.
        assert deliveries(emails.ENROLMENT_CONFIRMED).get().status == DeliveryStatus.PENDING
        assert mail.outbox == []
    [delivery] = deliveries(emails.ENROLMENT_CONFIRMED)
    assert (delivery.intent_key, delivery.recipient) == (f"enrolment:{enrolment.pk}", user)
    assert delivery.status == DeliveryStatus.SENT
    [message] = mail.outbox
    assert message.to == [user.email]
    assert "Mieux dormir" in message.subject


def test_a_rolled_back_enrolment_sends_nothing(django_capture_on_commit_callbacks):
    session = SessionFactory()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        enrol(session, person())
        raise RuntimeError("the request failed after enrolling")
    assert callbacks == []
    assert not deliveries(emails.ENROLMENT_CONFIRMED).exists()
    assert mail.outbox == []


def test_a_double_click_sends_one_confirmation(django_capture_on_commit_callbacks):
    session, user = SessionFactory(), person()
    with django_capture_on_commit_callbacks(execute=True):
        enrol(session, user)
    with django_capture_on_commit_callbacks(execute=True):
        enrol(session, user)
    assert deliveries(emails.ENROLMENT_CONFIRMED).count() == 1
    assert len(mail.outbox) == 1


def test_a_full_session_acknowledges_the_waitlist_with_the_position(
    django_capture_on_commit_callbacks,
):
    session = SessionFactory(capacity=1)
    enrol(session, person())
    enrol(session, person())
    last = person()
    with django_capture_on_commit_callbacks(execute=True):
        queued = enrol(session, last)
    assert queued.status == EnrolmentStatus.WAITLISTED
    assert not deliveries(emails.ENROLMENT_CONFIRMED).filter(recipient=last).exists()
    [message] = mail.outbox
    assert message.to == [last.email]
    delivery = deliveries(emails.WAITLIST_JOINED).get(recipient=last)
    assert emails.build_waitlist(delivery)["position"] == 2


def test_a_freed_seat_goes_to_the_first_waiting_who_is_told_at_once(
    django_capture_on_commit_callbacks,
):
    session = SessionFactory(capacity=1)
    holder, first, second = person(), person(), person()
    seat = enrol(session, holder)
    waiting = enrol(session, first)
    enrol(session, second)
    with django_capture_on_commit_callbacks(execute=True):
        services.enrolment_cancel(enrolment_id=seat.pk, user=holder)
    [delivery] = deliveries(emails.WAITLIST_PROMOTED)
    assert delivery.intent_key == f"enrolment:{waiting.pk}"
    assert delivery.status == DeliveryStatus.SENT
    assert [m.to for m in mail.outbox] == [[first.email]]


def test_more_seats_promote_the_waitlist_and_tell_each_person(
    django_capture_on_commit_callbacks, manager_user
):
    session = SessionFactory(capacity=1)
    enrol(session, person())
    waiting = [person(), person(), person()]
    for user in waiting:
        enrol(session, user)
    with django_capture_on_commit_callbacks(execute=True):
        services.session_update(session_id=session.pk, capacity=3, actor=manager_user)
    promoted = deliveries(emails.WAITLIST_PROMOTED)
    assert {d.recipient for d in promoted} == set(waiting[:2])
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in waiting[:2])


def test_a_waitlist_acknowledgement_not_sent_yet_is_skipped_once_promoted():
    session = SessionFactory(capacity=1)
    holder, waiting = person(), person()
    seat = enrol(session, holder)
    enrol(session, waiting)
    services.enrolment_cancel(enrolment_id=seat.pk, user=holder)
    sweep(dispatch=send_inline)
    acknowledgement = deliveries(emails.WAITLIST_JOINED).get()
    assert acknowledgement.status == DeliveryStatus.SKIPPED
    assert "waitlist" in acknowledgement.skip_reason
    assert deliveries(emails.WAITLIST_PROMOTED).get().status == DeliveryStatus.SENT


def test_the_organiser_cancelling_tells_everyone_and_drops_their_reminders(
    django_capture_on_commit_callbacks, manager_user, time_machine
):
    session = SessionFactory(capacity=1, starts_at=timezone.now() + timedelta(hours=30))
    seated, waiting, gone = person(), person(), person()
    enrol(session, seated)
    enrol(session, waiting)
    left = enrol(session, gone)
    services.enrolment_cancel(enrolment_id=left.pk, user=gone)
    # A day before, the sweep records the reminder; it has not gone out yet.
    time_machine.move_to(session.starts_at - timedelta(hours=20), tick=False)
    plan_session_reminders(now=timezone.now())
    [reminder] = deliveries(emails.REMINDER_DAY)
    assert reminder.recipient == seated

    with django_capture_on_commit_callbacks(execute=True):
        services.session_cancel(
            session_id=session.pk, reason="Formatrice malade", actor=manager_user
        )

    notices = deliveries(emails.SESSION_CANCELLED)
    assert {d.recipient for d in notices} == {seated, waiting}
    assert {d.status for d in notices} == {DeliveryStatus.SENT}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([seated.email, waiting.email])
    assert all("Formatrice malade" in m.body for m in mail.outbox)
    reminder.refresh_from_db()
    assert reminder.status == DeliveryStatus.CANCELLED
    # Whatever the sweep finds later, nothing is reminded for a cancelled session.
    plan_session_reminders(now=timezone.now())
    assert deliveries(emails.REMINDER_DAY).count() == 1


def move(session, *, by: timedelta, actor, **fields):
    start = session.starts_at + by
    services.session_update(
        session_id=session.pk,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        actor=actor,
        **fields,
    )


def test_a_new_time_is_told_to_everyone_holding_or_awaiting_a_seat(
    django_capture_on_commit_callbacks, manager_user
):
    session = SessionFactory(capacity=1)
    seated, waiting, gone = person(), person(), person()
    enrol(session, seated)
    enrol(session, waiting)
    left = enrol(session, gone)
    services.enrolment_cancel(enrolment_id=left.pk, user=gone)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        move(session, by=timedelta(days=2), actor=manager_user)

    notices = deliveries(emails.SESSION_CHANGED)
    assert {d.recipient for d in notices} == {seated, waiting}
    assert {d.status for d in notices} == {DeliveryStatus.SENT}
    with translation.override("fr"):
        new_day = date_format(timezone.localtime(session.starts_at + timedelta(days=2)), "j F")
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert set(bodies) == {seated.email, waiting.email}
    assert all(m.subject.endswith(new_day) for m in mail.outbox)
    # The person waiting is told they still wait, not that a seat is kept for them.
    assert "calendar.ics" in bodies[seated.email]
    assert "calendar.ics" not in bodies[waiting.email]


def test_changes_that_leave_the_time_and_place_alone_tell_nobody(manager_user):
    # A new join link is news (test_change_notices); the capacity is not.
    session = SessionFactory(capacity=5)
    enrol(session, person())
    services.session_update(session_id=session.pk, capacity=10, actor=manager_user)
    # The same start given in another time zone is the same start.
    same = timezone.localtime(session.starts_at)
    services.session_update(session_id=session.pk, starts_at=same, actor=manager_user)
    assert not deliveries(emails.SESSION_CHANGED).exists()


def test_a_session_moved_twice_before_the_worker_runs_is_told_once_at_its_latest_time(
    manager_user,
):
    session = SessionFactory()
    user = person()
    enrol(session, user)
    move(session, by=timedelta(hours=1), actor=manager_user)
    move(session, by=timedelta(hours=2), actor=manager_user)
    sweep(dispatch=send_inline)
    first, latest = deliveries(emails.SESSION_CHANGED)
    assert first.intent_key != latest.intent_key
    assert first.status == DeliveryStatus.SKIPPED
    assert "changed again" in first.skip_reason
    assert latest.status == DeliveryStatus.SENT
    latest_time = timezone.localtime(session.starts_at + timedelta(hours=2)).strftime("%H:%M")
    [notice] = [
        m for m in mail.outbox if f"<delivery.{latest.pk}." in m.extra_headers["Message-ID"]
    ]
    assert latest_time in notice.body
    assert len(mail.outbox) == 2  # the enrolment's confirmation and the latest change


def test_a_past_session_corrected_afterwards_tells_nobody(manager_user, time_machine):
    session = SessionFactory()
    enrol(session, person())
    time_machine.move_to(session.ends_at + timedelta(days=1), tick=False)
    move(session, by=timedelta(minutes=-30), actor=manager_user)
    assert not deliveries(emails.SESSION_CHANGED).exists()
