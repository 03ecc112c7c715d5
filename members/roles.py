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

# Codenames of members.User permissions held by each role's group. Later apps add
# their own permissions to these groups in their migrations.
ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.MEMBER: ["access_member_space"],
    Role.AMBASSADOR: ["raise_signals"],
    Role.ADVISOR: ["work_cases"],
    Role.PROGRAMME_MANAGER: ["manage_programme", "view_statistics"],
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
