"""Roles are groups; what a role may do is a permission the group holds."""

from contextlib import suppress
from enum import StrEnum
from functools import cache

from django.utils.translation import gettext_lazy as _

# Permissions, "app_label.codename": one per capability a view asks for. Each is created
# by its app's Meta.permissions and asked for by at least one view's
# @requires_permission (tests/test_access.py checks both ways).
ACCESS_MEMBER_SPACE = "members.access_member_space"
RAISE_SIGNALS = "members.raise_signals"
WORK_CASES = "members.work_cases"
MANAGE_PROGRAMME = "members.manage_programme"
VIEW_STATISTICS = "members.view_statistics"
MANAGE_PARTNERS = "referrals.manage_partners"
MANAGE_TEAM = "members.manage_team"
ANSWER_REFERRALS = "referrals.answer_referrals"


class Role(StrEnum):
    """A role is the auth group of the same name (see group_name)."""

    MEMBER = "member"
    AMBASSADOR = "ambassador"
    ADVISOR = "advisor"
    PROGRAMME_MANAGER = "programme_manager"
    # A partner organisation's staff account (optional: the signed link needs none).
    PARTNER = "partner"

    @property
    def label(self):
        return ROLE_LABELS[self]

    @property
    def group_name(self) -> str:
        return self.value


ROLE_LABELS = {
    Role.MEMBER: _("Member"),
    Role.AMBASSADOR: _("Ambassador"),
    Role.ADVISOR: _("Listening-cell advisor"),
    Role.PROGRAMME_MANAGER: _("Programme manager"),
    Role.PARTNER: _("Partner organisation staff"),
}

ROLE_VALUES = frozenset(role.value for role in Role)

# The roles a programme manager gives from the team pages; members sign up themselves.
TEAM_ROLES = (Role.ADVISOR, Role.AMBASSADOR, Role.PROGRAMME_MANAGER)


def role_label(group_name: str) -> str:
    """A group's name in words: the role's label, or the name of a group that is no role."""
    return str(Role(group_name).label) if group_name in ROLE_VALUES else group_name


# The permissions each role's group holds: the one list every app extends when it adds
# a capability. Migration members 0004 and sync_role_groups() (after each migrate) give
# the groups exactly these.
ROLE_PERMISSIONS: dict[Role, tuple[str, ...]] = {
    Role.MEMBER: (ACCESS_MEMBER_SPACE,),
    Role.AMBASSADOR: (RAISE_SIGNALS,),
    Role.ADVISOR: (WORK_CASES,),
    Role.PROGRAMME_MANAGER: (MANAGE_PROGRAMME, VIEW_STATISTICS, MANAGE_PARTNERS, MANAGE_TEAM),
    Role.PARTNER: (ANSWER_REFERRALS,),
}

# The administrator is not a group but Django's superuser flag: the admin site, users
# and their roles. Django's user.has_perm() grants a superuser everything; the portal's
# pages grant them only this, what they could open before the roles were written down
# here: the catalogue's staff pages and the message monitor, not another person's space
# (a member's, an ambassador's, an advisor's cases), the statistics or the partners.
ADMINISTRATOR_PERMISSIONS: tuple[str, ...] = (MANAGE_PROGRAMME,)

# When someone holds several roles, they land on the most specific home page.
ROLE_PRECEDENCE = (
    Role.PROGRAMME_MANAGER,
    Role.ADVISOR,
    Role.AMBASSADOR,
    Role.PARTNER,
    Role.MEMBER,
)


def roles_of(user) -> set[Role]:
    if not user.is_authenticated:
        return set()
    if not hasattr(user, "_role_cache"):
        _load_identity(user)
    return user._role_cache


def _load_identity(user) -> None:
    """One query per request tells the user's roles, the permissions their groups hold
    and whether they have an authenticator app (members.mfa needs the roles and the
    flag on every request of a staff role; @requires_permission the permissions).

    Plain SQL, written once: built by the ORM, this query (an EXISTS beside a join over
    five tables) cost more to compile on every signed-in request than the rest of the
    request's own reads on a page kept in the cache (dashboards.member_cache)."""
    from allauth.mfa.models import Authenticator
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(_identity_sql(), [user.pk, Authenticator.Type.TOTP.value, user.pk])
        _keep_identity(user, cursor.fetchall())


def load_account(user_id: int):
    """The account `user_id` and its identity in one query (None when there is no such
    account): what the authentication backends (members.auth_backends) give a signed-in
    request. The same query as _load_identity(), the account's own columns in front; it
    saves the ORM's get(pk=…), whose compiling cost more than this whole query. raw()
    reads the account's columns as the ORM does (SQLite's datetimes and booleans
    converted) and leaves each row's identity columns on its instance."""
    from allauth.mfa.models import Authenticator
    from django.contrib.auth import get_user_model

    rows = list(
        get_user_model()._default_manager.raw(
            _identity_sql(with_account=True), [user_id, Authenticator.Type.TOTP.value, user_id]
        )
    )
    if not rows:
        return None
    identity = [tuple(getattr(row, column) for column in IDENTITY_COLUMNS) for row in rows]
    _keep_identity(rows[0], identity)
    return rows[0]


def _keep_identity(user, rows) -> None:
    """Keep on the account what _identity_sql()'s rows tell (read by roles_of(),
    permissions_of() and members.mfa)."""
    names = set()
    permissions = set()
    user._has_totp = False
    for name, app_label, codename, totp in rows:
        if name:
            names.add(name)
        if codename:
            permissions.add(f"{app_label}.{codename}")
        user._has_totp = bool(totp)
    user._role_cache = {role for role in Role if role.value in names}
    user._group_permission_cache = frozenset(permissions)


# The identity's columns in _identity_sql(), after the account's own.
IDENTITY_COLUMNS = ("identity_group", "identity_app", "identity_codename", "identity_totp")


@cache
def _identity_sql(*, with_account: bool = False) -> str:
    """The groups' names and permissions of one account, each row with whether it has a
    TOTP authenticator (no row when there is no such account); with_account puts the
    account's columns in front of each row, for Manager.raw()."""
    from allauth.mfa.models import Authenticator
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    quote = connection.ops.quote_name

    def table(model) -> str:
        return quote(model._meta.db_table)

    user_model = get_user_model()
    memberships = user_model.groups.through
    grants = Group.permissions.through
    account = "".join(
        f"u.{quote(field.column)}, " for field in user_model._meta.concrete_fields if field.column
    )
    return (
        f"SELECT {account if with_account else ''}g.name AS identity_group, "
        f"ct.app_label AS identity_app, p.codename AS identity_codename, EXISTS("
        f"SELECT 1 FROM {table(Authenticator)} a WHERE a.user_id = %s AND a.type = %s) "
        f"AS identity_totp "
        f"FROM {table(user_model)} u "
        f"LEFT JOIN {table(memberships)} ug ON ug.{quote(_column(memberships, user_model))} = u.id "
        f"LEFT JOIN {table(Group)} g ON g.id = ug.{quote(_column(memberships, Group))} "
        f"LEFT JOIN {table(grants)} gp ON gp.{quote(_column(grants, Group))} = g.id "
        f"LEFT JOIN {table(Permission)} p ON p.id = gp.{quote(_column(grants, Permission))} "
        f"LEFT JOIN {table(ContentType)} ct ON ct.id = p.content_type_id "
        f"WHERE u.id = %s"
    )


def _column(through, target) -> str:
    """The column of a many-to-many table that points at `target`."""
    for field in through._meta.concrete_fields:
        if field.is_relation and field.related_model is target:
            return field.column
    raise LookupError(f"{through._meta.db_table} has no column for {target._meta.db_table}")


def forget_identity(user) -> None:
    """Drop what _load_identity() cached, after a change of roles or authenticators.

    delattr, not the instance's __dict__: request.user is a lazy object whose own
    __dict__ is not the account's, and deleting through it reaches the account."""
    for name in ("_role_cache", "_group_permission_cache", "_has_totp"):
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


def permissions_of(user) -> frozenset[str]:
    """What the user may do: the permissions their role groups hold in the database (set
    from ROLE_PERMISSIONS, changed in the admin if need be), and the administrator's.
    Read with the roles, in roles_of()'s one query per request.

    Not user.has_perm(): it costs two more queries per request, and it grants a
    superuser every permission (see ADMINISTRATOR_PERMISSIONS)."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    roles_of(user)
    held = user._group_permission_cache
    return held | frozenset(ADMINISTRATOR_PERMISSIONS) if user.is_superuser else held


def holds(user, permission: str) -> bool:
    """The check behind common.access.requires_permission (registered in members.apps)."""
    return permission in permissions_of(user)


def sync_role_groups(apps=None, using: str = "default", **kwargs) -> None:
    """Make every role group exist and hold exactly its permissions (idempotent).

    Run by migration members 0004 with the historical models, and on post_migrate with
    the models of that moment, so a new permission in ROLE_PERMISSIONS reaches its group on
    the next migrate and the groups come back after a test database flush. A permission
    whose app has not migrated yet is given by the post_migrate run that follows.
    """
    from django.apps import apps as global_apps
    from django.db.models import Q

    apps = apps or global_apps
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, names in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.using(using).get_or_create(name=role.group_name)
        wanted = Q(pk__in=[])
        for name in names:
            app_label, codename = name.split(".")
            wanted |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.set(Permission.objects.using(using).filter(wanted))
