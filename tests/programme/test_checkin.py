"""Check-in on the day: the service (idempotent, refusals, audit), the phone page, its
search and its taps, who may open it, its queries, and the printable sign-in sheet."""

import io
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from pypdf import PdfReader

from common.belgium import BRUSSELS
from members.roles import Role
from programme import services
from programme.models import Enrolment, EnrolmentEvent, Session
from programme.services.checkin import checkin_mark, checkin_opens_at
from tests.concurrency import at_once, failures, postgres_only
from tests.factories import member, staff
from tests.programme.factories import ModuleFactory, SessionFactory

pytestmark = pytest.mark.django_db

BASE = "/en/programme/manage/sessions/"
# A Tuesday morning workshop in Namur.
STARTS = datetime(2026, 12, 8, 9, 30, tzinfo=BRUSSELS)


def workshop(**kwargs):
    return SessionFactory(
        module=kwargs.pop("module", None) or ModuleFactory(title="Atelier : tenir le cap"),
        starts_at=STARTS,
        ends_at=STARTS + timedelta(hours=2, minutes=30),
        mode="in_person",
        join_url="",
        venue="Maison de l'entreprise",
        address="Rue de Fer 12, 5000 Namur",
        province="WNA",
        **{"capacity": 30, **kwargs},
    )


def enrol(session, user) -> Enrolment:
    return services.enrolment_create(session_id=session.pk, user=user).enrolment


@pytest.fixture
def on_the_day(time_machine):
    """Enrolments are taken a week before; the test then moves to the morning itself."""

    def move(at=STARTS - timedelta(minutes=20)):
        time_machine.move_to(at, tick=False)

    time_machine.move_to(STARTS - timedelta(days=7), tick=False)
    return move


@pytest.fixture
def manager(client, manager_user):
    client.force_login(manager_user)
    return client


def test_check_in_opens_at_midnight_on_the_day():
    session = workshop()
    assert checkin_opens_at(session) == datetime(2026, 12, 8, tzinfo=BRUSSELS)


# --- The service ------------------------------------------------------------------


def test_checking_in_twice_records_once_and_undo_clears(on_the_day, manager_user):
    session = workshop()
    seat = enrol(session, member(first_name="Marie", last_name="Dupont"))
    on_the_day()
    enrolment, changed = checkin_mark(
        session_id=session.pk, enrolment_id=seat.pk, present=True, actor=manager_user
    )
    assert changed and enrolment.attendance == "attended"
    again, changed = checkin_mark(
        session_id=session.pk, enrolment_id=seat.pk, present=True, actor=manager_user
    )
    assert not changed and again.attendance == "attended"
    events = EnrolmentEvent.objects.filter(enrolment=seat, action="enrolment.attendance_marked")
    assert [e.data for e in events] == [
        {"attendance": "attended", "previous": "", "via": "check_in"}
    ]
    assert events.get().actor == manager_user

    _enrolment, changed = checkin_mark(
        session_id=session.pk, enrolment_id=seat.pk, present=False, actor=manager_user
    )
    assert changed
    seat.refresh_from_db()
    assert seat.attendance == ""
    # Undoing what is not there changes nothing.
    assert not checkin_mark(
        session_id=session.pk, enrolment_id=seat.pk, present=False, actor=manager_user
    )[1]
    assert events.all().count() == 2


def test_undo_keeps_a_no_show_recorded_on_the_roster(on_the_day, manager_user):
    session = workshop()
    seat = enrol(session, member())
    on_the_day(STARTS + timedelta(hours=3))
    services.attendance_mark(session_id=session.pk, marks={seat.pk: "no_show"}, actor=None)
    assert not checkin_mark(
        session_id=session.pk, enrolment_id=seat.pk, present=False, actor=manager_user
    )[1]
    seat.refresh_from_db()
    assert seat.attendance == "no_show"
    # Someone who was there after all: check-in corrects the roster.
    checkin_mark(session_id=session.pk, enrolment_id=seat.pk, present=True, actor=manager_user)
    seat.refresh_from_db()
    assert seat.attendance == "attended"


@translation.override("en")
def test_refusals_write_nothing(on_the_day, manager_user):
    session = workshop(capacity=1)
    seat = enrol(session, member())
    waiting = enrol(session, member())
    other = enrol(workshop(), member())
    # The day before: too early.
    on_the_day(STARTS - timedelta(hours=10))
    with pytest.raises(services.ValidationError, match="on the day"):
        checkin_mark(session_id=session.pk, enrolment_id=seat.pk, present=True, actor=None)
    on_the_day()
    for enrolment in (waiting, other):  # on the waitlist; another session's seat
        with pytest.raises(services.ValidationError, match="does not hold a seat"):
            checkin_mark(session_id=session.pk, enrolment_id=enrolment.pk, present=True, actor=None)
    with pytest.raises(services.ValidationError, match="does not hold a seat"):
        checkin_mark(session_id=session.pk, enrolment_id=999999, present=True, actor=None)
    services.session_cancel(session_id=session.pk, reason="Formatrice malade", actor=None)
    with pytest.raises(services.ValidationError, match="cancelled"):
        checkin_mark(session_id=session.pk, enrolment_id=seat.pk, present=True, actor=None)
    assert not Enrolment.objects.exclude(attendance="").exists()
    assert not EnrolmentEvent.objects.filter(action="enrolment.attendance_marked").exists()


# --- The page ---------------------------------------------------------------------


def page_url(session) -> str:
    return f"{BASE}{session.pk}/check-in/"


def tap(client, session, enrolment, present=True, q=""):
    return client.post(
        f"{BASE}{session.pk}/check-in/mark/",
        {"enrolment": enrolment.pk, "present": "1" if present else "0", "q": q},
    )


@pytest.mark.parametrize("role", [Role.MEMBER, Role.AMBASSADOR, Role.ADVISOR])
def test_only_managers_open_check_in_and_the_sheet(client, role, on_the_day):
    session = workshop()
    seat = enrol(session, member())
    on_the_day()
    assert client.get(page_url(session)).status_code == 302  # visitors: log in first
    client.force_login(member() if role is Role.MEMBER else staff(role))
    assert client.get(page_url(session)).status_code == 403
    assert client.get(f"{BASE}{session.pk}/sign-in-sheet.pdf").status_code == 403
    assert tap(client, session, seat).status_code == 403
    seat.refresh_from_db()
    assert seat.attendance == ""


def test_unknown_sessions_are_404(manager):
    assert manager.get(f"{BASE}99999/check-in/").status_code == 404
    assert manager.get(f"{BASE}99999/sign-in-sheet.pdf").status_code == 404
    assert manager.post(f"{BASE}99999/check-in/mark/", {"enrolment": 1}).status_code == 404
    assert manager.get(page_url(workshop()), {"q": "x" * 5000}).status_code == 200


def test_a_manager_finds_a_name_and_checks_in_once_whatever_the_taps(
    client, manager_user, on_the_day
):
    session = workshop()
    marie = enrol(session, member(first_name="Marie", last_name="Dupont"))
    enrol(session, member(first_name="Hélène", last_name="Dupuis"))
    enrol(session, member(first_name="Jan", last_name="Peeters"))
    on_the_day()
    client.force_login(manager_user)
    response = client.get(page_url(session))
    html = response.content.decode()
    assert "0 of 3 present" in html
    assert 'Check in <span class="visually-hidden">Marie Dupont</span>' in html
    assert "@example.org" not in html.split('id="checkin-list"')[1]  # names, no e-mail
    # The sheet in the session's language (French), or in the manager's (English).
    assert f'href="{BASE}{session.pk}/sign-in-sheet.pdf"' in html
    assert f'href="{BASE}{session.pk}/sign-in-sheet.pdf?language=en"' in html
    # The search ignores accents and case and matches the start of a name.
    names = lambda r: [e.user.first_name for e in r.context["list"].people]  # noqa: E731
    assert names(client.get(page_url(session), {"q": "dup"})) == ["Marie", "Hélène"]
    assert names(client.get(page_url(session), {"q": "helene DUP"})) == ["Hélène"]
    found = client.get(page_url(session), {"q": "upon"})
    assert names(found) == [] and "Nobody of this session matches" in found.content.decode()

    first = tap(client, session, marie, q="dup")
    assert first.status_code == 302
    assert first["Location"] == f"{page_url(session)}?q=dup#person-{marie.pk}"
    second = tap(client, session, marie, q="dup")  # a double tap
    assert second.status_code == 302
    assert Enrolment.objects.get(pk=marie.pk).attendance == "attended"
    assert (
        EnrolmentEvent.objects.filter(enrolment=marie, action__contains="attendance").count() == 1
    )

    response = client.get(first["Location"])
    html = response.content.decode()
    assert "1 of 3 present" in html
    assert "Checked in at 09:10" in html
    assert 'Undo <span class="visually-hidden">the check-in of Marie Dupont</span>' in html
    assert "Marie Dupont was already checked in." in html  # the second tap's message

    tap(client, session, marie, present=False)
    assert Enrolment.objects.get(pk=marie.pk).attendance == ""
    assert "0 of 3 present" in client.get(page_url(session)).content.decode()


def test_bad_taps_get_a_message_never_an_error(client, manager_user, on_the_day):
    session = workshop()
    seat = enrol(session, member())
    other = enrol(workshop(), member())
    on_the_day()
    client.force_login(manager_user)
    for data in ({}, {"enrolment": "abc", "present": "1"}, {"enrolment": seat.pk, "present": "x"}):
        response = client.post(f"{BASE}{session.pk}/check-in/mark/", data, follow=True)
        assert response.status_code == 200
        assert "does not hold a seat" in response.content.decode()
    response = tap(client, session, other)
    assert response.status_code == 302
    assert "does not hold a seat" in client.get(response["Location"]).content.decode()
    assert client.get(f"{BASE}{session.pk}/check-in/mark/").status_code == 405
    assert not Enrolment.objects.exclude(attendance="").exists()


def test_a_cancelled_session_refuses_check_in(client, manager_user, on_the_day):
    session = workshop()
    seat = enrol(session, member(first_name="Marie", last_name="Dupont"))
    services.session_cancel(session_id=session.pk, reason="Salle inondée", actor=None)
    on_the_day()
    client.force_login(manager_user)
    html = client.get(page_url(session)).content.decode()
    assert "This session is cancelled: nobody can check in." in html
    assert "check-in/mark/" not in html
    response = tap(client, session, seat)
    assert "This session is cancelled" in client.get(response["Location"]).content.decode()
    sheet = client.get(f"{BASE}{session.pk}/sign-in-sheet.pdf")
    assert sheet.status_code == 302 and sheet["Location"] == f"{BASE}{session.pk}/"


def test_before_the_day_the_list_shows_without_buttons(client, manager_user, on_the_day):
    session = workshop()
    enrol(session, member(first_name="Marie", last_name="Dupont"))
    client.force_login(manager_user)
    html = client.get(page_url(session)).content.decode()
    assert "Marie Dupont" in html and "Check-in opens on the day of the session." in html
    assert "check-in/mark/" not in html


def test_the_session_page_links_check_in_and_the_sheet(manager):
    session = workshop()
    html = manager.get(f"{BASE}{session.pk}/").content.decode()
    assert f'href="{page_url(session)}"' in html
    assert f'href="{BASE}{session.pk}/sign-in-sheet.pdf"' in html


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_check_in_queries_do_not_grow(client, manager_user, on_the_day):
    session = workshop()
    seats = [enrol(session, member()) for _ in range(2)]
    on_the_day()
    checkin_mark(session_id=session.pk, enrolment_id=seats[0].pk, present=True, actor=None)
    client.force_login(manager_user)
    small = _count(client, page_url(session))
    on_the_day(STARTS - timedelta(days=7))
    more = [enrol(session, member()) for _ in range(12)]
    on_the_day()
    for seat in more[:6]:
        checkin_mark(session_id=session.pk, enrolment_id=seat.pk, present=True, actor=None)
    client.force_login(manager_user)
    assert _count(client, page_url(session)) == small
    assert _count(client, page_url(session) + "?q=a") == small
    assert small <= 8


# --- The sign-in sheet ------------------------------------------------------------


def pdf_text(response) -> tuple[str, int]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    return text, len(reader.pages)


def test_the_sheet_has_names_and_no_contact_details(manager):
    session = workshop()
    enrol(session, member(first_name="Marie", last_name="Dupont", email="marie@example.org"))
    enrol(session, member(first_name="Jan", last_name="Peeters", email="jan@example.org"))
    response = manager.get(f"{BASE}{session.pk}/sign-in-sheet.pdf")
    assert 'filename="sign-in-sheet-' in response["Content-Disposition"]
    text, pages = pdf_text(response)
    assert pages == 1
    # The module speaks French: so does the sheet, whatever the manager's language.
    for expected in (
        "Atelier : tenir le cap",
        "mardi 8 décembre 2026, 09:30–12:00",
        "Maison de l'entreprise, Rue de Fer 12, 5000 Namur",
        "2 personnes inscrites",
        "Dupont Marie",
        "Peeters Jan",
        "Signature",
        "Page 1 / 1",
    ):
        assert expected in text, expected
    assert "@" not in text and "example.org" not in text
    english, _pages = pdf_text(manager.get(f"{BASE}{session.pk}/sign-in-sheet.pdf?language=en"))
    assert "Tuesday 8 December 2026" in english and "2 people enrolled" in english
    dutch, _pages = pdf_text(manager.get(f"{BASE}{session.pk}/sign-in-sheet.pdf?language=xx"))
    assert "mardi" in dutch  # an unknown language: the session's


def test_a_long_list_runs_over_pages_with_numbers(manager, members):
    session = workshop(capacity=None)
    for person in members(45):
        enrol(session, person)
    with translation.override("fr"):
        text, pages = pdf_text(manager.get(f"{BASE}{session.pk}/sign-in-sheet.pdf"))
    assert pages >= 2
    assert f"Page {pages} / {pages}" in text
    assert "45 personnes inscrites" in text


def test_an_online_session_in_dutch(manager):
    session = SessionFactory(
        module=ModuleFactory(title="Webinar: slaap beter", language="nl", format="webinar"),
        starts_at=STARTS,
        ends_at=STARTS + timedelta(hours=1),
    )
    text, _pages = pdf_text(manager.get(f"{BASE}{session.pk}/sign-in-sheet.pdf"))
    assert "dinsdag 8 december 2026" in text and "Online" in text


@postgres_only
def test_taps_from_several_phones_at_once_record_one_check_in(own_connections):
    session = SessionFactory()
    seat = enrol(session, member())
    now = timezone.now()
    Session.objects.filter(pk=session.pk).update(
        starts_at=now - timedelta(minutes=5), ends_at=now + timedelta(hours=1)
    )

    def tap_at_once(_n: int) -> bool:
        return checkin_mark(session_id=session.pk, enrolment_id=seat.pk, present=True, actor=None)[
            1
        ]

    outcomes = at_once(tap_at_once, range(6))
    assert failures(outcomes) == []
    assert sorted(outcomes) == [False] * 5 + [True]
    assert (
        EnrolmentEvent.objects.filter(enrolment=seat)
        .filter(action="enrolment.attendance_marked")
        .count()
        == 1
    )
