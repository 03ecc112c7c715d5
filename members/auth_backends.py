"""Django's and allauth's authentication backends, each giving a signed-in request its
account and roles in one query (members.roles.load_account) instead of two.

Sessions name the backend that signed them in; those signed in before these names
existed are read with the new names (members.session_store), so nobody is signed out.
"""

from allauth.account import auth_backends as allauth_backends
from django.contrib.auth import backends as django_backends

from .roles import load_account

# A session's backend, as saved before this module, and its name now.
RENAMED = {
    "django.contrib.auth.backends.ModelBackend": "members.auth_backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend": (
        "members.auth_backends.AuthenticationBackend"
    ),
}


class AccountWithRoles(django_backends.ModelBackend):
    """get_user() with members.roles.load_account(); signing in itself is unchanged."""

    def get_user(self, user_id):
        user = load_account(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(AccountWithRoles):
    """Django's: the admin's log-in, tests' force_login(), a team invitation's first
    sign-in."""


class AuthenticationBackend(AccountWithRoles, allauth_backends.AuthenticationBackend):
    """allauth's: e-mail and password, with its timing-attack mitigation."""
