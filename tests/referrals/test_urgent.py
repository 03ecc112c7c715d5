"""Urgency changes the handling: a crisis or the highest urgency gets the short deadline,
an alert to every advisor on duty at once, the top of the queue and a confirmation that
never mentions the routine delay."""

import re

import pytest
import time_machine
from django.core import mail

from members.roles import Role
from notifications.models import Delivery, DeliveryStatus
from referrals import services
from referrals.choices import Channel, Urgency
from referrals.emails import URGENT_CASE
from referrals.models import Case
from tests.emails import BASE, brussels, html_of, sent
from tests.factories import staff

from .emails import staff_reading
from .helpers import case_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_process_mail")]

MESSAGE = "Je ne vois plus d'issue depuis la faillite."
THURSDAY_MORNING = brussels(2026, 4, 2, 9, 30)
# Friday 3 April 2026 after closing; Monday 6 April is Easter Monday.
FRIDAY_EVENING = brussels(2026, 4, 3, 18, 0)


@pytest.fixture(autouse=True)
def cell_hours(settings):
    settings.REFERRALS_CELL_OPENS = "09:00"
    settings.REFERRALS_CELL_CLOSES = "17:00"
    settings.REFERRALS_URGENT_FIRST_CONTACT_WORKING_HOURS = 4
    settings.REFERRALS_FIRST_CONTACT_WORKING_DAYS = 2


def ask(member, **overrides) -> Case:
    values = {
        "member": member,
        "needs": ["stress"],
        "channel": Channel.PHONE,
        "time_slots": [],
        "language": "fr",
        "urgency": Urgency.MEDIUM,
        "message": MESSAGE,
        "phone": "0470 12 34 56",
    }
    values.update(overrides)
    return services.request_create(**values)


@pytest.mark.parametrize(
    ("needs", "urgency", "urgent"),
    [
        (["stress"], Urgency.MEDIUM, False),
        (["stress"], Urgency.LOW, False),
        (["stress"], Urgency.HIGH, True),
        (["crisis"], Urgency.LOW, True),
        (["sleep", "crisis"], Urgency.MEDIUM, True),
    ],
)
def test_urgent_is_the_highest_urgency_or_a_crisis(member_user, needs, urgency, urgent):
    with time_machine.travel(THURSDAY_MORNING, tick=False):
        case = ask(member_user, needs=needs, urgency=urgency)
    assert case.urgent is urgent
    # Urgent: four working hours, the same day. Routine: the end of the second working
    # day, and Easter Monday does not count.
    routine = brussels(2026, 4, 7, 23, 59, 59)
    assert case.first_contact_due == (brussels(2026, 4, 2, 13, 30) if urgent else routine)


def test_an_urgent_request_on_friday_evening_is_due_on_tuesday_after_easter(member_user):
    with time_machine.travel(FRIDAY_EVENING, tick=False):
        case = ask(member_user, urgency=Urgency.HIGH)
    assert case.first_contact_due == brussels(2026, 4, 7, 13, 0)


def test_a_signal_goes_through_the_same_path(ambassador_user, advisor_user):
    with time_machine.travel(THURSDAY_MORNING, tick=False):
        case = services.signal_create(
            ambassador=ambassador_user,
            agreement_confirmed=True,
            name="Luc",
            phone="0478 11 22 33",
            need="crisis",
            note="",
        )
    assert case.urgent and case.first_contact_due == brussels(2026, 4, 2, 13, 30)
    assert Delivery.objects.filter(kind=URGENT_CASE).exists()


# --- The advisors' alert -----------------------------------------------------------------------


def test_every_advisor_on_duty_is_alerted_at_once_without_health_details(
    member_user, django_capture_on_commit_callbacks
):
    anne = staff_reading(Role.ADVISOR, "en")
    bart = staff_reading(Role.ADVISOR, "nl")
    gone = staff_reading(Role.ADVISOR, "fr")
    gone.is_active = False
    gone.save()
    # A first name no advisor's random one can share: the e-mail greets the advisor.
    member_user.first_name = "Zéphyrine"
    member_user.save(update_fields=["first_name"])
    with (
        time_machine.travel(THURSDAY_MORNING, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        case = ask(member_user, needs=["crisis"], urgency=Urgency.LOW)
        # Nothing leaves before the request commits.
        assert mail.outbox == []
    alerts = Delivery.objects.filter(kind=URGENT_CASE)
    assert {d.recipient_id for d in alerts} == {anne.pk, bart.pk}
    assert set(alerts.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    [message] = sent(URGENT_CASE, anne)
    assert case.reference in message.subject and "urgent" in message.subject.lower()
    assert f"{BASE}/en/listening-cell/cases/{case.pk}/" in message.body
    for text in (message.subject, message.body, html_of(message)):
        for secret in (MESSAGE, "crisis", "Crisis", "dark thoughts", member_user.email):
            assert secret not in text
        assert member_user.first_name not in text
    assert len(sent(URGENT_CASE, bart)) == 1


def test_a_routine_request_alerts_nobody(member_user, advisor_user):
    ask(member_user)
    assert not Delivery.objects.filter(kind=URGENT_CASE).exists()


def test_a_rolled_back_request_alerts_nobody(member_user, advisor_user):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        ask(member_user, urgency=Urgency.HIGH)
        raise RuntimeError("the rest of the request failed")
    assert not Delivery.objects.exists() and mail.outbox == []


def test_the_alert_is_skipped_once_a_colleague_holds_the_case(member_user, advisor_user):
    from notifications.sending import delivery_send

    other = staff(Role.ADVISOR)
    case = ask(member_user, urgency=Urgency.HIGH)
    mail.outbox.clear()
    Delivery.objects.filter(kind=URGENT_CASE).update(status=DeliveryStatus.PENDING)
    services.case_claim(case_id=case.pk, advisor=other)
    mine = Delivery.objects.get(kind=URGENT_CASE, recipient=advisor_user)
    delivery_send(delivery_id=mine.pk)
    assert Delivery.objects.get(pk=mine.pk).status == DeliveryStatus.SKIPPED
    assert sent(URGENT_CASE, advisor_user) == []


# --- The queue -----------------------------------------------------------------------------------


def test_urgent_and_crisis_cases_come_first_with_a_badge(client, advisor_user, member_user):
    older = case_in("new", advisor=None, urgency=Urgency.MEDIUM, needs=["stress"])
    crisis = ask(member_user, needs=["crisis"], urgency=Urgency.LOW)
    urgent = ask(member_user, needs=["sleep"], urgency=Urgency.HIGH, message="autre")
    client.force_login(advisor_user)
    response = client.get("/en/listening-cell/queue/")
    # Urgent ones first, then by the urgency given, then the longest waiting.
    assert [case.pk for case in response.context["cases"]] == [urgent.pk, crisis.pk, older.pk]
    page = response.content.decode()
    assert re.search(r'class="badge text-bg-danger">Crisis<', page)
    assert re.search(r'class="badge text-bg-danger">Urgent<', page)


# --- The member's confirmation ------------------------------------------------------------------

FORM = {
    "urgency": "2",
    "channel": "phone",
    "phone": "0470 12 34 56",
    "language": "fr",
    "message": "",
}


def confirmation(client, member, when, **data):
    client.force_login(member)
    with time_machine.travel(when, tick=False):
        response = client.post("/en/listening-cell/request/", {**FORM, **data}, follow=True)
    assert response.status_code == 200
    case = Case.objects.get()
    assert response.redirect_chain == [(f"/en/listening-cell/request/{case.pk}/sent/", 302)]
    return response.content.decode()


def test_a_crisis_request_is_confirmed_with_the_crisis_lines_first(client, member_user):
    page = confirmation(client, member_user, THURSDAY_MORNING, needs=["crisis"])
    main = page[page.index("<main") :]
    assert main.index('id="crisis-lines"') < main.index('id="request-sent"')
    assert 'href="tel:080032123"' in main and 'href="tel:1813"' in main
    assert "working day" not in main


def test_an_urgent_request_in_opening_hours_states_the_short_delay(client, member_user):
    page = confirmation(client, member_user, THURSDAY_MORNING, needs=["stress"], urgency="3")
    assert "handled as urgent" in page and "13:30" in page
    assert "working day" not in page
    assert "The listening cell is closed right now" not in page


def test_an_urgent_request_out_of_hours_says_when_the_cell_opens(client, member_user):
    page = confirmation(client, member_user, FRIDAY_EVENING, needs=["stress"], urgency="3")
    assert "working day" not in page
    assert "The listening cell is closed right now; it opens on Tuesday 7 April, 09:00." in page
    assert 'href="tel:112"' in page[page.index("<main") :]


def test_a_routine_request_states_the_working_days(client, member_user):
    page = confirmation(client, member_user, THURSDAY_MORNING, needs=["stress"])
    assert "An advisor will contact you within 2 working days." in page
    assert "handled as urgent" not in page


def test_the_confirmation_of_someone_elses_request_is_not_found(client, member_user):
    from tests.factories import member

    other = ask(member())
    client.force_login(member_user)
    assert client.get(f"/en/listening-cell/request/{other.pk}/sent/").status_code == 404
    assert client.get("/en/listening-cell/request/999999/sent/").status_code == 404
