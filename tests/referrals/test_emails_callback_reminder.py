"""When a call-back's time comes, the advisor holding the case gets one reminder: derived
from the data by the sweep, once per call-back, time and holder."""

from datetime import timedelta

import pytest
import time_machine

from members.roles import Role
from notifications.models import Delivery, DeliveryStatus
from referrals import services
from referrals.callback_emails import CALLBACK_REMINDER
from referrals.choices import CaseStatus, Outcome
from referrals.planners import plan_callback_reminders
from tests.emails import BASE, brussels, html_of, send_due, sent
from tests.factories import member

from .emails import staff_reading
from .helpers import case_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_process_mail")]

BOOKED = brussels(2026, 3, 10, 9, 0)
AT = brussels(2026, 3, 10, 14, 30)


def reminders(**filters):
    return Delivery.objects.filter(kind=CALLBACK_REMINDER, **filters)


def booked(advisor, at=AT, **fields):
    with time_machine.travel(BOOKED, tick=False):
        case = case_in(CaseStatus.IN_PROGRESS, advisor=advisor, **fields)
        return services.callback_book(case=case, actor=advisor, at=at, note="Gaëlle, mobile")


def sweep_at(when):
    with time_machine.travel(when, tick=False):
        return send_due()


def test_nothing_before_the_time(advisor_user):
    booked(advisor_user)
    sweep_at(AT - timedelta(minutes=1))
    assert not reminders().exists()


def test_the_sweep_sends_once_when_run_twice(advisor_user, other_advisor):
    callback = booked(advisor_user)
    sweep_at(AT)
    sweep_at(AT + timedelta(minutes=1))
    [reminder] = reminders()
    assert reminder.recipient == advisor_user
    assert reminder.status == DeliveryStatus.SENT
    assert reminder.due_at == AT
    assert reminder.intent_key == (
        f"callback:{callback.pk}:at:2026-03-10T13:30:00+00:00:user:{advisor_user.pk}"
    )
    assert len(sent(CALLBACK_REMINDER, advisor_user)) == 1
    assert sent(CALLBACK_REMINDER, other_advisor) == []


def test_a_rescheduled_call_back_is_reminded_again_but_not_twice_at_one_time(advisor_user):
    callback = booked(advisor_user)
    sweep_at(AT)
    later = AT + timedelta(hours=2)
    with time_machine.travel(AT + timedelta(minutes=5), tick=False):
        services.callback_reschedule(callback=callback, actor=advisor_user, at=later)
    sweep_at(later)
    assert len(sent(CALLBACK_REMINDER, advisor_user)) == 2
    # Moved away and back to a time already reminded: no second e-mail for it.
    with time_machine.travel(later + timedelta(minutes=1), tick=False):
        services.callback_reschedule(
            callback=callback, actor=advisor_user, at=later + timedelta(hours=1)
        )
        services.callback_reschedule(
            callback=callback, actor=advisor_user, at=later + timedelta(minutes=10)
        )
    with time_machine.travel(later + timedelta(minutes=2), tick=False):
        services.callback_reschedule(
            callback=callback, actor=advisor_user, at=later + timedelta(minutes=3)
        )
    assert reminders().count() == 2


def test_moved_before_the_reminder_goes_out_skips_the_old_time(advisor_user):
    callback = booked(advisor_user)
    with time_machine.travel(AT, tick=False):
        plan_callback_reminders(now=AT)
        services.callback_reschedule(
            callback=callback, actor=advisor_user, at=AT + timedelta(hours=1)
        )
    sweep_at(AT + timedelta(minutes=1))
    [old] = reminders()
    assert (old.status, old.skip_reason) == (
        DeliveryStatus.SKIPPED,
        "the call-back was moved to another time",
    )
    sweep_at(AT + timedelta(hours=1))
    assert reminders(status=DeliveryStatus.SENT).count() == 1


@pytest.mark.parametrize("change", ["done", "cancelled", "case closed"])
def test_no_reminder_for_a_call_back_no_longer_planned(advisor_user, change):
    callback = booked(advisor_user)
    with time_machine.travel(AT - timedelta(minutes=10), tick=False):
        if change == "done":
            services.callback_done(callback=callback, actor=advisor_user)
        elif change == "cancelled":
            services.callback_cancel(callback=callback, actor=advisor_user)
        else:
            services.case_close(case=callback.case, actor=advisor_user, outcome=Outcome.HANDLED)
    sweep_at(AT)
    assert not reminders().exists()


def test_after_a_hand_over_the_new_holder_is_reminded(advisor_user, other_advisor):
    callback = booked(advisor_user)
    with time_machine.travel(AT, tick=False):
        plan_callback_reminders(now=AT)
        services.case_assign(case=callback.case, assignee=other_advisor, actor=advisor_user)
    sweep_at(AT + timedelta(minutes=1))
    assert reminders(recipient=advisor_user).get().skip_reason == "another advisor holds the case"
    assert len(sent(CALLBACK_REMINDER, other_advisor)) == 1


def test_a_call_back_missed_for_long_is_left_to_the_day_page(advisor_user):
    booked(advisor_user)
    sweep_at(AT + timedelta(hours=13))
    assert not reminders().exists()


@pytest.mark.parametrize(
    ("language", "when", "subject"),
    [
        # Subjects are folded to plain spaces (notifications.rendering).
        ("fr", "mardi 10 mars 2026, 14:30", "Dossier {ref} : rappel à 14:30"),
        ("nl", "dinsdag 10 maart 2026, 14:30", "Dossier {ref}: terugbellen om 14:30"),
        ("en", "Tuesday 10 March 2026, 14:30", "Case {ref}: call-back at 14:30"),
    ],
)
def test_the_reminder_names_the_case_never_the_person(language, when, subject):
    advisor = staff_reading(Role.ADVISOR, language)
    person = member(first_name="Gaëlle", last_name="Vandenberghe")
    callback = booked(advisor, member=person, message="Je n'en peux plus de mon associé.")
    case = callback.case
    sweep_at(AT)
    [message] = sent(CALLBACK_REMINDER, advisor)
    assert message.subject == subject.format(ref=case.reference)
    html = html_of(message)
    assert f'<html lang="{language}"' in html
    assert f'<time datetime="{AT.isoformat()}">' in html
    for part in (message.body, html):
        assert case.reference in part
        assert when in part
        assert f"{BASE}/{language}/listening-cell/cases/{case.pk}/" in part
        assert f"{BASE}/{language}/listening-cell/today/" in part
        for private in (
            "Gaëlle",
            "Vandenberghe",
            person.email,
            "associé",
            "+32470123456",
            "mobile",
        ):
            assert private not in part
    # A service message: the advisor booked it; no unsubscribe link.
    assert "List-Unsubscribe" not in message.extra_headers
