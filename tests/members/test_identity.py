"""The one-query identity cache (roles and the authenticator flag) follows changes made
within the same request, on the request's lazy user as on a plain instance."""

import pytest
from allauth.mfa.base.internal.flows import delete_and_cleanup
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.utils.functional import SimpleLazyObject

from members.mfa import has_totp
from members.models import User
from members.roles import Role, has_role, roles_of
from members.services import role_grant, role_revoke
from tests.factories import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def lazy_member(db):
    """As request.user is: a lazy object around the account."""
    user = member()
    return SimpleLazyObject(lambda: user)


def test_roles_and_the_authenticator_flag_come_in_one_query(django_assert_num_queries):
    user = User.objects.get(pk=member().pk)
    with django_assert_num_queries(1):
        assert roles_of(user) == {Role.MEMBER}
        assert has_totp(user) is False
        assert has_role(user, Role.MEMBER)


def test_a_role_granted_or_revoked_on_the_request_user_is_seen_at_once(lazy_member):
    assert not has_role(lazy_member, Role.ADVISOR)
    role_grant(user=lazy_member, role=Role.ADVISOR)
    assert has_role(lazy_member, Role.ADVISOR)
    role_revoke(user=lazy_member, role=Role.ADVISOR)
    assert not has_role(lazy_member, Role.ADVISOR)


def test_groups_changed_directly_are_seen_at_once(lazy_member):
    assert roles_of(lazy_member) == {Role.MEMBER}
    lazy_member.groups.add(Group.objects.get(name=Role.AMBASSADOR.value))
    assert roles_of(lazy_member) == {Role.MEMBER, Role.AMBASSADOR}
    lazy_member.groups.clear()
    assert roles_of(lazy_member) == set()


def test_an_authenticator_added_or_removed_is_seen_at_once(lazy_member):
    assert has_totp(lazy_member) is False
    TOTP.activate(lazy_member, generate_totp_secret())
    assert has_totp(lazy_member) is True
    # As allauth's "deactivate" page does it: a fresh row, the request's user in the signal.
    request = RequestFactory().post("/")
    request.user = lazy_member
    delete_and_cleanup(request, Authenticator.objects.get(user_id=lazy_member.pk))
    assert has_totp(lazy_member) is False
