"""The programme team's administration: invitations, roles, deactivation.

Programme managers invite advisors, ambassadors and managers by e-mail; the invited
person chooses a password from the link (staff roles then set up their authenticator
app, members.mfa); a manager changes a person's role, deactivates an account (handing
over what it holds first, members.workload) or reactivates it.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from notifications.links import absolute_url

from .models import Invitation, User
from .roles import MANAGE_TEAM, TEAM_ROLES, Role, holds, roles_of
from .services import profile_ensure, role_grant, role_revoke
from .workload import workloads

INVITATION_SALT = "members.invitation"


class TeamActionRefused(ValidationError):
    """The change cannot be made; the message says why, in words for the manager."""


class InvitationInvalid(Exception):
    """The invitation link cannot be used; the message says why and what to do."""


def _ensure_manager(actor: User) -> None:
    if not actor.is_active or not holds(actor, MANAGE_TEAM):
        raise PermissionDenied


def _team_role(role: str) -> Role:
    if role not in {r.value for r in TEAM_ROLES}:
        raise TeamActionRefused({"role": _("Choose one of the team's roles.")}, code="role")
    return Role(role)


# --- Invitations ---------------------------------------------------------------------------


def invitation_token(invitation: Invitation) -> str:
    """What the link carries: the invitation's key, signed with the portal's secret."""
    return signing.TimestampSigner(salt=INVITATION_SALT).sign(invitation.key)


def invitation_url(invitation: Invitation, *, language: str) -> str:
    with translation.override(language):
        path = reverse("team:invitation-accept", args=[invitation_token(invitation)])
    return absolute_url(path)


def _invitation_send(invitation: Invitation, *, language: str) -> None:
    """The e-mail, in the invited person's language, once the transaction commits."""

    def send() -> None:
        with translation.override(language):
            get_adapter().send_mail(
                "members/email/invitation",
                invitation.email,
                {
                    "invitation": invitation,
                    "role": invitation.role_label,
                    "invited_by": invitation.invited_by,
                    "invitation_url": invitation_url(invitation, language=language),
                    "expires_at": invitation.expires_at,
                },
            )

    transaction.on_commit(send)


def _renew(invitation: Invitation) -> None:
    now = timezone.now()
    invitation.key = secrets.token_urlsafe(32)
    invitation.sent_at = now
    invitation.expires_at = now + timedelta(days=settings.TEAM_INVITATION_EXPIRE_DAYS)


@transaction.atomic
def invitation_create(*, email: str, role: str, language: str, actor: User) -> Invitation:
    """Invite someone to the team; refused for an address that has an account or a
    waiting invitation (send that one again instead)."""
    _ensure_manager(actor)
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise TeamActionRefused(
            {"email": _("Enter a valid e-mail address.")}, code="email"
        ) from None
    team_role = _team_role(role)
    if User.objects.filter(email__iexact=email).exists():
        raise TeamActionRefused(
            {
                "email": _(
                    "This address already has an account on the portal: change that "
                    "person's role from the team list instead."
                )
            },
            code="exists",
        )
    waiting = Invitation.objects.filter(email__iexact=email, accepted_at__isnull=True).first()
    if waiting is not None:
        raise TeamActionRefused(
            {
                "email": _(
                    "This address was already invited on %(date)s: send that invitation "
                    "again from the team list."
                )
                % {"date": timezone.localtime(waiting.sent_at).strftime("%d/%m/%Y")}
            },
            code="pending",
        )
    invitation = Invitation(email=email, role=team_role.value, invited_by=actor)
    _renew(invitation)
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError:  # the same address invited in another tab meanwhile
        raise TeamActionRefused(
            {"email": _("This address was invited a moment ago.")}, code="pending"
        ) from None
    _invitation_send(invitation, language=language)
    return invitation


@transaction.atomic
def invitation_resend(*, invitation_id: int, language: str, actor: User) -> Invitation:
    """A new link with a new expiry; the earlier link stops working."""
    _ensure_manager(actor)
    invitation = Invitation.objects.select_for_update().filter(pk=invitation_id).first()
    if invitation is None or invitation.accepted_at is not None:
        raise TeamActionRefused(
            _("This invitation was accepted or withdrawn meanwhile."), code="gone"
        )
    _renew(invitation)
    invitation.invited_by = actor
    invitation.save(update_fields=["key", "sent_at", "expires_at", "invited_by"])
    _invitation_send(invitation, language=language)
    return invitation


@transaction.atomic
def invitation_withdraw(*, invitation_id: int, actor: User) -> bool:
    """Withdraw a waiting invitation: its link stops working. False if it was gone."""
    _ensure_manager(actor)
    deleted, _rows = Invitation.objects.filter(pk=invitation_id, accepted_at__isnull=True).delete()
    return bool(deleted)


def invitation_for_token(token: str) -> Invitation:
    """The waiting invitation a link points to, or InvitationInvalid saying why not."""
    expired = InvitationInvalid(
        _(
            "This invitation has expired. Ask the programme team to send you a new one; "
            "it will be valid for %(days)s days."
        )
        % {"days": settings.TEAM_INVITATION_EXPIRE_DAYS}
    )
    try:
        key = signing.TimestampSigner(salt=INVITATION_SALT).unsign(
            token, max_age=timedelta(days=settings.TEAM_INVITATION_EXPIRE_DAYS)
        )
    except signing.SignatureExpired:
        raise expired from None
    except signing.BadSignature:
        raise InvitationInvalid(
            _(
                "This invitation link is not valid: it may be incomplete, or a newer "
                "invitation replaced it. Open the link of the last e-mail you received."
            )
        ) from None
    invitation = Invitation.objects.filter(key=key).first()
    if invitation is None:
        raise InvitationInvalid(
            _(
                "This invitation link does not work any more: a newer invitation replaced "
                "it, or it was withdrawn. Open the link of the last e-mail you received."
            )
        )
    if invitation.accepted_at is not None:
        raise InvitationInvalid(
            _(
                "This invitation was already used. Log in with your e-mail address and "
                "the password you chose; if you forgot it, ask for a new one."
            )
        )
    if invitation.is_expired:
        raise expired
    return invitation


@transaction.atomic
def invitation_accept(
    *, token: str, first_name: str, last_name: str, password: str, language: str
) -> User:
    """Make the invited person's account with the role they were invited to (once)."""
    found = invitation_for_token(token)
    invitation = Invitation.objects.select_for_update().get(pk=found.pk)
    if invitation.accepted_at is not None or invitation.key != found.key:
        raise InvitationInvalid(_("This invitation was already used."))
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise InvitationInvalid(
            _(
                "An account with this e-mail address exists already. Log in with it; the "
                "programme team can give it the role."
            )
        )
    user = User(email=invitation.email, first_name=first_name.strip(), last_name=last_name.strip())
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise TeamActionRefused({"password1": error.messages}, code="password") from None
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    # The invitation reached this address: it is verified.
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    profile_ensure(user=user, language=language)
    role_grant(user=user, role=Role(invitation.role))
    invitation.accepted_at = timezone.now()
    invitation.user = user
    invitation.save(update_fields=["accepted_at", "user"])
    return user


# --- Roles and deactivation -----------------------------------------------------------------


@transaction.atomic
def role_change(*, person: User, role: str, actor: User) -> User:
    """Give the person this team role instead of the team role(s) they had; being a
    member of the programme is theirs to keep."""
    _ensure_manager(actor)
    team_role = _team_role(role)
    if person.pk == actor.pk:
        raise TeamActionRefused(
            _("You cannot change your own role: ask another programme manager."),
            code="self",
        )
    if not person.is_active:
        raise TeamActionRefused(
            _("This account is deactivated: reactivate it first."), code="inactive"
        )
    held = roles_of(person) & set(TEAM_ROLES)
    if held == {team_role}:
        raise TeamActionRefused(
            _("%(name)s already has this role.") % {"name": person.display_name},
            code="unchanged",
        )
    # One history record for the change, old roles → new (each group added or removed
    # would write its own): the group changes skip it, the save below writes it.
    person.skip_history_when_saving = True  # type: ignore[attr-defined]
    try:
        for old in held - {team_role}:
            role_revoke(user=person, role=old)
        if team_role not in held:
            role_grant(user=person, role=team_role)
    finally:
        del person.skip_history_when_saving  # type: ignore[attr-defined]
    person.save(update_fields=["is_active"])
    return person


def deactivation_blockers(person: User) -> list[tuple[str, int, str]]:
    """What the person holds that must be handed over first: (workload, count, words)."""
    found = []
    for workload in workloads():
        count = workload.held(person)
        if count:
            found.append((workload.name, count, workload.describe(count)))
    return found


@transaction.atomic
def person_deactivate(*, person: User, actor: User, successor: User | None = None) -> int:
    """Close the account (it can no longer log in; its records stay) after handing what
    it holds to `successor`. Returns how many items were handed over."""
    _ensure_manager(actor)
    if person.pk == actor.pk:
        raise TeamActionRefused(
            _("You cannot deactivate your own account: ask another programme manager."),
            code="self",
        )
    person = User.objects.select_for_update().get(pk=person.pk)
    if person.is_superuser:
        raise TeamActionRefused(
            _("An administrator's account is managed in the administration."), code="admin"
        )
    if not person.is_active:
        raise TeamActionRefused(_("This account is already deactivated."), code="inactive")
    handed = 0
    for workload in workloads():
        if not workload.held(person):
            continue
        if successor is None:
            raise TeamActionRefused(
                {
                    "successor": _("%(name)s still holds open work: choose who takes it over.")
                    % {"name": person.display_name}
                },
                code="successor",
            )
        if not workload.successors(person).filter(pk=successor.pk).exists():
            raise TeamActionRefused(
                {"successor": _("Choose an active advisor other than this person.")},
                code="successor",
            )
        handed += workload.hand_over(holder=person, successor=successor, actor=actor)
    person.is_active = False
    person.save(update_fields=["is_active"])
    return handed


@transaction.atomic
def person_reactivate(*, person: User, actor: User) -> User:
    _ensure_manager(actor)
    person = User.objects.select_for_update().get(pk=person.pk)
    if person.is_active:
        raise TeamActionRefused(_("This account is already active."), code="active")
    person.is_active = True
    person.save(update_fields=["is_active"])
    return person
