"""Who may open a view: one mark on every view the URLconf routes to.

- ``@public``: anyone, visitors included. The view may still decide for itself (a signed
  link, a form that sends visitors to log in), but no decorator stands in front of it.
- ``@signed_in``: anyone signed in, whatever their role (their own profile and privacy
  space); visitors are sent to log in.
- ``@requires_permission("app_label.codename")``: signed in and holding that permission;
  visitors are sent to log in, everyone else gets the 403 page.

The mark stays readable on the view (``access_of``), so tests/test_access.py walks the
URL resolver and fails on a view without one, or on a permission nobody can hold.

Which permissions a user holds is the roles' business (members.roles). ``common`` sits
below every app and imports none, so members registers its answer here from its
AppConfig.ready(); until it does, Django's own ``user.has_perm`` answers.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

PUBLIC = "public"
SIGNED_IN = "signed-in"
PERMISSION = "permission"

PermissionCheck = Callable[[Any, str], bool]


def _django_has_perm(user: Any, permission: str) -> bool:
    return user.has_perm(permission)


_permission_check: PermissionCheck = _django_has_perm


def use_permission_check(check: PermissionCheck) -> None:
    """Answer "does this user hold this permission?" with ``check(user, name)``."""
    global _permission_check
    _permission_check = check


def holds(user: Any, permission: str) -> bool:
    return bool(user.is_authenticated and _permission_check(user, permission))


def _mark(view: Callable, access: str, permission: str | None = None) -> Callable:
    # Attributes, not a registry: functools.wraps copies them onto every decorator
    # stacked above (require_POST, never_cache...), so the resolver's callback has them.
    view.access_rule = access  # type: ignore[attr-defined]
    view.required_permission = permission  # type: ignore[attr-defined]
    return view


def public(view: Callable) -> Callable:
    return _mark(view, PUBLIC)


def signed_in(view: Callable) -> Callable:
    return _mark(login_required(view), SIGNED_IN)


def requires_permission(permission: str) -> Callable[[Callable], Callable]:
    """Let in a signed-in user holding ``permission``; others get 403, visitors the login page."""
    app_label, dot, codename = permission.partition(".")
    if not (app_label and dot and codename):
        raise ValueError(f"A permission is named 'app_label.codename', not {permission!r}.")

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not holds(request.user, permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return _mark(wrapped, PERMISSION, permission)

    return decorator


def access_of(view: Callable) -> tuple[str | None, str | None]:
    """(access, permission) of a view as the URLconf routes to it; (None, None) unmarked.

    Follows ``__wrapped__`` too, for a decorator that keeps the wrapped view but not its
    attributes."""
    seen = set()
    current: Callable | None = view
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        access = getattr(current, "access_rule", None)
        if access is not None:
            return access, getattr(current, "required_permission", None)
        current = getattr(current, "__wrapped__", None)
    return None, None
