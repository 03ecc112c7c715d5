"""Two-factor authentication (TOTP) is mandatory for the roles that see personal data.

Advisors read listening-cell cases, programme managers read participant lists and
statistics, administrators everything: a stolen password alone must not open those.
allauth asks for the code at login once an authenticator exists; this middleware makes
sure it exists, by sending such users to the TOTP set-up page until they have one.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from .roles import Role, roles_of

ROLES_REQUIRING_MFA = frozenset({Role.ADVISOR, Role.PROGRAMME_MANAGER})


def mfa_required(user) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or user.is_staff or bool(roles_of(user) & ROLES_REQUIRING_MFA)


def has_totp(user) -> bool:
    roles_of(user)  # loads the answer with the roles, in the same query
    return user._has_totp


# What a staff account without an authenticator app may still reach: the pages needed to
# set one up (allauth asks for the password again first), its own sign-in, address and
# password pages, logging out and the language switch. Full view names, namespace
# included: the admin's pages for addresses and authenticators are named
# "admin:account_emailaddress_…" and "admin:mfa_authenticator_…", and stay closed.
OPEN_VIEW_NAMES = frozenset(
    {
        "set_language",
        "account_login",
        "account_logout",
        "account_inactive",
        "account_reauthenticate",
        "account_email",
        "account_email_verification_sent",
        "account_confirm_email",
        "account_change_password",
        "account_set_password",
        "account_reset_password",
        "account_reset_password_done",
        "account_reset_password_from_key",
        "account_reset_password_from_key_done",
        "mfa_index",
        "mfa_activate_totp",
    }
)


class RequireMFAMiddleware:
    """Until they set up an authenticator app, staff roles can only reach the pages
    needed to do so."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not mfa_required(request.user):
            return None
        if request.resolver_match.view_name in OPEN_VIEW_NAMES:
            return None
        if has_totp(request.user):
            return None
        messages.info(
            request,
            _(
                "Your role gives access to personal data: protect your account with an "
                "authenticator app before you continue."
            ),
        )
        return redirect("mfa_activate_totp")
