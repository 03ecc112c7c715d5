"""State changes on members: registration, profile, roles, consents, erasure."""

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import ForeignObjectRel, ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _

from common import privacy
from notifications.services import preferences_set

from .consents import CONSENT_TEXTS, ConsentKind
from .models import Consent, MemberProfile, User
from .roles import Role, forget_identity

logger = logging.getLogger(__name__)


def profile_ensure(*, user: User, language: str = "fr") -> MemberProfile:
    """Every account has a profile: it holds the language and notification settings."""
    profile, _created = MemberProfile.objects.get_or_create(
        user=user, defaults={"preferred_language": language}
    )
    return profile


@transaction.atomic
def member_register(*, user: User, language: str = "fr") -> MemberProfile:
    """Give a newly signed-up entrepreneur a profile and the member role (idempotent)."""
    profile = profile_ensure(user=user, language=language)
    role_grant(user=user, role=Role.MEMBER)
    return profile


@transaction.atomic
def profile_update(
    *,
    profile: MemberProfile,
    first_name: str,
    last_name: str,
    message_preferences: Mapping[str, bool] | None = None,
    **fields: Any,
) -> MemberProfile:
    """The profile page: the member's details and, through notifications, which
    messages they receive ({category: receives})."""
    user = profile.user
    user.first_name, user.last_name = first_name.strip(), last_name.strip()
    user.full_clean(exclude=["password"])
    user.save(update_fields=["first_name", "last_name"])
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.full_clean()
    profile.save()
    if message_preferences:
        preferences_set(user=user, choices=message_preferences)
    return profile


def role_grant(*, user: User, role: Role) -> None:
    user.groups.add(Group.objects.get(name=role.value))
    forget_identity(user)


def role_revoke(*, user: User, role: Role) -> None:
    user.groups.remove(Group.objects.get(name=role.value))
    forget_identity(user)


def consent_give(*, user: User, kind: ConsentKind) -> Consent:
    """Record that the member agrees to the current version of a consent text."""
    return Consent.objects.create(user=user, kind=kind, text_version=CONSENT_TEXTS[kind].version)


def consent_withdraw(*, user: User, kind: ConsentKind) -> int:
    """Withdraw every standing consent of that kind; returns how many were standing."""
    return Consent.objects.filter(user=user, kind=kind, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )


@transaction.atomic
def consent_renew(*, user: User, kind: ConsentKind) -> tuple[Consent, bool]:
    """Give the consent to the current text from the privacy page, unless it stands
    already for that text: a second click or a replayed form records it once.

    Returns the standing consent and whether it was recorded now. A consent given with
    something else (sharing with a partner, given with a request) is refused here.
    """
    if CONSENT_TEXTS[kind].given_with is not None:
        raise ValidationError(_("This consent is given where it is used, not here."))
    User.objects.select_for_update().filter(pk=user.pk).first()  # one at a time per member
    standing = Consent.objects.filter(
        user=user,
        kind=kind,
        text_version=CONSENT_TEXTS[kind].version,
        withdrawn_at__isnull=True,
    ).first()
    if standing is not None:
        return standing, False
    return consent_give(user=user, kind=kind), True


@dataclass(frozen=True)
class Withdrawal:
    withdrawn: int  # standing consents withdrawn now (0: it was withdrawn already)
    deleted: int  # items the member chose to delete with it


@transaction.atomic
def consent_withdraw_and_clean(*, user: User, kind: ConsentKind, delete_data: bool) -> Withdrawal:
    """Withdraw a consent and, if the member asks, delete what was kept under it (the
    app that keeps it registered how: common.privacy.register_consent_cleanup)."""
    withdrawn = consent_withdraw(user=user, kind=kind)
    cleanup = privacy.consent_cleanup(kind)
    deleted = cleanup.delete(user) if delete_data and cleanup is not None else 0
    return Withdrawal(withdrawn=withdrawn, deleted=deleted)


class ErasureRefused(Exception):
    """The account cannot be deleted; the message says why and is safe to show."""


def erasure_blockers(user: User) -> list[str]:
    """Records that must outlive the account and name it, which forbid deleting it: a
    listening-cell advisor's cases, the access log of who read a case (PROTECT keys)."""
    found = []
    # Hidden relations too: the access log's key has no reverse name (related_name="+").
    relations = User._meta.get_fields(include_hidden=True)
    for relation in relations:
        if not (relation.auto_created and not relation.concrete and relation.is_relation):
            continue
        if getattr(relation, "on_delete", None) not in (models.PROTECT, models.RESTRICT):
            continue
        # Auto-created, not concrete: the reverse side of another model's key.
        assert isinstance(relation, ForeignObjectRel) and relation.related_model is not None
        rows = relation.related_model._base_manager.filter(**{relation.field.name: user})
        if rows.exists():
            found.append(str(relation.related_model._meta.verbose_name_plural))
    return found


def _refused(blockers: list[str]) -> ErasureRefused:
    return ErasureRefused(
        _(
            "This account cannot be deleted: records the fund must keep point to it "
            "(%(records)s). An administrator can deactivate it instead."
        )
        % {"records": ", ".join(blockers)}
    )


@transaction.atomic
def member_erase(*, user: User) -> bool:
    """Delete the account and the person's data in every app, keeping anonymous statistics.

    Each app's eraser (common.privacy) runs in this one transaction, then the account
    row is deleted: if any step fails, nothing at all is erased. Returns False when the
    account was gone already (a second click, a second tab).
    """
    account = User.objects.select_for_update().filter(pk=user.pk).first()
    if account is None:
        return False
    if blockers := erasure_blockers(account):
        raise _refused(blockers)
    for _name, eraser in privacy.erasers():
        eraser(account)
    account_id = account.pk
    try:
        account.delete()
    except (ProtectedError, RestrictedError) as protected:  # one written meanwhile
        raise _refused(erasure_blockers(account)) from protected
    logger.info("Account %s and its personal data were erased.", account_id)
    return True
