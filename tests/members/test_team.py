"""Team administration: invitations, roles, deactivation with hand-over."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from members import team_services as services
from members.models import Invitation, User
from members.roles import Role, roles_of
from referrals.choices import CaseStatus, EventKind
from referrals.models import CaseEvent
from tests.factories import PASSWORD, UserFactory, member, staff
from tests.referrals.factories import CaseFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://\S+/team/join/\S+/")


def _invite(client, manager, django_capture_on_commit_callbacks, **data):
    client.force_login(manager)
    fields = {"email": "new.advisor@example.org", "role": "ambassador", "language": "nl", **data}
    with django_capture_on_commit_callbacks(execute=True):
        return client.post("/fr/team/invite/", fields)


def _link() -> str:
    return LINK.search(mail.outbox[-1].body).group(0)


def test_a_manager_invites_and_the_person_joins_with_the_role(
    client, manager_user, django_capture_on_commit_callbacks
):
    response = _invite(client, manager_user, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    message = mail.outbox[-1]
    assert message.to == ["new.advisor@example.org"]
    link = _link()
    assert "/nl/team/join/" in link  # in the language the manager chose
    client.logout()
    path = link.split("example.org", 1)[-1] if "example.org" in link else link
    path = "/" + link.split("/", 3)[3]
    page = client.get(path)
    assert page.status_code == 200
    response = client.post(
        path,
        {"first_name": "Ann", "last_name": "Peeters", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    user = User.objects.get(email="new.advisor@example.org")
    assert roles_of(user) == {Role.AMBASSADOR}
    assert user.emailaddress_set.get().verified
    assert user.profile.preferred_language == "nl"
    # Signed in, landing on their home.
    assert client.get(response.url, follow=True).status_code == 200
    # The link worked once.
    client.logout()
    again = client.get(path)
    assert again.status_code == 410
    assert "al gebruikt" in again.content.decode()


def test_an_expired_link_says_so(client, manager_user, django_capture_on_commit_callbacks):
    _invite(client, manager_user, django_capture_on_commit_callbacks)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    client.logout()
    page = client.get("/en/" + _link().split("/", 4)[4])
    assert page.status_code == 410
    assert "expired" in page.content.decode()


def test_a_tampered_or_replaced_link_is_refused(
    client, manager_user, django_capture_on_commit_callbacks
):
    _invite(client, manager_user, django_capture_on_commit_callbacks)
    first = "/en/" + _link().split("/", 4)[4]
    invitation = Invitation.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/fr/team/invitations/{invitation.pk}/resend/")
    client.logout()
    assert client.get(first).status_code == 410
    assert client.get(first[:-3] + "xx/").status_code == 410
    assert client.get("/en/" + _link().split("/", 4)[4]).status_code == 200


def test_inviting_an_existing_address_or_twice_is_refused_clearly(
    client, manager_user, django_capture_on_commit_callbacks
):
    existing = member()
    response = _invite(
        client, manager_user, django_capture_on_commit_callbacks, email=existing.email.upper()
    )
    assert response.status_code == 200
    assert "already has an account" in response.content.decode() or "déjà un compte" in (
        response.content.decode()
    )
    _invite(client, manager_user, django_capture_on_commit_callbacks)
    response = _invite(client, manager_user, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert Invitation.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_weak_password_is_refused_without_using_the_invitation(
    client, manager_user, django_capture_on_commit_callbacks
):
    _invite(client, manager_user, django_capture_on_commit_callbacks)
    client.logout()
    path = "/en/" + _link().split("/", 4)[4]
    response = client.post(
        path, {"first_name": "A", "last_name": "B", "password1": "123", "password2": "123"}
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="new.advisor@example.org").exists()
    assert Invitation.objects.get().accepted_at is None


def test_only_managers_open_the_team_pages(client, advisor_user):
    client.force_login(advisor_user)
    assert client.get("/fr/team/").status_code == 403
    client.logout()
    assert client.get("/fr/team/").status_code == 302


def test_role_change_and_its_refusals(client, manager_user):
    advisor = staff(Role.ADVISOR)
    client.force_login(manager_user)
    response = client.post(f"/fr/team/people/{advisor.pk}/role/", {"role": "programme_manager"})
    assert response.status_code == 302
    advisor.refresh_from_db()
    assert roles_of(User.objects.get(pk=advisor.pk)) == {Role.PROGRAMME_MANAGER}
    # One's own role: refused with a message, never a 500.
    response = client.post(
        f"/fr/team/people/{manager_user.pk}/role/", {"role": "advisor"}, follow=True
    )
    assert response.status_code == 200
    assert roles_of(User.objects.get(pk=manager_user.pk)) == {Role.PROGRAMME_MANAGER}
    assert list(response.context["messages"])


def test_a_member_can_be_given_a_team_role_and_keeps_being_a_member(manager_user):
    person = member()
    services.role_change(person=person, role="ambassador", actor=manager_user)
    assert roles_of(User.objects.get(pk=person.pk)) == {Role.MEMBER, Role.AMBASSADOR}


def test_deactivating_oneself_is_refused(client, manager_user):
    client.force_login(manager_user)
    response = client.post(f"/fr/team/people/{manager_user.pk}/deactivate/", follow=True)
    assert response.status_code == 200
    manager_user.refresh_from_db()
    assert manager_user.is_active


def test_deactivating_an_advisor_hands_their_open_cases_over(client, manager_user):
    leaving, colleague = staff(Role.ADVISOR), staff(Role.ADVISOR)
    open_case = CaseFactory(status=CaseStatus.IN_PROGRESS, assigned_to=leaving)
    follow_up = CaseFactory(
        status=CaseStatus.ORIENTED,
        assigned_to=leaving,
        follow_up_on=timezone.localdate() + timedelta(days=3),
    )
    client.force_login(manager_user)
    page = client.get(f"/fr/team/people/{leaving.pk}/")
    assert "successor" in page.context["deactivation_form"].fields
    # Without a successor: refused, nothing changes.
    response = client.post(f"/fr/team/people/{leaving.pk}/deactivate/", {})
    assert response.status_code == 200
    leaving.refresh_from_db()
    assert leaving.is_active
    # Himself as successor: not offered, refused.
    response = client.post(f"/fr/team/people/{leaving.pk}/deactivate/", {"successor": leaving.pk})
    assert response.status_code == 200
    response = client.post(f"/fr/team/people/{leaving.pk}/deactivate/", {"successor": colleague.pk})
    assert response.status_code == 302
    leaving.refresh_from_db()
    assert not leaving.is_active
    for case in (open_case, follow_up):
        case.refresh_from_db()
        assert case.assigned_to == colleague
    follow_up.refresh_from_db()
    assert follow_up.follow_up_on is not None
    events = CaseEvent.objects.filter(kind=EventKind.ASSIGNED, data__handover=True)
    assert events.count() == 2


def test_the_queue_flags_a_case_held_by_an_inactive_account(client, advisor_user):
    gone = staff(Role.ADVISOR, is_active=False)
    CaseFactory(status=CaseStatus.IN_PROGRESS, assigned_to=gone)
    client.force_login(advisor_user)
    page = client.get("/en/listening-cell/queue/").content.decode()
    assert "Inactive account: reassign" in page


def test_a_deactivated_account_can_no_longer_log_in_and_can_come_back(client, manager_user):
    ambassador = staff(Role.AMBASSADOR)
    services.person_deactivate(person=ambassador, actor=manager_user)
    assert not client.login(email=ambassador.email, password=PASSWORD)
    services.person_reactivate(person=ambassador, actor=manager_user)
    assert client.login(email=ambassador.email, password=PASSWORD)


def test_roles_are_shown_in_words(client, manager_user):
    staff(Role.AMBASSADOR)
    client.force_login(manager_user)
    page = client.get("/nl/team/").content.decode()
    assert "Ambassadeur" in page
    assert ">programme_manager<" not in page and ">ambassador<" not in page


def test_the_team_list_costs_the_same_whatever_its_length(client, manager_user):
    client.force_login(manager_user)
    client.get("/fr/team/")
    for role in (Role.ADVISOR, Role.AMBASSADOR):
        staff(role)
    Invitation.objects.create(
        email="x@example.org",
        role="advisor",
        key="k1",
        sent_at=timezone.now(),
        expires_at=timezone.now() + timedelta(days=1),
        invited_by=manager_user,
    )
    with CaptureQueriesContext(connection) as few:
        client.get("/fr/team/")
    for role in (Role.ADVISOR, Role.AMBASSADOR, Role.PROGRAMME_MANAGER):
        staff(role)
    UserFactory(is_superuser=True, is_staff=True)
    Invitation.objects.create(
        email="y@example.org",
        role="advisor",
        key="k2",
        sent_at=timezone.now(),
        expires_at=timezone.now() + timedelta(days=1),
        invited_by=staff(Role.PROGRAMME_MANAGER),
    )
    with CaptureQueriesContext(connection) as more:
        assert client.get("/fr/team/").status_code == 200
    assert len(more) == len(few)


def test_a_superuser_with_a_role_finds_the_admin_from_their_home(client):
    admin = UserFactory(is_staff=True, is_superuser=True, roles=[Role.PROGRAMME_MANAGER])
    client.force_login(admin)
    page = client.get("/fr/dashboard/", follow=True)
    assert page.templates[0].name == "dashboards/manager_home.html"
    assert 'href="/admin/"' in page.content.decode()


def test_the_admin_names_roles_in_words(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    person = staff(Role.ADVISOR)
    client.force_login(admin)
    page = client.get(f"/admin/members/user/{person.pk}/change/", HTTP_ACCEPT_LANGUAGE="fr")
    assert page.status_code == 200
    content = page.content.decode()
    assert "Conseiller de la cellule" in content
    assert ">advisor<" not in content


def test_invitations_leave_30_days_after_they_expired(manager_user):
    from members.retention import retention_enforce

    now = timezone.now()
    old = Invitation.objects.create(
        email="old@example.org",
        role="advisor",
        key="old",
        sent_at=now - timedelta(days=60),
        expires_at=now - timedelta(days=31),
    )
    recent = Invitation.objects.create(
        email="recent@example.org",
        role="advisor",
        key="recent",
        sent_at=now - timedelta(days=20),
        expires_at=now - timedelta(days=13),
    )
    assert retention_enforce()["members.old_invitations"] == 1
    assert not Invitation.objects.filter(pk=old.pk).exists()
    assert Invitation.objects.filter(pk=recent.pk).exists()
    assert retention_enforce()["members.old_invitations"] == 0


def test_an_invited_advisor_sets_up_the_second_factor_first(
    client, manager_user, django_capture_on_commit_callbacks
):
    _invite(client, manager_user, django_capture_on_commit_callbacks, role="advisor")
    client.logout()
    path = "/en/" + _link().split("/", 4)[4]
    response = client.post(
        path,
        {"first_name": "Ann", "last_name": "Peeters", "password1": PASSWORD, "password2": PASSWORD},
        follow=True,
    )
    # The two-factor set-up, which allauth opens after asking for the password again.
    assert response.redirect_chain[-1][0] == (
        "/en/accounts/reauthenticate/?next=%2Fen%2Faccounts%2F2fa%2Ftotp%2Factivate%2F"
    )
    assert roles_of(User.objects.get(email="new.advisor@example.org")) == {Role.ADVISOR}
