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


# allauth's own pages (login, logout, e-mail, password, the MFA set-up) and the language
# switch stay open, so the user can enrol.
OPEN_URL_NAME_PREFIXES = ("account_", "mfa_", "set_language")


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
        if (request.resolver_match.url_name or "").startswith(OPEN_URL_NAME_PREFIXES):
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
