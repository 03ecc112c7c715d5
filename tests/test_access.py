"""One access-control mechanism (issue 14): every URL says who may open it.

The URL resolver is walked as Django walks it. Each view the project routes to carries
one mark of common.access (public, signed in, or a permission); each permission a view
asks for exists and some role holds it; each permission a role holds, or an app
declares, is asked for by a view. The views of Django and of allauth keep their own
rules and are skipped, by the module they come from.
"""

from dataclasses import dataclass

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser, Permission
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from common.access import (
    PERMISSION,
    PUBLIC,
    SIGNED_IN,
    access_of,
    holds,
    public,
    requires_permission,
    signed_in,
)
from members.roles import (
    ADMINISTRATOR_PERMISSIONS,
    MANAGE_PROGRAMME,
    ROLE_PERMISSIONS,
    WORK_CASES,
    Role,
    permissions_of,
)
from tests.factories import UserFactory, member, staff

# What is not the project's keeps its own rules: the includes of Django and allauth, by
# the namespace or module they are included from, and static files while DEBUG is on.
# A view from another package found elsewhere fails the walk until someone decides.
EXTERNAL_INCLUDES = {
    "admin": "the admin: is_staff and the models' permissions",
    "allauth.urls": "log in, sign up, passwords, two-factor: the accounts' own pages",
    "django.conf.urls.i18n": "the language switch, for everyone",
}
EXTERNAL_MODULES = {"django.views.static": "static and media files while DEBUG is on"}


PROJECT_APPS = {
    "common",
    "notifications",
    "members",
    "programme",
    "surveys",
    "assessments",
    "referrals",
    "dashboards",
    "demo",
    "wellbeing",
}


@dataclass(frozen=True)
class Route:
    route: str
    name: str
    view: object
    external: bool

    @property
    def module(self) -> str:
        view_class = getattr(self.view, "view_class", None)
        return (view_class or self.view).__module__

    def __str__(self) -> str:
        return f"{self.route} ({self.name or 'unnamed'}, {self.module})"


def include_name(resolver: URLResolver) -> str:
    """The admin by its app name; an include("dotted.module") by the module's name."""
    return resolver.app_name or getattr(resolver.urlconf_name, "__name__", "")


def routes(patterns=None, prefix: str = "", namespace: str = "", external=False) -> list[Route]:
    """Every URL pattern under the root URLconf, includes followed."""
    found = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            outside = external or include_name(entry) in EXTERNAL_INCLUDES
            found += routes(entry.url_patterns, route, inner, outside)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else ""
            found.append(Route(route, name, entry.callback, external))
    return found


def is_external(route: Route) -> bool:
    return route.external or route.module in EXTERNAL_MODULES


def project_routes() -> list[Route]:
    return [route for route in routes() if not is_external(route)]


def role_permissions() -> set[str]:
    return {name for names in ROLE_PERMISSIONS.values() for name in names}


def test_the_walk_sees_every_part_of_the_site():
    names = {route.name for route in routes()}
    # A few from each include: the walk follows them all, language prefix included.
    for name in (
        "home",
        "health",
        "admin-login",
        "hsds:services",
        "account_login",
        "set_language",
        "dashboards:manager",
        "members:privacy",
        "programme:manage-sessions",
        "assessments:hub",
        "referrals:queue",
        "notifications:delivery-list",
    ):
        assert name in names, name
    by_name = {route.name: route for route in routes()}
    for name in ("admin:index", "account_login", "set_language"):  # one per external include
        assert is_external(by_name[name]), name
    assert not is_external(by_name["admin-login"])  # the project's, under /admin/


def test_every_view_of_another_package_is_a_listed_one():
    strangers = [
        str(route)
        for route in routes()
        if route.module.partition(".")[0] not in PROJECT_APPS and not is_external(route)
    ]
    assert not strangers, "\n".join(strangers)


def test_every_view_says_who_may_open_it():
    unmarked = [str(route) for route in project_routes() if access_of(route.view) == (None, None)]
    assert not unmarked, "no @public, @signed_in or @requires_permission:\n" + "\n".join(unmarked)


@pytest.mark.django_db
def test_every_permission_a_view_asks_for_exists_and_a_role_holds_it():
    existing = {
        f"{app_label}.{codename}"
        for app_label, codename in Permission.objects.values_list(
            "content_type__app_label", "codename"
        )
    }
    grantable = role_permissions() | set(ADMINISTRATOR_PERMISSIONS)
    problems = []
    for route in project_routes():
        access, permission = access_of(route.view)
        if access != PERMISSION:
            continue
        if permission not in existing:
            problems.append(f"{route}: {permission} does not exist")
        elif permission not in grantable:
            problems.append(f"{route}: no role holds {permission}")
    assert not problems, "\n".join(problems)


def test_every_permission_a_role_holds_is_asked_for_by_a_view():
    asked = {access_of(route.view)[1] for route in project_routes()}
    unchecked = (role_permissions() | set(ADMINISTRATOR_PERMISSIONS)) - asked
    assert not unchecked, f"held but never checked: {sorted(unchecked)}"


def test_every_permission_an_app_declares_is_held_by_a_role():
    declared = {
        f"{model._meta.app_label}.{codename}"
        for model in apps.get_models()
        if model._meta.app_label in PROJECT_APPS
        for codename, _description in model._meta.permissions
    }
    assert declared == role_permissions()


# --- The decorators ------------------------------------------------------------------


def ok():
    """A view of its own for each test: the marks are attributes of the function."""

    def view(request, *args, **kwargs):
        return HttpResponse("ok")

    return view


def get(user, view, method="get"):
    request = getattr(RequestFactory(), method)("/en/somewhere/")
    request.user = user
    return view(request)


def test_marks_stay_readable_under_other_decorators():
    assert access_of(require_POST(never_cache(public(ok())))) == (PUBLIC, None)
    assert access_of(never_cache(signed_in(ok()))) == (SIGNED_IN, None)
    assert access_of(require_POST(requires_permission(WORK_CASES)(ok()))) == (
        PERMISSION,
        WORK_CASES,
    )
    assert access_of(never_cache(ok())) == (None, None)


def test_a_permission_is_named_with_its_app():
    with pytest.raises(ValueError, match="app_label.codename"):
        requires_permission("work_cases")


@pytest.mark.django_db
def test_visitors_are_sent_to_log_in():
    for view in (signed_in(ok()), requires_permission(WORK_CASES)(ok())):
        response = get(AnonymousUser(), view)
        assert response.status_code == 302
        assert "/accounts/login/?next=/en/somewhere/" in response["Location"]
    assert get(AnonymousUser(), public(ok())).status_code == 200


@pytest.mark.django_db
def test_a_permission_lets_in_its_holders_only():
    view = requires_permission(WORK_CASES)(ok())
    assert get(staff(Role.ADVISOR), view).status_code == 200
    for user in (member(), staff(Role.PROGRAMME_MANAGER), staff(Role.AMBASSADOR)):
        with pytest.raises(PermissionDenied):
            get(user, view)
    assert get(member(), signed_in(ok())).status_code == 200


@pytest.mark.django_db
def test_roles_hold_their_table_and_nothing_else():
    for role, names in ROLE_PERMISSIONS.items():
        assert permissions_of(staff(role)) == frozenset(names)
    both = staff(Role.ADVISOR)
    both.groups.add(*staff(Role.AMBASSADOR).groups.all())
    assert holds(both, WORK_CASES) and permissions_of(both) >= set(
        ROLE_PERMISSIONS[Role.AMBASSADOR]
    )
    assert permissions_of(UserFactory()) == frozenset()
    assert permissions_of(AnonymousUser()) == frozenset()


@pytest.mark.django_db
def test_the_database_s_groups_decide_not_the_table():
    """The table fills the groups; a group changed since (in the admin) is obeyed."""
    advisor = staff(Role.ADVISOR)
    group = advisor.groups.get()
    group.permissions.clear()
    advisor = type(advisor).objects.get(pk=advisor.pk)  # as the next request reads it
    with pytest.raises(PermissionDenied):
        get(advisor, requires_permission(WORK_CASES)(ok()))


@pytest.mark.django_db
def test_an_administrator_holds_what_the_table_gives_them():
    """Django's has_perm() says yes to a superuser for everything; the portal's pages let
    them into the catalogue's staff pages and the message monitor only, as before."""
    admin = UserFactory(is_staff=True, is_superuser=True)
    assert admin.has_perm(WORK_CASES)
    assert permissions_of(admin) == frozenset(ADMINISTRATOR_PERMISSIONS)
    assert holds(admin, MANAGE_PROGRAMME) and not holds(admin, WORK_CASES)


@pytest.mark.django_db
def test_the_check_reads_no_database_once_the_roles_are_known(django_assert_num_queries):
    advisor = staff(Role.ADVISOR)
    permissions_of(advisor)
    with django_assert_num_queries(0):
        assert holds(advisor, WORK_CASES)
        assert not holds(advisor, MANAGE_PROGRAMME)
