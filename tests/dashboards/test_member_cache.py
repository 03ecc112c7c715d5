"""The member's home and "mon parcours" kept whole for that member in the shared cache
(dashboards.member_cache): fewer queries the second time, every change to what they
show seen at once, whatever path made it, nothing shared between members."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone, translation

from dashboards.member_cache import member_fingerprint
from members.models import MemberProfile
from members.roles import Role
from programme import services
from programme.models import Enrolment, Module, Session
from referrals.choices import CaseStatus
from referrals.models import Case
from tests.assessments.factories import keep_result
from tests.factories import member, staff
from tests.programme.factories import ModuleFactory, SessionFactory
from tests.referrals.factories import CaseFactory

pytestmark = pytest.mark.django_db

HOME = "/en/dashboard/member/"
PARCOURS = "/en/dashboard/parcours/"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("url", [HOME, PARCOURS])
def test_the_second_visit_reads_the_page_from_the_cache(url, django_assert_num_queries):
    user = member()
    session = SessionFactory(module=ModuleFactory(title="Atelier sommeil"))
    services.enrolment_create(session_id=session.pk, user=user)
    client = signed_in(user)
    first = page(client, url)
    # The session, the account with its roles, and the member's fingerprint.
    with django_assert_num_queries(3):
        second = page(client, url)
    assert "Atelier sommeil" in second
    # The same page but for the CSRF token (the log-out form): the request's own.
    assert TOKEN.sub("", first) == TOKEN.sub("", second)
    tokens = TOKEN.findall(second)
    assert tokens and len(set(tokens)) == 1


def test_members_never_see_each_others_page():
    alice, bob = member(first_name="Alice"), member(first_name="Bob")
    SessionFactory(module=ModuleFactory(title="Atelier sommeil"))
    alice_client, bob_client = signed_in(alice), signed_in(bob)
    assert "Alice" in page(alice_client, HOME)
    body = page(bob_client, HOME)
    assert "Bob" in body and "Alice" not in body


def test_each_language_has_its_own_page():
    client = signed_in(member())
    assert '<html lang="en">' in page(client, HOME)
    assert '<html lang="nl">' in page(client, "/nl/dashboard/member/")
    assert '<html lang="en">' in page(client, HOME)


def test_an_enrolment_shows_at_once():
    user = member()
    client = signed_in(user)
    page(client, HOME), page(client, PARCOURS)
    session = SessionFactory(module=ModuleFactory(title="Atelier sommeil"))
    services.enrolment_create(session_id=session.pk, user=user)
    assert "Atelier sommeil" in page(client, HOME)
    assert "Atelier sommeil" in page(client, PARCOURS)


def test_a_place_on_the_waitlist_moves_when_someone_ahead_leaves():
    user, ahead = member(), member()
    session = SessionFactory(capacity=1)
    services.enrolment_create(session_id=session.pk, user=member())
    first_waiting = services.enrolment_create(session_id=session.pk, user=ahead).enrolment
    services.enrolment_create(session_id=session.pk, user=user)
    client = signed_in(user)
    assert "Waitlist: number 2" in page(client, HOME)
    # Someone else's cancellation: none of the member's rows changes.
    services.enrolment_cancel(enrolment_id=first_waiting.pk, user=ahead)
    assert "Waitlist: number 1" in page(client, HOME)


def test_a_bulk_update_shows_at_once():
    """A change made with QuerySet.update(), which sends no signal: the attendance a
    manager marks for a whole session."""
    user = member()
    session = SessionFactory()
    enrolment = services.enrolment_create(session_id=session.pk, user=user).enrolment
    Session.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - timedelta(days=2),
        ends_at=timezone.now() - timedelta(days=2) + timedelta(hours=2),
    )
    client = signed_in(user)
    assert "Attended" not in page(client, PARCOURS)
    Enrolment.objects.filter(pk=enrolment.pk).update(attendance="attended")
    assert "Attended" in page(client, PARCOURS)


def test_a_session_that_ends_moves_to_the_past():
    user = member()
    session = SessionFactory(module=ModuleFactory(title="Atelier sommeil"))
    services.enrolment_create(session_id=session.pk, user=user)
    client = signed_in(user)
    assert "Atelier sommeil" in page(client, HOME)
    # Time passing changes no row: moved back here without a signal.
    Session.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1)
    )
    assert "Atelier sommeil" not in page(client, HOME)


def test_a_change_to_the_catalogue_shows_at_once():
    user = member()
    session = SessionFactory(module=ModuleFactory(title="Atelier sommeil"))
    services.enrolment_create(session_id=session.pk, user=user)
    client = signed_in(user)
    assert "Atelier sommeil" in page(client, PARCOURS)
    module = Module.objects.get(pk=session.module_id)
    module.title = "Mieux dormir"
    module.save()
    body = page(client, PARCOURS)
    assert "Mieux dormir" in body and "Atelier sommeil" not in body


def test_an_advisors_change_to_a_request_shows_at_once():
    user = member()
    case = CaseFactory(member=user)
    client = signed_in(user)
    with translation.override("en"):
        new, taken = CaseStatus.NEW.label, CaseStatus.IN_PROGRESS.label
        first = page(client, HOME)
        assert str(new) in first and str(taken) not in first
        Case.objects.filter(pk=case.pk).update(
            status=CaseStatus.IN_PROGRESS, assigned_to=staff(Role.ADVISOR)
        )
        body = page(client, HOME)
    assert str(taken) in body


def test_a_new_result_and_a_completed_profile_show_at_once():
    user = member()
    MemberProfile.objects.filter(user=user).update(
        province="", postcode="", activity_sector="", self_employment=""
    )
    client = signed_in(user)
    body = page(client, HOME)
    assert "Complete my profile" in body and "/en/self-assessments/results/" not in body
    keep_result(user)
    assert "/self-assessments/results/" in page(client, HOME)
    profile = MemberProfile.objects.get(user=user)
    profile.province, profile.postcode = "WLG", "1300"
    profile.activity_sector, profile.self_employment = "health", "main"
    profile.save()
    assert profile.is_complete
    assert "Complete my profile" not in page(client, HOME)


def test_a_page_with_a_message_waiting_is_neither_served_nor_kept():
    user = member()
    module = ModuleFactory(title="Atelier sommeil")
    services.module_save(user=user, module=module)
    client = signed_in(user)
    page(client, HOME)
    # Saved again: "It was already in your library", and nothing of the member changed.
    response = client.post(
        f"/en/programme/modules/{module.slug}/save/", {"action": "save", "next": HOME}
    )
    assert response.status_code == 302
    assert "already in your library" in page(client, HOME)
    # Shown once, and the page kept without it.
    assert "already in your library" not in page(client, HOME)


def test_the_fingerprint_reads_every_column_of_the_members_rows():
    user = member()
    before = member_fingerprint(user)
    MemberProfile.objects.filter(user=user).update(phone="+32470000000")
    assert member_fingerprint(user) != before
    # Another member's change is not this member's.
    other = member()
    mine = member_fingerprint(user)
    MemberProfile.objects.filter(user=other).update(phone="+32470000001")
    assert member_fingerprint(user) == mine
