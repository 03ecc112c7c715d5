import pytest
from django.contrib.auth.models import Group
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from members.roles import ROLE_PERMISSIONS, Role
from tests.factories import UserFactory, member, staff

pytestmark = pytest.mark.django_db

HOMES = {
    Role.MEMBER: "/fr/dashboard/member/",
    Role.AMBASSADOR: "/fr/dashboard/ambassador/",
    Role.ADVISOR: "/fr/dashboard/advisor/",
    Role.PROGRAMME_MANAGER: "/fr/dashboard/manager/",
}

# A partner organisation's staff land on their partner space, not on a dashboard
# (tests/referrals/test_partner_accounts.py).
DASHBOARD_ROLES = [role for role in Role if role is not Role.PARTNER]


def user_with(role: Role):
    return member() if role is Role.MEMBER else staff(role)


def test_role_groups_hold_their_permissions():
    for role, names in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role.value)
        held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert held == set(names)


def test_role_capabilities_come_from_the_groups():
    assert member().has_perm("members.access_member_space")
    manager = staff(Role.PROGRAMME_MANAGER)
    assert manager.has_perm("members.manage_programme")
    assert not manager.has_perm("members.work_cases")


@pytest.mark.parametrize("role", DASHBOARD_ROLES)
def test_each_role_lands_on_its_own_home(client, role):
    user = user_with(role)
    client.force_login(user)
    response = client.get("/fr/dashboard/")
    assert response.status_code == 302
    assert response["Location"] == HOMES[role]
    page = client.get(HOMES[role]).content.decode()
    assert user.first_name in page
    with translation.override("fr"):
        signed_in_as = gettext("You are signed in as: %(role)s") % {"role": role.label}
    assert escape(signed_in_as) in page


@pytest.mark.parametrize("role", DASHBOARD_ROLES)
@pytest.mark.parametrize("other", DASHBOARD_ROLES)
def test_a_role_home_is_closed_to_other_roles(client, role, other):
    client.force_login(user_with(other))
    status = client.get(HOMES[role]).status_code
    assert status == (200 if role is other else 403)


def test_visitors_are_sent_to_login(client):
    for url in HOMES.values():
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_an_account_without_role_is_told(client):
    client.force_login(UserFactory())
    response = client.get("/fr/dashboard/")
    assert response.status_code == 200


@pytest.mark.parametrize("role", DASHBOARD_ROLES)
def test_home_pages_run_a_fixed_number_of_queries(client, django_assert_max_num_queries, role):
    user = user_with(role)
    client.force_login(user)
    # The member's home is kept with the member's fingerprint, one more query when it is
    # rendered (dashboards.member_cache), and then read with four.
    with django_assert_max_num_queries(9 if role is Role.MEMBER else 8):
        assert client.get(HOMES[role]).status_code == 200
    with django_assert_max_num_queries(4 if role is Role.MEMBER else 8):
        assert client.get(HOMES[role]).status_code == 200
