"""Session reminders the day before and the hour before, planned by the sweep."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from notifications.models import DeliveryStatus
from notifications.sending import delivery_send, send_inline, sweep
from notifications.services import preference_set
from programme import emails, services
from programme.models import Enrolment, EnrolmentStatus
from programme.planners import plan_session_reminders
from tests.programme.factories import ModuleFactory, SessionFactory
from tests.programme.helpers import deliveries, enrol, person, render

pytestmark = pytest.mark.django_db

JOIN = "https://visio.example.org/stress-42"
BRUSSELS = ZoneInfo("Europe/Brussels")


@pytest.fixture
def session(time_machine):
    """A webinar in three days, with a member enrolled now; the clock is then moved.

    Now is a fixed June morning: three days on, no clock change moves the day before."""
    time_machine.move_to(datetime(2030, 6, 3, 9, 0, tzinfo=BRUSSELS), tick=False)
    return SessionFactory(
        module=ModuleFactory(title="Stress d'entrepreneur", format="webinar"),
        starts_at=timezone.now() + timedelta(days=3),
        join_url=JOIN,
    )


def sent_for(delivery):
    return [m for m in mail.outbox if f"<delivery.{delivery.pk}." in m.extra_headers["Message-ID"]]


def at(time_machine, moment):
    time_machine.move_to(moment, tick=False)
    return moment


def test_the_day_before_reminder_is_recorded_once_however_often_the_sweep_runs(
    session, time_machine
):
    enrolment = enrol(session, person())
    now = at(time_machine, session.starts_at - timedelta(hours=23))
    plan_session_reminders(now=now)
    plan_session_reminders(now=now)
    at(time_machine, now + timedelta(minutes=1))
    plan_session_reminders(now=timezone.now())
    [reminder] = deliveries(emails.REMINDER_DAY)
    assert reminder.due_at == session.starts_at - timedelta(hours=24)
    assert reminder.context == {
        "enrolment_id": enrolment.pk,
        "starts_at": session.starts_at.isoformat(),
    }
    assert not deliveries(emails.REMINDER_HOUR).exists()


@pytest.mark.parametrize(
    ("starts", "hours_ahead"),
    [
        # Clocks go forward in the night of Saturday to Sunday 31 March 2030…
        (datetime(2030, 3, 31, 10, 0, tzinfo=BRUSSELS), 23),
        # …and back in the night of Saturday to Sunday 27 October 2030.
        (datetime(2030, 10, 27, 10, 0, tzinfo=BRUSSELS), 25),
    ],
    ids=["clocks-forward", "clocks-back"],
)
def test_the_day_before_is_the_same_belgian_time_when_the_clocks_change(
    time_machine, starts, hours_ahead
):
    at(time_machine, starts - timedelta(days=4))
    enrol(SessionFactory(starts_at=starts, ends_at=starts + timedelta(hours=2)), person())
    # In UTC: arithmetic on a Brussels datetime would move its wall-clock time instead.
    due = starts.astimezone(UTC) - timedelta(hours=hours_ahead)
    plan_session_reminders(now=at(time_machine, due - timedelta(minutes=1)))
    assert not deliveries(emails.REMINDER_DAY).exists()
    plan_session_reminders(now=at(time_machine, due))
    [reminder] = deliveries(emails.REMINDER_DAY)
    assert reminder.due_at == due
    assert timezone.localtime(reminder.due_at, BRUSSELS).strftime("%a %H:%M") == "Sat 10:00"
    sweep(dispatch=send_inline)
    reminder.refresh_from_db()
    assert reminder.status == DeliveryStatus.SENT


def test_two_sweeps_send_the_reminder_once(session, time_machine):
    enrol(session, person())
    at(time_machine, session.starts_at - timedelta(hours=23))
    sweep(dispatch=send_inline)
    sweep(dispatch=send_inline)
    reminder = deliveries(emails.REMINDER_DAY).get()
    assert reminder.status == DeliveryStatus.SENT
    assert len(sent_for(reminder)) == 1


def test_nothing_is_planned_before_the_day_before(session, time_machine):
    enrol(session, person())
    plan_session_reminders(now=at(time_machine, session.starts_at - timedelta(hours=25)))
    assert not deliveries(emails.REMINDER_DAY).exists()


def test_someone_who_enrolled_within_the_day_gets_no_day_before_reminder(session, time_machine):
    at(time_machine, session.starts_at - timedelta(hours=6))
    enrol(session, person())
    plan_session_reminders(now=timezone.now())
    assert not deliveries(emails.REMINDER_DAY).exists()
    # …but the hour-before one, with the join link, still comes.
    plan_session_reminders(now=at(time_machine, session.starts_at - timedelta(minutes=50)))
    assert deliveries(emails.REMINDER_HOUR).count() == 1


def test_the_hour_before_reminder_window(session, time_machine):
    enrol(session, person())
    plan_session_reminders(now=at(time_machine, session.starts_at - timedelta(minutes=61)))
    assert not deliveries(emails.REMINDER_HOUR).exists()
    plan_session_reminders(now=at(time_machine, session.starts_at - timedelta(minutes=59)))
    [reminder] = deliveries(emails.REMINDER_HOUR)
    assert reminder.due_at == session.starts_at - timedelta(hours=1)


def test_the_hour_before_reminder_has_the_join_link_and_the_day_before_does_not(
    session, time_machine
):
    enrol(session, person())
    plan_session_reminders(now=at(time_machine, session.starts_at - timedelta(hours=23)))
    day = render(deliveries(emails.REMINDER_DAY).get())
    plan_session_reminders(now=at(time_machine, session.starts_at - timedelta(minutes=30)))
    hour = render(deliveries(emails.REMINDER_HOUR).get())
    assert JOIN in hour.text
    assert f'href="{JOIN}"' in hour.html
    assert JOIN not in day.text
    assert JOIN not in day.html
    session_page = f"https://bien-etre.example.org/fr/programme/sessions/{session.pk}/"
    assert session_page in day.html


def test_an_in_person_reminder_gives_the_place_and_no_join_link(time_machine):
    at(time_machine, timezone.now())
    session = SessionFactory(
        mode="in_person",
        venue="Maison de l'Entreprise",
        address="Rue de Fer 22, 5000 Namur",
        province="WNA",
        join_url="https://should-not-appear.example.org/",
        starts_at=timezone.now() + timedelta(days=2),
    )
    enrol(session, person())
    plan_session_reminders(now=at(time_machine, session.starts_at - timedelta(minutes=30)))
    hour = render(deliveries(emails.REMINDER_HOUR).get())
    assert "Maison de l'Entreprise, Rue de Fer 22, 5000 Namur" in hour.text
    assert "should-not-appear" not in hour.text + hour.html


def test_a_cancelled_enrolment_gets_no_reminder(session, time_machine):
    before, after = person(), person()
    gone_early = enrol(session, before)
    gone_late = enrol(session, after)
    services.enrolment_cancel(enrolment_id=gone_early.pk, user=before)
    plan_session_reminders(now=at(time_machine, session.starts_at - timedelta(hours=23)))
    [reminder] = deliveries(emails.REMINDER_DAY)
    assert reminder.recipient == after
    # Cancelling after the reminder was recorded cancels it.
    services.enrolment_cancel(enrolment_id=gone_late.pk, user=after)
    reminder.refresh_from_db()
    assert reminder.status == DeliveryStatus.CANCELLED
    sweep(dispatch=send_inline)
    assert sent_for(reminder) == []


def test_a_reminder_whose_enrolment_changed_behind_its_back_is_skipped(session, time_machine):
    enrolment = enrol(session, person())
    plan_session_reminders(now=at(time_machine, session.starts_at - timedelta(hours=23)))
    Enrolment.objects.filter(pk=enrolment.pk).update(status=EnrolmentStatus.CANCELLED)
    reminder = deliveries(emails.REMINDER_DAY).get()
    delivery_send(delivery_id=reminder.pk)
    reminder.refresh_from_db()
    assert reminder.status == DeliveryStatus.SKIPPED
    assert reminder.skip_reason == "the enrolment is no longer confirmed"
    assert mail.outbox == []


def test_a_day_before_reminder_that_comes_too_late_is_skipped(session, time_machine):
    enrol(session, person())
    plan_session_reminders(now=at(time_machine, session.starts_at - timedelta(hours=23)))
    at(time_machine, session.starts_at - timedelta(minutes=40))
    reminder = deliveries(emails.REMINDER_DAY).get()
    delivery_send(delivery_id=reminder.pk)
    reminder.refresh_from_db()
    assert reminder.status == DeliveryStatus.SKIPPED


def test_a_moved_session_is_reminded_at_its_new_time(session, time_machine, manager_user):
    enrol(session, person())
    plan_session_reminders(now=at(time_machine, session.starts_at - timedelta(hours=23)))
    old = deliveries(emails.REMINDER_DAY).get()
    new_start = session.starts_at + timedelta(days=2)
    services.session_update(
        session_id=session.pk,
        starts_at=new_start,
        ends_at=new_start + timedelta(hours=2),
        actor=manager_user,
    )
    delivery_send(delivery_id=old.pk)
    old.refresh_from_db()
    assert old.status == DeliveryStatus.SKIPPED
    assert old.skip_reason == "the session moved; a reminder for the new time is planned"
    plan_session_reminders(now=at(time_machine, new_start - timedelta(hours=23)))
    new = deliveries(emails.REMINDER_DAY).exclude(pk=old.pk).get()
    assert new.due_at == new_start - timedelta(hours=24)
    assert new.intent_key != old.intent_key
    sweep(dispatch=send_inline)
    assert len(sent_for(new)) == 1 and sent_for(old) == []


def test_a_session_moved_by_mistake_and_back_is_still_reminded(session, time_machine, manager_user):
    """The reminder recorded for the first time is the one that goes out."""
    enrol(session, person())
    first_start = session.starts_at
    plan_session_reminders(now=at(time_machine, first_start - timedelta(hours=23)))
    for start in (first_start + timedelta(hours=1), first_start):
        services.session_update(
            session_id=session.pk,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            actor=manager_user,
        )
    sweep(dispatch=send_inline)
    reminder = deliveries(emails.REMINDER_DAY).get()
    assert reminder.status == DeliveryStatus.SENT
    assert len(sent_for(reminder)) == 1


def test_reminders_respect_the_members_switch(session, time_machine):
    user = person()
    enrol(session, user)
    preference_set(user=user, category="session_reminders", enabled=False)
    at(time_machine, session.starts_at - timedelta(hours=23))
    sweep(dispatch=send_inline)
    reminder = deliveries(emails.REMINDER_DAY).get()
    assert reminder.status == DeliveryStatus.SKIPPED
    assert "session_reminders" in reminder.skip_reason
    assert sent_for(reminder) == []
    # The confirmation is a service message: it went out all the same.
    assert deliveries(emails.ENROLMENT_CONFIRMED).get().status == DeliveryStatus.SENT
