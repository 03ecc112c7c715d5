"""State changes on members: registration, profile, roles."""

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from .consents import CONSENT_TEXTS, ConsentKind
from .models import Consent, MemberProfile, User
from .roles import Role, forget_identity


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
    *, profile: MemberProfile, first_name: str, last_name: str, **fields
) -> MemberProfile:
    user = profile.user
    user.first_name, user.last_name = first_name.strip(), last_name.strip()
    user.full_clean(exclude=["password"])
    user.save(update_fields=["first_name", "last_name"])
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.full_clean()
    profile.save()
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
