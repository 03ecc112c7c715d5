from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from common.access import public, requires_permission, signed_in
from members.roles import (
    ACCESS_MEMBER_SPACE,
    RAISE_SIGNALS,
    VIEW_STATISTICS,
    WORK_CASES,
    Role,
    primary_role,
)
from members.selectors import profile_for
from programme.page_cache import anonymous_page_cache

from .member_cache import member_page_cache
from .panels import context_for

ROLE_HOMES = {
    Role.MEMBER: "dashboards:member",
    Role.AMBASSADOR: "dashboards:ambassador",
    Role.ADVISOR: "dashboards:advisor",
    Role.PROGRAMME_MANAGER: "dashboards:manager",
    Role.PARTNER: "referrals:partner-space",
}


@public
@anonymous_page_cache
def public_home(request):
    return render(request, "dashboards/public_home.html", context_for("public"))


@signed_in
def home(request):
    """After login: each role lands on its own home page."""
    role = primary_role(request.user)
    if role is None:
        return render(request, "dashboards/no_role.html")
    return redirect(ROLE_HOMES[role])


def _render_home(request, role: Role, template: str, **context):
    panels = context_for(role.value, request.user)
    return render(request, template, {"role": role, **panels, **context})


# The member's home shows their latest self-assessment bands (health data): never kept
# by a browser or proxy, so the back button after logging out does not bring it back.
# Kept for the member alone in the shared cache until what it shows changes.
@requires_permission(ACCESS_MEMBER_SPACE)
@never_cache
@member_page_cache
def member_home(request):
    return _render_home(
        request, Role.MEMBER, "dashboards/member_home.html", profile=profile_for(request.user)
    )


@requires_permission(RAISE_SIGNALS)
def ambassador_home(request):
    return _render_home(request, Role.AMBASSADOR, "dashboards/ambassador_home.html")


@requires_permission(WORK_CASES)
def advisor_home(request):
    return _render_home(request, Role.ADVISOR, "dashboards/advisor_home.html")


@requires_permission(VIEW_STATISTICS)
def manager_home(request):
    return _render_home(request, Role.PROGRAMME_MANAGER, "dashboards/manager_home.html")
