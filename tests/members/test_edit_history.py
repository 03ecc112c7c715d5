"""Every staff edit keeps who changed what and when (common.history)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from common.history import changes_of
from members import team_services
from members.models import User
from members.retention import retention_enforce
from members.roles import Role
from members.services import member_erase
from programme.services import enrolment_create, module_update, session_cancel
from referrals.models import Partner
from surveys.models import SurveyCampaign
from tests.factories import UserFactory, member, staff
from tests.programme.factories import ModuleFactory, SessionFactory
from tests.referrals.factories import PartnerFactory
from tests.referrals.test_directory import NEW

pytestmark = pytest.mark.django_db


def test_a_partner_s_phone_change_shows_who_changed_it_and_from_what(client, manager_user):
    partner = PartnerFactory(phone="02 648 40 14", is_crisis_line=True)
    client.force_login(manager_user)
    response = client.post(
        f"/en/listening-cell/staff/partners/{partner.pk}/edit/",
        {**NEW, "slug": partner.slug, "phone": "0800 32 123", "is_crisis_line": "on"},
    )
    assert response.status_code == 302
    latest = partner.history.latest()
    assert latest.history_user == manager_user
    [entry, *_older] = changes_of(partner)
    assert entry.who == manager_user.display_name
    phone = next(change for change in entry.changes if change.field == "Phone")
    assert (phone.old, phone.new) == ("02 648 40 14", "0800 32 123")
    page = client.get(f"/en/listening-cell/staff/partners/{partner.pk}/edit/").content.decode()
    assert "History" in page
    assert "02 648 40 14</del> → <ins>0800 32 123" in page


def test_module_changes_and_themes_are_kept(manager_user):
    module = ModuleFactory(title="Old title", themes=["stress"])
    module_update(module=module, title="New title", themes=[])
    entries = changes_of(module)
    lines = {(c.field, c.old, c.new) for e in entries for c in e.changes}
    assert ("Title", "Old title", "New title") in lines
    assert any(field == "Themes" and new == "—" for field, _old, new in lines)


def test_enrolments_leave_no_history_but_a_cancellation_does(manager_user):
    session = SessionFactory(capacity=5)
    before = session.history.count()
    for _ in range(3):
        enrolment_create(session_id=session.pk, user=member())
    assert session.history.count() == before
    session_cancel(session_id=session.pk, reason="Speaker ill", actor=manager_user)
    assert session.history.count() == before + 1
    [entry, *_rest] = changes_of(session)
    assert {c.field for c in entry.changes} >= {"Cancelled at", "Reason for cancelling"}


def test_role_changes_are_kept_and_shown_in_words(client, manager_user):
    person = staff(Role.AMBASSADOR)
    client.force_login(manager_user)
    client.post(f"/fr/team/people/{person.pk}/role/", {"role": "advisor"})
    page = client.get(f"/en/team/people/{person.pk}/").content.decode()
    assert "<del>Ambassador</del> → <ins>Listening-cell advisor</ins>" in page
    entry = changes_of(person)[0]
    assert entry.who == manager_user.display_name


def test_logins_and_seat_counts_are_not_edits(client):
    person = member()
    before = person.history.count()
    client.force_login(person)
    person.save(update_fields=["last_login"])
    assert person.history.count() == before


def test_erasure_leaves_nothing_of_the_person_in_the_history(manager_user):
    person = member()
    team_services.role_change(person=person, role="ambassador", actor=manager_user)
    author = staff(Role.PROGRAMME_MANAGER)
    campaign = SurveyCampaign.objects.create(
        title="Sleep", intro="How do you sleep?", audience="all", created_by=author
    )
    campaign.title = "Sleep well"
    campaign.save()
    HistoricalUser = User.history.model
    assert HistoricalUser.objects.filter(id=person.pk).exists()
    member_erase(user=person)
    assert not HistoricalUser.objects.filter(id=person.pk).exists()
    member_erase(user=author)
    assert not SurveyCampaign.history.filter(created_by_id=author.pk).exists()
    # The change itself stays.
    assert SurveyCampaign.history.filter(title="Sleep well").exists()


def test_history_leaves_after_its_retention_period(settings):
    partner = PartnerFactory()
    partner.phone = "081 77 71 71"
    partner.save()
    old = Partner.history.model.objects.filter(id=partner.pk).order_by("history_id").first()
    Partner.history.model.objects.filter(pk=old.pk).update(
        history_date=timezone.now() - timedelta(days=settings.RETENTION_EDIT_HISTORY_DAYS + 1)
    )
    assert retention_enforce()["members.edit_history"] >= 1
    assert not Partner.history.model.objects.filter(pk=old.pk).exists()
    assert partner.history.exists()
    assert changes_of(partner)[-1].kind == "first_kept"
    assert retention_enforce()["members.edit_history"] == 0


def test_the_admin_shows_the_history():
    admin = UserFactory(is_staff=True, is_superuser=True)
    partner = PartnerFactory()
    from django.test import Client

    client = Client()
    client.force_login(admin)
    page = client.get(f"/admin/referrals/partner/{partner.pk}/history/")
    assert page.status_code == 200


def test_the_history_section_costs_the_same_whatever_its_length(client, manager_user):
    person = staff(Role.AMBASSADOR)
    client.force_login(manager_user)
    url = f"/en/team/people/{person.pk}/"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for role in ("advisor", "programme_manager", "ambassador", "advisor"):
        team_services.role_change(person=person, role=role, actor=manager_user)
    with CaptureQueriesContext(connection) as more:
        assert client.get(url).status_code == 200
    assert len(more) == len(few)
