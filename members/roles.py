"""Roles are groups; what a role may do is a permission the group holds."""

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
        names = set(user.groups.values_list("name", flat=True))
        user._role_cache = {role for role in Role if role.value in names}
    return user._role_cache


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
