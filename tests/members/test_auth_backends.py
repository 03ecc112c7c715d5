"""members.auth_backends: a signed-in request gets its account and roles in one query."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.models import Session

from members.auth_backends import RENAMED, AuthenticationBackend, ModelBackend
from members.mfa import has_totp
from members.roles import MANAGE_PROGRAMME, Role, permissions_of, roles_of
from tests.factories import member, staff

pytestmark = pytest.mark.django_db

HOME = "/en/dashboard/"


@pytest.mark.parametrize("backend", [ModelBackend, AuthenticationBackend])
def test_the_account_comes_with_its_roles_permissions_and_two_factor_flag(
    backend, django_assert_num_queries
):
    manager = staff(Role.PROGRAMME_MANAGER, first_name="Ann")  # with an authenticator app
    with django_assert_num_queries(1):
        user = backend().get_user(manager.pk)
        assert (user.pk, user.email, user.first_name) == (manager.pk, manager.email, "Ann")
        assert roles_of(user) == {Role.PROGRAMME_MANAGER}
        assert MANAGE_PROGRAMME in permissions_of(user)
        assert has_totp(user)
    assert user.check_password("wrong") is False and not user._state.adding


def test_an_account_without_roles_still_signs_in(django_assert_num_queries):
    user = member()
    user.groups.clear()
    with django_assert_num_queries(1):
        loaded = ModelBackend().get_user(user.pk)
        assert loaded == user and roles_of(loaded) == set() and not has_totp(loaded)


def test_no_account_and_a_deactivated_one_get_nobody():
    assert ModelBackend().get_user(987654321) is None
    gone = member(is_active=False)
    assert AuthenticationBackend().get_user(gone.pk) is None


@pytest.mark.parametrize("old_name", sorted(RENAMED))
def test_a_session_signed_in_under_the_old_backend_name_stays_signed_in(client, old_name):
    user = member()
    client.force_login(user)
    session = client.session
    session[BACKEND_SESSION_KEY] = old_name
    session.save()
    assert Session.objects.get(pk=session.session_key).get_decoded()[BACKEND_SESSION_KEY] == (
        old_name
    )
    response = client.get(HOME)
    assert response.status_code == 302 and "/accounts/login/" not in response["Location"]
    assert client.session[BACKEND_SESSION_KEY] == RENAMED[old_name]


def test_a_session_with_an_unknown_backend_is_signed_out(client):
    client.force_login(member())
    session = client.session
    session[BACKEND_SESSION_KEY] = "somewhere.else.Backend"
    session.save()
    assert "/accounts/login/" in client.get(HOME)["Location"]


def test_the_account_reads_as_the_orm_reads_it():
    """Every column as User.objects.get() gives it, on SQLite too (datetimes, booleans)."""
    user = member(first_name="Zoë", last_name="Peeters")
    user.last_login = user.date_joined
    user.save()
    loaded = ModelBackend().get_user(user.pk)
    expected = type(user).objects.get(pk=user.pk)
    for field in type(user)._meta.concrete_fields:
        mine, orm = getattr(loaded, field.attname), getattr(expected, field.attname)
        assert (mine, type(mine)) == (orm, type(orm)), field.name
