"""Roles are groups; what a role may do is a permission the group holds."""

from contextlib import suppress
from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class Role(StrEnum):
    MEMBER = "member"
    AMBASSADOR = "ambassador"
    ADVISOR = "advisor"
    PROGRAMME_MANAGER = "programme_manager"

    @property
    def label(self):
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.MEMBER: _("Member"),
    Role.AMBASSADOR: _("Ambassador"),
    Role.ADVISOR: _("Listening-cell advisor"),
    Role.PROGRAMME_MANAGER: _("Programme manager"),
}

# Permissions ("app_label.codename") each role's group holds: the one list every app
# extends when it adds a capability. sync_role_groups() applies it after each migrate.
ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.MEMBER: ["members.access_member_space"],
    Role.AMBASSADOR: ["members.raise_signals"],
    Role.ADVISOR: ["members.work_cases"],
    Role.PROGRAMME_MANAGER: [
        "members.manage_programme",
        "members.view_statistics",
        "referrals.manage_partners",
    ],
}

# When someone holds several roles, they land on the most specific home page.
ROLE_PRECEDENCE = (Role.PROGRAMME_MANAGER, Role.ADVISOR, Role.AMBASSADOR, Role.MEMBER)


def roles_of(user) -> set[Role]:
    if not user.is_authenticated:
        return set()
    if not hasattr(user, "_role_cache"):
        _load_identity(user)
    return user._role_cache


def _load_identity(user) -> None:
    """One query per request tells the user's roles and whether they have an
    authenticator app (members.mfa needs both on every request of a staff role)."""
    from allauth.mfa.models import Authenticator
    from django.contrib.auth import get_user_model
    from django.db.models import Exists, OuterRef

    has_totp = Exists(
        Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)
    )
    rows = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(has_totp=has_totp)
        .values_list("groups__name", "has_totp")
    )
    names = set()
    user._has_totp = False
    for name, totp in rows:
        names.add(name)
        user._has_totp = totp
    user._role_cache = {role for role in Role if role.value in names}


def forget_identity(user) -> None:
    """Drop what _load_identity() cached, after a change of roles or authenticators.

    delattr, not the instance's __dict__: request.user is a lazy object whose own
    __dict__ is not the account's, and deleting through it reaches the account."""
    for name in ("_role_cache", "_has_totp"):
        with suppress(AttributeError):
            delattr(user, name)


def forget_identity_on_groups_change(sender, instance, action, reverse, **kwargs) -> None:
    """m2m_changed of User.groups: any path that changes an account's groups (the admin,
    a shell, a service) makes that instance read its roles again."""
    if not reverse and action in ("post_add", "post_remove", "post_clear"):
        forget_identity(instance)


def forget_identity_on_authenticator_change(sender, instance, **kwargs) -> None:
    """post_save / post_delete of allauth's Authenticator: the account instance it was
    made or deleted with reads its flag again."""
    if sender._meta.get_field("user").is_cached(instance):
        forget_identity(instance.user)


def forget_identity_of_request_user(sender, user, **kwargs) -> None:
    """allauth's authenticator_added / _removed / _reset, sent with the request's user."""
    forget_identity(user)


def watch_identity_changes() -> None:
    """Roles and the two-factor flag are read once per request: a change within the
    request must be seen by what runs after it (connected in members.apps)."""
    from allauth.mfa import signals as mfa_signals
    from allauth.mfa.models import Authenticator
    from django.contrib.auth import get_user_model
    from django.db.models.signals import m2m_changed, post_delete, post_save

    m2m_changed.connect(
        forget_identity_on_groups_change,
        sender=get_user_model().groups.through,
        dispatch_uid="members.forget_identity.groups",
    )
    post_save.connect(
        forget_identity_on_authenticator_change,
        sender=Authenticator,
        dispatch_uid="members.forget_identity.authenticator_saved",
    )
    post_delete.connect(
        forget_identity_on_authenticator_change,
        sender=Authenticator,
        dispatch_uid="members.forget_identity.authenticator_deleted",
    )
    # (authenticator_reset is about recovery codes: it cannot change the two-factor flag.)
    for name in ("authenticator_added", "authenticator_removed"):
        getattr(mfa_signals, name).connect(
            forget_identity_of_request_user, dispatch_uid=f"members.forget_identity.{name}"
        )


def primary_role(user) -> Role | None:
    held = roles_of(user)
    return next((role for role in ROLE_PRECEDENCE if role in held), None)


def has_role(user, role: Role) -> bool:
    return role in roles_of(user)


def sync_role_groups(using: str = "default", **kwargs) -> None:
    """Make every role group exist and hold exactly its permissions (idempotent).

    Runs on post_migrate, so a new permission in ROLE_PERMISSIONS reaches its group on
    the next migrate, and the groups come back after a test database flush.
    """
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Q

    for role, names in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.using(using).get_or_create(name=role.value)
        wanted = Q(pk__in=[])
        for name in names:
            app_label, codename = name.split(".")
            wanted |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.set(Permission.objects.using(using).filter(wanted))
