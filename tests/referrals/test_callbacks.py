"""Call-back appointments: the services, the case page, the advisor's day and the .ics."""

from datetime import timedelta

import icalendar
import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from members.roles import Role
from referrals import services
from referrals.choices import CaseStatus, EventKind, Outcome
from referrals.models import CallBack, CaseAccess
from tests.emails import brussels
from tests.factories import member, staff

from .factories import CaseFactory
from .helpers import case_in

pytestmark = pytest.mark.django_db

# A Tuesday morning in Brussels; the person asked to be called back at 14:30.
NOW = brussels(2026, 3, 10, 9, 0)
AT = brussels(2026, 3, 10, 14, 30)


@pytest.fixture(autouse=True)
def tuesday_morning():
    # The services' refusals are read in English here (French is the default).
    with time_machine.travel(NOW, tick=False), translation.override("en"):
        yield


@pytest.fixture
def held(advisor_user):
    return case_in(CaseStatus.IN_PROGRESS, advisor=advisor_user)


def book(case, advisor, at=AT, note=""):
    return services.callback_book(case=case, actor=advisor, at=at, note=note)


def kinds(case):
    return list(case.events.values_list("kind", flat=True))


# --- Services ---------------------------------------------------------------------------


def test_booking_writes_the_call_back_and_the_timeline(held, advisor_user):
    callback = book(held, advisor_user, note="Mobile, after lunch")
    assert (callback.at, callback.note, callback.created_by) == (
        AT,
        "Mobile, after lunch",
        advisor_user,
    )
    assert callback.is_open
    event = held.events.get(kind=EventKind.CALLBACK_BOOKED)
    assert (event.actor, event.body) == (advisor_user, "Mobile, after lunch")
    assert event.data == {"callback": callback.pk, "at": AT.isoformat()}


def test_one_open_call_back_per_case(held, advisor_user):
    book(held, advisor_user)
    with pytest.raises(services.CaseActionRefused, match="reschedule it instead"):
        book(held, advisor_user, at=AT + timedelta(hours=1))
    # The database holds the rule whatever the caller.
    with pytest.raises(IntegrityError), transaction.atomic():
        CallBack.objects.create(case=held, at=AT + timedelta(days=1))
    assert held.callbacks.count() == 1


def test_a_new_call_back_once_the_last_one_is_done(held, advisor_user):
    first = book(held, advisor_user)
    services.callback_done(callback=first, actor=advisor_user)
    second = book(held, advisor_user, at=AT + timedelta(days=1))
    assert list(held.callbacks.open()) == [second]


def test_rescheduling_moves_the_time_and_says_so(held, advisor_user):
    callback = book(held, advisor_user, note="Mobile")
    later = AT + timedelta(days=1, hours=-4)
    services.callback_reschedule(callback=callback, actor=advisor_user, at=later)
    callback.refresh_from_db()
    assert (callback.at, callback.note, callback.sequence) == (later, "Mobile", 1)
    event = held.events.get(kind=EventKind.CALLBACK_RESCHEDULED)
    assert event.data["previous"] == AT.isoformat()
    assert event.data["at"] == later.isoformat()


def test_rescheduling_to_the_same_time_is_refused(held, advisor_user):
    callback = book(held, advisor_user)
    with pytest.raises(services.CaseActionRefused, match="already planned at that time"):
        services.callback_reschedule(callback=callback, actor=advisor_user, at=AT)


def test_done_and_cancelled_close_the_call_back(held, advisor_user):
    callback = book(held, advisor_user)
    services.callback_done(callback=callback, actor=advisor_user)
    callback.refresh_from_db()
    assert callback.done_at == NOW and not callback.is_open
    with pytest.raises(services.CaseActionRefused, match="no longer planned"):
        services.callback_cancel(callback=callback, actor=advisor_user)
    other = book(held, advisor_user)
    services.callback_cancel(callback=other, actor=advisor_user)
    other.refresh_from_db()
    assert other.cancelled_at == NOW
    assert kinds(held)[-4:] == [
        EventKind.CALLBACK_BOOKED,
        EventKind.CALLBACK_DONE,
        EventKind.CALLBACK_BOOKED,
        EventKind.CALLBACK_CANCELLED,
    ]


def test_a_time_in_the_past_is_refused_on_the_time(held, advisor_user):
    with pytest.raises(ValidationError) as refused:
        book(held, advisor_user, at=NOW - timedelta(minutes=1))
    assert "at" in refused.value.error_dict
    assert not held.callbacks.exists()


@pytest.mark.parametrize(
    ("status", "message"),
    [(CaseStatus.CLOSED, "This case is closed."), (CaseStatus.NEW, "Claim the case first.")],
)
def test_only_an_open_claimed_case(advisor_user, status, message):
    case = case_in(status, advisor=advisor_user)
    with pytest.raises(services.CaseActionRefused, match=message):
        book(case, advisor_user)


def test_only_the_holder_plans_the_call_back(held, advisor_user, other_advisor):
    with pytest.raises(services.CaseActionRefused, match="Only the advisor holding"):
        book(held, other_advisor)
    callback = book(held, advisor_user)
    with pytest.raises(services.CaseActionRefused, match="Only the advisor holding"):
        services.callback_done(callback=callback, actor=other_advisor)
    with pytest.raises(PermissionDenied):
        book(held, staff(Role.AMBASSADOR))


def test_a_hand_over_carries_the_call_back_to_the_new_holder(held, advisor_user, other_advisor):
    callback = book(held, advisor_user)
    services.case_assign(case=held, assignee=other_advisor, actor=advisor_user)
    services.callback_reschedule(callback=callback, actor=other_advisor, at=AT + timedelta(hours=1))
    with pytest.raises(services.CaseActionRefused):
        services.callback_cancel(callback=callback, actor=advisor_user)


def test_closing_the_case_cancels_its_call_back(held, advisor_user):
    callback = book(held, advisor_user)
    services.case_close(case=held, actor=advisor_user, outcome=Outcome.HANDLED)
    callback.refresh_from_db()
    assert callback.cancelled_at is not None
    cancelled = held.events.get(kind=EventKind.CALLBACK_CANCELLED)
    assert cancelled.data["closed"] is True


def test_erasure_blanks_the_call_back_note(held, advisor_user):
    from referrals.choices import AnonymisedBecause

    callback = book(held, advisor_user, note="Ask for Marie")
    services.cases_anonymise(case_ids=[held.pk], reason=AnonymisedBecause.ERASURE)
    callback.refresh_from_db()
    assert callback.note == ""


# --- The case page ---------------------------------------------------------------------------


def url(case, action=""):
    return f"/en/listening-cell/cases/{case.pk}/callback/{action}"


def form(day="2026-03-10", time="14:30", note=""):
    return {"callback-day": day, "callback-time": time, "callback-note": note}


def test_an_advisor_books_from_the_case_page(advisor_client, held):
    response = advisor_client.post(url(held), form(note="Mobile"), follow=True)
    assert response.status_code == 200
    assert "Call-back planned for" in response.text
    callback = held.callbacks.get()
    assert callback.at == AT
    assert "Mark the call-back as done" in response.text
    assert f"{url(held)}{callback.pk}/calendar.ics" in response.text


def test_a_past_time_is_a_form_error(advisor_client, held):
    response = advisor_client.post(url(held), form(time="08:15"))
    assert response.status_code == 400
    assert "This time has already passed: choose a later time." in response.text
    assert not held.callbacks.exists()


def test_a_missing_time_is_a_form_error(advisor_client, held):
    response = advisor_client.post(url(held), form(time=""))
    assert response.status_code == 400
    assert "This field is required." in response.text


@pytest.mark.parametrize("case_state", ["closed", "someone_else", "new"])
def test_refusals_are_messages_not_errors(advisor_client, advisor_user, other_advisor, case_state):
    case = {
        "closed": lambda: case_in(CaseStatus.CLOSED, advisor=advisor_user),
        "someone_else": lambda: case_in(CaseStatus.IN_PROGRESS, advisor=other_advisor),
        "new": lambda: case_in(CaseStatus.NEW, advisor=None),
    }[case_state]()
    for data in (form(), form(time="")):
        response = advisor_client.post(url(case), data, follow=True)
        assert response.status_code == 200
        text = response.text
        assert (
            "This case is closed." in text
            or "Only the advisor holding this case can plan its call-back." in text
            or "Claim the case first." in text
        )
    assert not CallBack.objects.exists()


def test_reschedule_cancel_and_done_from_the_page(advisor_client, held, advisor_user):
    callback = book(held, advisor_user)
    response = advisor_client.post(
        url(held, f"{callback.pk}/reschedule/"), form(time="16:00"), follow=True
    )
    assert response.status_code == 200
    callback.refresh_from_db()
    assert callback.at == brussels(2026, 3, 10, 16, 0)
    assert advisor_client.post(url(held, f"{callback.pk}/done/")).status_code == 302
    callback.refresh_from_db()
    assert callback.done_at is not None
    again = advisor_client.post(url(held, f"{callback.pk}/cancel/"), follow=True)
    assert "This call-back is no longer planned" in again.text


def test_a_call_back_of_another_case_is_not_found(advisor_client, held, advisor_user):
    other = case_in(CaseStatus.IN_PROGRESS, advisor=advisor_user)
    callback = book(other, advisor_user)
    assert advisor_client.post(url(held, f"{callback.pk}/done/")).status_code == 404
    assert advisor_client.get(url(held, f"{callback.pk}/calendar.ics")).status_code == 404


def test_the_queue_shows_the_call_back_time(advisor_client, held, advisor_user):
    book(held, advisor_user)
    response = advisor_client.get("/en/listening-cell/queue/")
    assert '<time datetime="2026-03-10T14:30:00+01:00">10/03 14:30</time>' in response.text


def test_the_timeline_says_when(advisor_client, held, advisor_user):
    callback = book(held, advisor_user)
    services.callback_reschedule(callback=callback, actor=advisor_user, at=AT + timedelta(days=1))
    response = advisor_client.get(f"/en/listening-cell/cases/{held.pk}/")
    assert "Call-back booked</strong>: 10/03/2026 14:30" in response.text
    assert "Call-back rescheduled</strong>: 10/03/2026 14:30 → 11/03/2026 14:30" in response.text


# --- The .ics file ---------------------------------------------------------------------


def test_the_calendar_file_names_the_case_not_the_person(advisor_client, advisor_user, settings):
    settings.PORTAL_BASE_URL = "https://bien-etre.example.org"
    person = member(first_name="Gaëlle", last_name="Vandenberghe")
    case = case_in(CaseStatus.IN_PROGRESS, advisor=advisor_user, member=person)
    callback = book(case, advisor_user, note="Gaëlle, mobile")
    response = advisor_client.get(url(case, f"{callback.pk}/calendar.ics"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert f'filename="callback-{case.reference}.ics"' in response["Content-Disposition"]
    body = response.content.decode()
    for private in ("Gaëlle", "Vandenberghe", person.email, "+32470123456", "mobile"):
        assert private not in body
    [event] = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    link = f"https://bien-etre.example.org/en/listening-cell/cases/{case.pk}/"
    assert str(event["summary"]) == f"Call-back: case {case.reference}"
    assert str(event["uid"]) == f"callback-{callback.pk}@bien-etre.example.org"
    assert event.start == AT and event.end == AT + timedelta(minutes=15)
    assert str(event["url"]) == link and link in str(event["description"])
    assert str(event["status"]) == "CONFIRMED"
    assert event["sequence"] == 0


def test_a_rescheduled_call_back_updates_the_calendar_event(advisor_client, held, advisor_user):
    callback = book(held, advisor_user)
    services.callback_reschedule(callback=callback, actor=advisor_user, at=AT + timedelta(hours=2))
    services.callback_cancel(callback=callback, actor=advisor_user)
    response = advisor_client.get(url(held, f"{callback.pk}/calendar.ics"))
    [event] = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert (event["sequence"], str(event["status"])) == (2, "CANCELLED")
    assert event.start == AT + timedelta(hours=2)


# --- The advisor's day ---------------------------------------------------------------------


def day_of(advisor, *times):
    """Cases held by `advisor` with a call-back at each time, booked before those times."""
    callbacks = []
    with time_machine.travel(NOW - timedelta(days=3), tick=False):
        for at in times:
            case = case_in(CaseStatus.IN_PROGRESS, advisor=advisor)
            callbacks.append(book(case, advisor, at=at))
    return callbacks


def test_the_day_lists_today_and_overdue_in_time_order(advisor_client, advisor_user, other_advisor):
    late, afternoon, morning, tomorrow = day_of(
        advisor_user,
        brussels(2026, 3, 9, 16, 0),
        brussels(2026, 3, 10, 15, 0),
        brussels(2026, 3, 10, 10, 0),
        brussels(2026, 3, 11, 9, 30),
    )
    done = day_of(advisor_user, brussels(2026, 3, 10, 11, 0))[0]
    services.callback_done(callback=done, actor=advisor_user)
    day_of(other_advisor, brussels(2026, 3, 10, 9, 30))
    response = advisor_client.get("/en/listening-cell/today/")
    assert response.status_code == 200
    day = response.context["day"]
    assert day.due == [late, morning, afternoon]
    assert day.upcoming == [tomorrow]
    assert day.next == morning
    text = response.text
    assert text.index(late.case.reference) > text.index("Next call-back")
    assert 'id="next-callback"' in text and "10:00" in text
    # Each line shows the person's name and phone: the listing is in the access log.
    listed = CaseAccess.objects.filter(accessed_by=advisor_user, subject="queue_listing")
    assert set(listed.values_list("case_id", flat=True)) == {
        c.case_id for c in (late, morning, afternoon, tomorrow)
    }


def test_an_empty_day(advisor_client):
    response = advisor_client.get("/en/listening-cell/today/")
    assert response.status_code == 200
    assert "No call-back planned." in response.text


def test_the_day_page_query_count_does_not_grow(client, advisor_user, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(advisor_user)

    def count():
        with CaptureQueriesContext(connection) as context:
            assert client.get("/en/listening-cell/today/").status_code == 200
        return len(context.captured_queries)

    day_of(advisor_user, NOW + timedelta(hours=1), NOW + timedelta(days=2))
    small = count()
    day_of(
        advisor_user,
        *(NOW + timedelta(hours=h) for h in range(1, 10)),
        *(NOW + timedelta(days=d) for d in range(1, 10)),
    )
    CaseFactory(contact_name="Guest", member=None)
    # session, the account with its roles, today and overdue, the next days, the access
    # log insert
    with django_assert_num_queries(small):
        client.get("/en/listening-cell/today/")
    assert small <= 5


# --- Who may ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.MEMBER, Role.AMBASSADOR, Role.PROGRAMME_MANAGER])
def test_only_advisors(client, advisor_user, held, role):
    callback = book(held, advisor_user)
    client.force_login(member() if role is Role.MEMBER else staff(role))
    assert client.get("/en/listening-cell/today/").status_code == 403
    assert client.get(url(held, f"{callback.pk}/calendar.ics")).status_code == 403
    assert client.post(url(held), form()).status_code == 403
    for action in ("reschedule", "cancel", "done"):
        assert client.post(url(held, f"{callback.pk}/{action}/"), form()).status_code == 403
    callback.refresh_from_db()
    assert callback.is_open and callback.at == AT


def test_visitors_are_sent_to_log_in(client, held, advisor_user):
    assert client.get("/en/listening-cell/today/").status_code == 302
