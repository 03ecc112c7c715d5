"""A cancelled session keeps its roster, its people move to another date in one step,
and a manager writes to a session's people: services, e-mails, pages, query counts."""

import csv
import io
import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from members.roles import Role
from notifications.models import Delivery
from programme import services
from programme.models import Enrolment, EnrolmentEvent, EnrolmentStatus, SessionMessage, SessionMove
from programme.operations_emails import SESSION_MESSAGE, SESSION_MOVED
from programme.selectors.operations import released_roster
from programme.services.operations import session_message_send, session_people_move
from tests.factories import PASSWORD, member, staff
from tests.programme.factories import ModuleFactory, SessionFactory
from tests.programme.helpers import enrol, person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_process_mail")]

BASE = "/en/programme/manage/sessions/"


def cancel(session, actor=None):
    return services.session_cancel(session_id=session.pk, reason="Animatrice malade", actor=actor)


@pytest.fixture
def module():
    return ModuleFactory(title="Mieux dormir", slug="mieux-dormir")


@pytest.fixture
def cancelled(module):
    """A cancelled session of three seats: Anne, Bert, Chloé held them; Dirk then Emma waited."""
    session = SessionFactory(module=module, capacity=3)
    people = [
        person(first_name=name, last_name=name, email=f"{name.lower()}@example.org")
        for name in ("Anne", "Bert", "Chloe", "Dirk", "Emma")
    ]
    for user in people:
        enrol(session, user)
    cancel(session)
    session.refresh_from_db()
    session.people = people
    return session


def new_date(module, **fields):
    starts = timezone.now() + timedelta(days=14)
    return SessionFactory(module=module, starts_at=starts, **fields)


def move(source, target, actor=None):
    return session_people_move(session_id=source.pk, target_id=target.pk, actor=actor)


def active_in(session):
    return list(
        Enrolment.objects.filter(session=session, status__in=["confirmed", "waitlisted"])
        .select_related("user")
        .order_by("queued_at", "pk")
    )


# --- The roster a cancelled session keeps --------------------------------------------


def test_a_cancelled_session_keeps_who_held_a_seat_and_who_waited(cancelled):
    confirmed, waitlist = released_roster(cancelled)
    assert [e.user.first_name for e in confirmed] == ["Anne", "Bert", "Chloe"]
    assert [(e.position, e.user.first_name) for e in waitlist] == [(1, "Dirk"), (2, "Emma")]
    # The seat counter and the one-active-enrolment rule are untouched: all released.
    assert cancelled.confirmed_count == 0
    assert not Enrolment.objects.filter(session=cancelled, status__in=["confirmed", "waitlisted"])


def test_a_member_who_left_before_the_cancellation_is_not_on_its_roster(module):
    session = SessionFactory(module=module, capacity=3)
    stays, leaves = member(), member()
    enrol(session, stays)
    gone = enrol(session, leaves)
    services.enrolment_cancel(enrolment_id=gone.pk, user=leaves)
    cancel(session)
    confirmed, waitlist = released_roster(session)
    assert [e.user for e in confirmed] == [stays] and waitlist == []


def test_the_manager_page_and_the_export_of_a_cancelled_session_list_its_people(
    client, manager_user, cancelled
):
    client.force_login(manager_user)
    page = client.get(f"{BASE}{cancelled.pk}/").content.decode()
    for name in ("anne@", "bert@", "chloe@", "dirk@", "emma@"):
        assert name in page
    assert "Move these people to another date" in page
    client.post("/en/accounts/reauthenticate/", {"password": PASSWORD})
    response = client.get(f"{BASE}{cancelled.pk}/attendees.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row[3] for row in rows[1:]] == ["Held a seat"] * 3 + ["On the waitlist"] * 2
    assert rows[4][2] == "dirk@example.org"


# --- Moving the people ---------------------------------------------------------------


def test_people_are_moved_in_order_seats_first_then_the_waitlist(
    cancelled, module, manager_user, django_capture_on_commit_callbacks
):
    target = new_date(module, capacity=4)
    already = member()
    enrol(target, already)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        record = move(cancelled, target, manager_user)
    assert (record.confirmed, record.waitlisted, record.skipped) == (3, 2, 0)
    rows = active_in(target)
    assert [(e.user.first_name, e.status) for e in rows[1:]] == [
        ("Anne", "confirmed"),
        ("Bert", "confirmed"),
        ("Chloe", "confirmed"),
        ("Dirk", "waitlisted"),
        ("Emma", "waitlisted"),
    ]
    target.refresh_from_db()
    assert target.confirmed_count == 4 == target.capacity
    # Each is told once, of the new date, and nobody else is.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in cancelled.people)
    assert EnrolmentEvent.objects.filter(action="enrolment.moved_in").count() == 5
    assert EnrolmentEvent.objects.filter(action="enrolment.moved_out").count() == 5


def test_a_second_move_moves_nobody_and_sends_nothing(
    cancelled, module, django_capture_on_commit_callbacks
):
    target = new_date(module, capacity=None)
    with django_capture_on_commit_callbacks(execute=True):
        assert move(cancelled, target).moved == 5
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        assert move(cancelled, target) is None
    assert len(mail.outbox) == sent == 5
    assert Delivery.objects.filter(kind=SESSION_MOVED).count() == 5
    assert SessionMove.objects.count() == 1
    assert len(active_in(target)) == 5


def test_the_e_mails_are_sent_once_even_when_the_notices_are_recorded_twice(
    cancelled, module, django_capture_on_commit_callbacks
):
    from programme.operations_emails import move_notices

    target = new_date(module)
    with django_capture_on_commit_callbacks(execute=True):
        move(cancelled, target)
    moved = [(e.user_id, e.pk) for e in active_in(target)]
    with django_capture_on_commit_callbacks(execute=True):
        assert move_notices(target=target, moved=moved) == []
    assert len(mail.outbox) == 5


def test_someone_already_enrolled_in_the_target_is_left_as_they_were(cancelled, module):
    target = new_date(module, capacity=2)
    bert = cancelled.people[1]
    held = enrol(target, bert)
    record = move(cancelled, target)
    assert (record.confirmed, record.waitlisted, record.skipped) == (1, 3, 1)
    assert [(e.user.first_name, e.status) for e in active_in(target)] == [
        ("Bert", "confirmed"),
        ("Anne", "confirmed"),
        ("Chloe", "waitlisted"),
        ("Dirk", "waitlisted"),
        ("Emma", "waitlisted"),
    ]
    assert Enrolment.objects.get(pk=held.pk).status == "confirmed"
    assert not Delivery.objects.filter(kind=SESSION_MOVED, recipient=bert)


def test_a_full_target_puts_everyone_on_its_waitlist_after_those_already_waiting(cancelled, module):
    target = new_date(module, capacity=1)
    enrol(target, member(first_name="Zoe"))
    first_waiting = enrol(target, member(first_name="Yann"))
    record = move(cancelled, target)
    assert (record.confirmed, record.waitlisted) == (0, 5)
    waiting = [e for e in active_in(target) if e.status == EnrolmentStatus.WAITLISTED]
    assert waiting[0].pk == first_waiting.pk
    assert [e.user.first_name for e in waiting[1:]] == ["Anne", "Bert", "Chloe", "Dirk", "Emma"]


@pytest.mark.parametrize("case", ["other module", "cancelled", "past", "same", "not cancelled"])
def test_a_wrong_move_is_refused_with_a_reason_and_changes_nothing(cancelled, module, case):
    source = cancelled
    if case == "other module":
        target = new_date(ModuleFactory())
    elif case == "cancelled":
        target = new_date(module)
        cancel(target)
    elif case == "past":
        target = SessionFactory(
            module=module,
            starts_at=timezone.now() - timedelta(days=2),
            ends_at=timezone.now() - timedelta(days=2) + timedelta(hours=1),
        )
    elif case == "same":
        target = cancelled
    else:
        source, target = new_date(module), new_date(module)
    with pytest.raises(services.ValidationError) as refused:
        move(source, target)
    assert refused.value.messages[0]
    assert not SessionMove.objects.exists()
    assert not EnrolmentEvent.objects.filter(action__startswith="enrolment.moved")
    assert not Delivery.objects.filter(kind=SESSION_MOVED)


def test_the_e_mail_says_the_new_date_in_the_persons_language(
    cancelled, module, django_capture_on_commit_callbacks
):
    target = new_date(module, capacity=3, mode="in_person", venue="Maison des entrepreneurs")
    target.join_url = ""
    target.save()
    from members.models import MemberProfile

    MemberProfile.objects.filter(user=cancelled.people[0]).update(preferred_language="nl")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        move(cancelled, target)
    sent = {m.to[0]: m for m in mail.outbox}
    dutch, french, waiting = (
        sent["anne@example.org"],
        sent["bert@example.org"],
        sent["emma@example.org"],
    )
    day = timezone.localtime(target.starts_at)
    with translation.override("fr"):
        from django.utils import formats

        french_day = formats.date_format(day, "j F")
    assert "Maison des entrepreneurs" in french.body and day.strftime("%H:%M") in french.body
    # Subjects are rendered on one line: their spaces, non-breaking ones too, are plain.
    assert french.subject == f"Une nouvelle date pour toi : Mieux dormir, le {french_day}"
    assert "Een nieuwe datum voor jou" in dutch.subject
    assert "liste d’attente" in waiting.body or "liste d'attente" in waiting.body


# --- Writing to a session's people ----------------------------------------------------


def send(session, **fields):
    data = {
        "subject": "Salle changée",
        "body": "Rendez-vous salle 2.\nÀ bientôt.",
        "to_confirmed": True,
        "to_waitlisted": False,
        "token": uuid.uuid4(),
        "actor": None,
        **fields,
    }
    return session_message_send(session_id=session.pk, **data)


def test_a_message_goes_once_to_each_chosen_person_in_their_language(
    module, django_capture_on_commit_callbacks
):
    session = SessionFactory(module=module, capacity=1)
    seated, waiting = person(language="nl"), person(language="fr")
    enrol(session, seated)
    enrol(session, waiting)
    mail.outbox.clear()
    token = uuid.uuid4()
    with django_capture_on_commit_callbacks(execute=True):
        message, created = send(session, token=token)
    assert created and message.recipient_count == 1
    assert [m.to[0] for m in mail.outbox] == [seated.email]
    assert mail.outbox[0].subject == "Salle changée (Mieux dormir)"
    assert "Rendez-vous salle 2." in mail.outbox[0].body
    assert "Hallo" in mail.outbox[0].body  # the frame in the reader's language
    html = mail.outbox[0].alternatives[0][0]
    assert "Rendez-vous salle 2.<br>À bientôt." in html
    # The same form sent again: the same message, nothing more sent.
    with django_capture_on_commit_callbacks(execute=True):
        again, created = send(session, token=token)
    assert again.pk == message.pk and not created
    assert len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        send(session, to_confirmed=True, to_waitlisted=True)
    assert len(mail.outbox) == 3
    assert Delivery.objects.filter(kind=SESSION_MESSAGE).count() == 3


def test_the_managers_text_is_plain_text_in_the_html_part(
    module, django_capture_on_commit_callbacks
):
    session = SessionFactory(module=module)
    enrol(session, member())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        send(session, body='<a href="https://evil.example">clique</a>')
    html = mail.outbox[0].alternatives[0][0]
    assert '<a href="https://evil.example">' not in html and "&lt;a href=" in html


def test_a_message_to_nobody_is_refused_with_the_reason(module):
    session = SessionFactory(module=module)
    enrol(session, member())
    with translation.override("fr"), pytest.raises(services.ValidationError) as refused:
        send(session, to_confirmed=False, to_waitlisted=True)
    assert refused.value.messages[0] == "Personne n’est sur la liste d’attente de cette séance."
    assert not SessionMessage.objects.exists()


# --- Pages ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.MEMBER, Role.AMBASSADOR, Role.ADVISOR])
def test_other_roles_may_neither_move_nor_write(client, cancelled, module, role):
    target = new_date(module)
    client.force_login(member() if role is Role.MEMBER else staff(role))
    assert client.get(f"{BASE}{cancelled.pk}/move/").status_code == 403
    assert client.post(f"{BASE}{cancelled.pk}/move/", {"target": target.pk}).status_code == 403
    assert client.get(f"{BASE}{target.pk}/message/").status_code == 403
    data = {
        "to_confirmed": "on",
        "subject": "x",
        "body": "y",
        "token": uuid.uuid4(),
        "confirm": "1",
    }
    assert client.post(f"{BASE}{target.pk}/message/", data).status_code == 403
    assert not SessionMove.objects.exists() and not SessionMessage.objects.exists()


def test_an_unknown_session_is_a_404(client, manager_user):
    client.force_login(manager_user)
    assert client.get(f"{BASE}999999/move/").status_code == 404
    assert client.get(f"{BASE}999999/message/").status_code == 404


def test_the_manager_sees_the_plan_then_moves(client, manager_user, cancelled, module):
    target = new_date(module, capacity=1)
    enrol(target, member())
    client.force_login(manager_user)
    page = client.get(f"{BASE}{cancelled.pk}/move/", {"target": target.pk}).content.decode()
    assert "This session is full: everyone goes to its waitlist" in page
    assert "5 people go to its waitlist" in page and "Move 5 people" in page
    assert not SessionMove.objects.exists()
    response = client.post(f"{BASE}{cancelled.pk}/move/", {"target": target.pk})
    assert response.status_code == 302 and response["Location"].endswith(f"/{target.pk}/")
    page = client.get(response["Location"]).content.decode()
    assert "5 people moved: 0 with a seat, 5 on the waitlist." in page
    # Clicking again: nothing more, and a clear word.
    response = client.post(f"{BASE}{cancelled.pk}/move/", {"target": target.pk}, follow=True)
    assert "Nobody was left to move" in response.content.decode()
    assert SessionMove.objects.count() == 1


@pytest.mark.parametrize("bad", ["other module", "cancelled", "unknown", "text", "huge"])
def test_bad_targets_get_a_clear_message_never_a_500(client, manager_user, cancelled, bad):
    target = {
        "other module": lambda: new_date(ModuleFactory()).pk,
        "cancelled": lambda: cancel(new_date(cancelled.module)).pk,
        "unknown": lambda: 987654,
        "text": lambda: "abc",
        "huge": lambda: "9" * 30,
    }[bad]()
    client.force_login(manager_user)
    for response in (
        client.get(f"{BASE}{cancelled.pk}/move/", {"target": target}),
        client.post(f"{BASE}{cancelled.pk}/move/", {"target": target}),
    ):
        assert response.status_code == 200
        assert 'class="invalid-feedback"' in response.content.decode() or "alert-danger" in (
            response.content.decode()
        )
    assert not SessionMove.objects.exists()


def test_a_session_not_cancelled_sends_the_manager_back(client, manager_user, module):
    session = new_date(module)
    client.force_login(manager_user)
    response = client.get(f"{BASE}{session.pk}/move/", follow=True)
    assert "Only the people of a cancelled session can be moved." in response.content.decode()


def test_the_message_page_counts_the_recipients_before_sending(
    client, manager_user, module, django_capture_on_commit_callbacks
):
    session = SessionFactory(module=module, capacity=2)
    for _ in range(3):
        enrol(session, member())
    client.force_login(manager_user)
    url = f"{BASE}{session.pk}/message/"
    page = client.get(url).content.decode()
    assert "The confirmed participants (2)" in page and "The people on the waitlist (1)" in page
    token = str(uuid.uuid4())
    data = {
        "to_confirmed": "on",
        "to_waitlisted": "on",
        "subject": "Salle",
        "body": "Salle 2",
        "token": token,
    }
    page = client.post(url, data).content.decode()
    assert "This message goes to 3 people." in page
    assert not Delivery.objects.filter(kind=SESSION_MESSAGE)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**data, "confirm": "1"})
        again = client.post(url, {**data, "confirm": "1"}, follow=True)
    assert response.status_code == 302
    assert "This message was already sent." in again.content.decode()
    assert Delivery.objects.filter(kind=SESSION_MESSAGE).count() == 3
    page = client.get(f"{BASE}{session.pk}/").content.decode()
    assert "Salle" in page and "3 people" in page


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"subject": "Salle", "body": "   "}, "This field is required."),
        ({"subject": "  ", "body": "Salle 2"}, "This field is required."),
        ({"subject": "Salle", "body": "Salle 2", "to_confirmed": ""}, "Choose the confirmed"),
    ],
)
def test_an_incomplete_message_is_a_form_error(client, manager_user, module, fields, error):
    session = SessionFactory(module=module)
    enrol(session, member())
    client.force_login(manager_user)
    data = {"to_confirmed": "on", "token": str(uuid.uuid4()), "confirm": "1", **fields}
    if not data["to_confirmed"]:
        del data["to_confirmed"]
    response = client.post(f"{BASE}{session.pk}/message/", data)
    assert response.status_code == 200 and error in response.content.decode()
    assert not SessionMessage.objects.exists()


def test_a_message_that_would_reach_nobody_says_why_and_offers_no_send_button(
    client, manager_user, module
):
    session = SessionFactory(module=module)
    enrol(session, member())
    client.force_login(manager_user)
    data = {
        "to_waitlisted": "on",
        "subject": "Salle",
        "body": "Salle 2",
        "token": str(uuid.uuid4()),
    }
    page = client.post(f"{BASE}{session.pk}/message/", data).content.decode()
    assert "This message would reach nobody" in page and "Nobody is on the waitlist" in page
    assert "Send the message" not in page


# --- Query counts --------------------------------------------------------------------


def _count(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


def test_the_pages_queries_do_not_grow_with_people_moves_or_messages(client, manager_user, module):
    client.force_login(manager_user)
    source = SessionFactory(module=module, capacity=2)
    enrol(source, member())
    cancel(source)
    target = new_date(module, capacity=2)
    for _ in range(2):
        enrol(target, member())
    move(source, target)
    send(target)
    small = {
        "roster": _count(client, f"{BASE}{source.pk}/"),
        "target": _count(client, f"{BASE}{target.pk}/"),
        "plan": _count(client, f"{BASE}{source.pk}/move/", target=target.pk),
        "message": _count(client, f"{BASE}{target.pk}/message/"),
    }
    source2 = SessionFactory(module=module, capacity=30)
    for _ in range(12):
        enrol(source2, member())
    cancel(source2)
    move(source2, target)
    for _ in range(6):
        send(target, to_waitlisted=True)
    new_date(module)
    new_date(module)
    assert _count(client, f"{BASE}{source2.pk}/") == small["roster"]
    assert _count(client, f"{BASE}{target.pk}/") == small["target"]
    assert _count(client, f"{BASE}{source2.pk}/move/", target=new_date(module).pk) == small["plan"]
    assert _count(client, f"{BASE}{target.pk}/message/") == small["message"]


def test_the_move_runs_a_fixed_number_of_statements(
    cancelled, module, django_assert_max_num_queries
):
    target = new_date(module, capacity=2)
    with django_assert_max_num_queries(14):
        move(cancelled, target)
