"""Enrolment rules: capacity, waitlist order, promotion, idempotence, refusals, audit."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from programme import services
from programme.models import Enrolment, EnrolmentEvent, EnrolmentStatus, Session
from tests.programme.factories import ModuleFactory, SessionFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def enrol(session, user):
    return services.enrolment_create(session_id=session.pk, user=user).enrolment


def actions(enrolment):
    return list(enrolment.events.values_list("action", flat=True))


def test_confirms_while_seats_are_free_then_waitlists_in_arrival_order(members):
    session = SessionFactory(capacity=2)
    people = members(5)
    enrolments = [enrol(session, person) for person in people]
    assert [e.status for e in enrolments] == ["confirmed"] * 2 + ["waitlisted"] * 3
    session.refresh_from_db()
    assert session.confirmed_count == 2
    assert actions(enrolments[0]) == ["enrolment.confirmed"]
    assert actions(enrolments[3]) == ["enrolment.waitlisted"]
    assert enrolments[0].events.get().actor == people[0]


def test_unlimited_session_always_confirms(members):
    session = SessionFactory(capacity=None)
    assert {enrol(session, p).status for p in members(20)} == {"confirmed"}
    session.refresh_from_db()
    assert session.confirmed_count == 20


def test_a_double_click_enrols_once(member_user):
    session = SessionFactory(capacity=3)
    first = services.enrolment_create(session_id=session.pk, user=member_user)
    second = services.enrolment_create(session_id=session.pk, user=member_user)
    assert first.created and not second.created
    assert second.enrolment.pk == first.enrolment.pk
    assert Enrolment.objects.filter(session=session).count() == 1
    session.refresh_from_db()
    assert session.confirmed_count == 1
    assert EnrolmentEvent.objects.count() == 1


def test_the_database_refuses_two_active_enrolments(member_user):
    session = SessionFactory()
    enrol(session, member_user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrolment.objects.create(session=session, user=member_user, status="waitlisted")


def test_the_database_refuses_overbooking():
    session = SessionFactory(capacity=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.filter(pk=session.pk).update(confirmed_count=2)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"starts_at": timezone.now() - timedelta(hours=1)},
        {"is_published": False},
        {"registration_deadline": timezone.now() - timedelta(minutes=1)},
    ],
    ids=["past", "unpublished", "closed"],
)
def test_no_enrolment_in_a_past_unpublished_or_closed_session(member_user, kwargs):
    session = SessionFactory(**kwargs)
    with pytest.raises(services.EnrolmentRefused):
        enrol(session, member_user)
    assert not Enrolment.objects.exists()
    assert not EnrolmentEvent.objects.exists()


def test_no_enrolment_in_a_cancelled_session_or_unpublished_module(member_user, manager_user):
    session = SessionFactory()
    services.session_cancel(session_id=session.pk, reason="Formatrice malade", actor=manager_user)
    with pytest.raises(services.EnrolmentRefused):
        enrol(session, member_user)
    hidden = SessionFactory(module=ModuleFactory(is_published=False))
    with pytest.raises(services.EnrolmentRefused):
        enrol(hidden, member_user)
    assert not Enrolment.objects.exists()


def test_unknown_session_is_refused(member_user):
    with pytest.raises(services.EnrolmentRefused):
        services.enrolment_create(session_id=987654, user=member_user)


def test_cancelling_promotes_the_first_on_the_waitlist(members):
    session = SessionFactory(capacity=1)
    first, second, third = members(3)
    seat = enrol(session, first)
    waiting_2 = enrol(session, second)
    waiting_3 = enrol(session, third)

    services.enrolment_cancel(enrolment_id=seat.pk, user=first)

    for e in (seat, waiting_2, waiting_3):
        e.refresh_from_db()
    assert seat.status == EnrolmentStatus.CANCELLED
    assert waiting_2.status == EnrolmentStatus.CONFIRMED and waiting_2.confirmed_at
    assert waiting_3.status == EnrolmentStatus.WAITLISTED
    session.refresh_from_db()
    assert session.confirmed_count == 1
    assert actions(seat) == ["enrolment.confirmed", "enrolment.cancelled"]
    assert actions(waiting_2) == ["enrolment.waitlisted", "enrolment.promoted"]


def test_leaving_the_waitlist_promotes_nobody(members):
    session = SessionFactory(capacity=1)
    first, second, third = members(3)
    enrol(session, first)
    waiting = enrol(session, second)
    last = enrol(session, third)
    services.enrolment_cancel(enrolment_id=waiting.pk, user=second)
    last.refresh_from_db()
    assert last.status == EnrolmentStatus.WAITLISTED
    session.refresh_from_db()
    assert session.confirmed_count == 1


def test_cancel_twice_changes_nothing_more(member_user):
    session = SessionFactory(capacity=2)
    seat = enrol(session, member_user)
    services.enrolment_cancel(enrolment_id=seat.pk, user=member_user)
    services.enrolment_cancel(enrolment_id=seat.pk, user=member_user)
    session.refresh_from_db()
    assert session.confirmed_count == 0
    assert actions(seat) == ["enrolment.confirmed", "enrolment.cancelled"]


def test_cannot_cancel_once_the_session_started(member_user, time_machine):
    session = SessionFactory(capacity=2)
    seat = enrol(session, member_user)
    time_machine.move_to(session.starts_at + timedelta(minutes=5))
    with pytest.raises(services.EnrolmentRefused):
        services.enrolment_cancel(enrolment_id=seat.pk, user=member_user)
    seat.refresh_from_db()
    assert seat.status == EnrolmentStatus.CONFIRMED


def test_cannot_cancel_someone_elses_enrolment(members):
    owner, other = members(2)
    seat = enrol(SessionFactory(), owner)
    with pytest.raises(services.EnrolmentRefused):
        services.enrolment_cancel(enrolment_id=seat.pk, user=other)
    seat.refresh_from_db()
    assert seat.status == EnrolmentStatus.CONFIRMED


def test_enrol_again_after_cancelling(member_user):
    session = SessionFactory(capacity=2)
    seat = enrol(session, member_user)
    services.enrolment_cancel(enrolment_id=seat.pk, user=member_user)
    again = enrol(session, member_user)
    assert again.pk != seat.pk and again.status == EnrolmentStatus.CONFIRMED


def test_organiser_cancellation_releases_everyone(members, manager_user):
    session = SessionFactory(capacity=2)
    enrolments = [enrol(session, p) for p in members(4)]
    services.session_cancel(session_id=session.pk, reason="Salle indisponible", actor=manager_user)
    session.refresh_from_db()
    assert session.is_cancelled and session.cancellation_reason == "Salle indisponible"
    assert session.confirmed_count == 0
    for e in enrolments:
        e.refresh_from_db()
        assert e.status == EnrolmentStatus.CANCELLED and e.cancelled_by_organiser
        assert actions(e)[-1] == "enrolment.cancelled_by_organiser"


def test_organiser_cancels_a_session_under_way_after_attendance_was_marked(
    members, manager_user, client, time_machine
):
    """The speaker does not come: attendance marked at the start is cleared, not a crash."""
    session = SessionFactory(capacity=3)
    came, late = [enrol(session, p) for p in members(2)]
    time_machine.move_to(session.starts_at + timedelta(minutes=10), tick=False)
    services.attendance_mark(
        session_id=session.pk, marks={came.pk: "attended", late.pk: "no_show"}, actor=manager_user
    )
    client.force_login(manager_user)
    response = client.post(
        f"/en/programme/manage/sessions/{session.pk}/cancel/", {"reason": "Speaker ill"}
    )
    assert response.status_code == 302
    came.refresh_from_db()
    assert came.status == EnrolmentStatus.CANCELLED and came.attendance == ""
    assert came.events.last().data == {"reason": "Speaker ill", "attendance": "attended"}
    assert late.events.last().data == {"reason": "Speaker ill", "attendance": "no_show"}
    session.refresh_from_db()
    assert session.is_cancelled and session.confirmed_count == 0


def test_organiser_cancellation_needs_a_reason(manager_user):
    session = SessionFactory()
    with pytest.raises(services.ValidationError):
        services.session_cancel(session_id=session.pk, reason="  ", actor=manager_user)
    session.refresh_from_db()
    assert not session.is_cancelled


def test_raising_the_capacity_promotes_the_waitlist(members, manager_user):
    session = SessionFactory(capacity=1)
    enrolments = [enrol(session, p) for p in members(4)]
    services.session_update(session_id=session.pk, capacity=3, actor=manager_user)
    statuses = [Enrolment.objects.get(pk=e.pk).status for e in enrolments]
    assert statuses == ["confirmed", "confirmed", "confirmed", "waitlisted"]


def test_capacity_cannot_drop_below_the_seats_taken(members, manager_user):
    session = SessionFactory(capacity=3)
    for p in members(3):
        enrol(session, p)
    with pytest.raises(services.ValidationError):
        services.session_update(session_id=session.pk, capacity=2, actor=manager_user)
    session.refresh_from_db()
    assert session.capacity == 3


def test_attendance_is_marked_for_confirmed_participants(members, manager_user, time_machine):
    session = SessionFactory(capacity=1)
    came, waited = members(2)
    seat = enrol(session, came)
    waiting = enrol(session, waited)
    with pytest.raises(services.ValidationError):
        services.attendance_mark(
            session_id=session.pk, marks={seat.pk: "attended"}, actor=manager_user
        )
    time_machine.move_to(session.ends_at + timedelta(minutes=5))
    with pytest.raises(services.ValidationError):
        services.attendance_mark(
            session_id=session.pk,
            marks={seat.pk: "attended", waiting.pk: "attended"},
            actor=manager_user,
        )
    seat.refresh_from_db()
    assert seat.attendance == ""
    changed = services.attendance_mark(
        session_id=session.pk, marks={seat.pk: "attended"}, actor=manager_user
    )
    seat.refresh_from_db()
    assert changed == 1 and seat.attendance == "attended"
    assert actions(seat)[-1] == "enrolment.attendance_marked"
    assert seat.events.last().data == {"attendance": "attended", "previous": ""}
    assert (
        services.attendance_mark(
            session_id=session.pk, marks={seat.pk: "attended"}, actor=manager_user
        )
        == 0
    )


def test_attendance_refuses_unknown_values(member_user, manager_user, time_machine):
    session = SessionFactory()
    seat = enrol(session, member_user)
    time_machine.move_to(session.ends_at)
    with pytest.raises(services.ValidationError):
        services.attendance_mark(
            session_id=session.pk, marks={seat.pk: "maybe"}, actor=manager_user
        )


def test_duplicate_keeps_length_place_and_deadline_offset(manager_user):
    starts = timezone.now() + timedelta(days=3)
    session = SessionFactory(
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        registration_deadline=starts - timedelta(days=1),
        mode="in_person",
        venue="Maison de l'entreprise",
        province="WNA",
    )
    new_start = starts + timedelta(days=14)
    copy = services.session_duplicate(session=session, starts_at=new_start, actor=manager_user)
    assert copy.pk != session.pk and not copy.is_published
    assert copy.ends_at - copy.starts_at == timedelta(hours=3)
    assert copy.registration_deadline == new_start - timedelta(days=1)
    assert (copy.venue, copy.province, copy.confirmed_count) == ("Maison de l'entreprise", "WNA", 0)


def test_a_digital_tool_has_no_sessions():
    from programme.models import ModuleFormat

    tool = ModuleFactory(format=ModuleFormat.DIGITAL_TOOL, external_url="https://evoluno.example")
    with pytest.raises(services.ValidationError):
        services.session_create(
            module=tool,
            starts_at=timezone.now() + timedelta(days=1),
            ends_at=timezone.now() + timedelta(days=1, hours=1),
            mode="online",
        )


def test_calendar_token_regenerates(member_user):
    feed = services.calendar_feed_ensure(user=member_user)
    again = services.calendar_feed_ensure(user=member_user)
    assert again.token == feed.token
    fresh = services.calendar_token_regenerate(user=member_user)
    assert fresh.token != feed.token and len(fresh.token) >= 40


def test_saving_a_module_is_idempotent(member_user):
    module = ModuleFactory()
    services.module_save(user=member_user, module=module)
    services.module_save(user=member_user, module=module)
    assert member_user.saved_modules.count() == 1
    services.module_unsave(user=member_user, module=module)
    services.module_unsave(user=member_user, module=module)
    assert member_user.saved_modules.count() == 0


def test_module_create_builds_a_unique_slug_and_accent_free_search(manager_user):
    # get_or_create: the migration's theme, or the same after a transactional test's flush.
    sleep = ThemeFactory(slug="sleep", name_nl="Slaap")
    fields = {
        "title": "Déconnexion numérique",
        "summary": "Éteindre",
        "format": "webinar",
        "language": "fr",
        "description": "",
    }
    one = services.module_create(themes=[sleep], **fields)
    two = services.module_create(themes=[sleep], **fields)
    assert one.slug == "deconnexion-numerique" and two.slug == "deconnexion-numerique-2"
    assert "deconnexion" in one.search_text and "slaap" in one.search_text
    assert not one.is_published


def test_module_create_validates_before_writing():
    from programme.models import Module

    with pytest.raises(services.ValidationError):
        services.module_create(themes=[], title="", summary="x", format="nonsense", language="fr")
    assert not Module.objects.exists()
