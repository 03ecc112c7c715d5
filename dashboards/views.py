from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from members.decorators import role_required
from members.roles import Role, primary_role
from members.selectors import profile_for

from .panels import context_for

ROLE_HOMES = {
    Role.MEMBER: "dashboards:member",
    Role.AMBASSADOR: "dashboards:ambassador",
    Role.ADVISOR: "dashboards:advisor",
    Role.PROGRAMME_MANAGER: "dashboards:manager",
}


def public_home(request):
    return render(request, "dashboards/public_home.html", context_for("public"))


@login_required
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
@role_required(Role.MEMBER)
@never_cache
def member_home(request):
    return _render_home(
        request, Role.MEMBER, "dashboards/member_home.html", profile=profile_for(request.user)
    )


@role_required(Role.AMBASSADOR)
def ambassador_home(request):
    return _render_home(request, Role.AMBASSADOR, "dashboards/ambassador_home.html")


@role_required(Role.ADVISOR)
def advisor_home(request):
    return _render_home(request, Role.ADVISOR, "dashboards/advisor_home.html")


@role_required(Role.PROGRAMME_MANAGER)
def manager_home(request):
    return _render_home(request, Role.PROGRAMME_MANAGER, "dashboards/manager_home.html")
