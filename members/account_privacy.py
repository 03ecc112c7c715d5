"""The account itself in the member's data file, its erasure, and the retention limit of
accounts whose e-mail address was never confirmed (registered in members.apps)."""

import json
import logging
from datetime import datetime, timedelta
from importlib import import_module

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Exists, OuterRef, Q

from common.history import forget_account_in_history, models_with_history, prune_history

from .consents import CONSENT_TEXTS, ConsentKind
from .models import PROFILE_FIELDS, Consent, Invitation, MemberProfile, User
from .roles import roles_of

logger = logging.getLogger(__name__)


def _profile(user: User) -> dict | None:
    profile = MemberProfile.objects.filter(user=user).first()
    if profile is None:
        return None
    rows = {}
    for name in PROFILE_FIELDS:
        field = MemberProfile._meta.get_field(name)
        assert isinstance(field, models.Field)  # a column of the profile, not a relation
        value = getattr(profile, name)
        if field.choices:
            value = getattr(profile, f"get_{name}_display")() if value else None
        rows[name] = value
    rows["created_at"] = profile.created_at
    rows["updated_at"] = profile.updated_at
    return rows


def _consent(consent: Consent) -> dict:
    current = CONSENT_TEXTS.get(consent.kind)
    same_text = current is not None and current.version == consent.text_version
    return {
        "consent": ConsentKind(consent.kind).label,
        "version_of_the_text": consent.text_version,
        # Older versions of a text are not kept in the portal, only their version.
        "text": current.text if current is not None and same_text else None,
        "given_at": consent.given_at,
        "withdrawn_at": consent.withdrawn_at,
    }


def export_account(user: User) -> dict:
    """Six queries: roles, addresses, authenticators, profile, consents (the user is loaded)."""
    return {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "account_created_at": user.date_joined,
        "last_login_at": user.last_login,
        "roles": sorted(str(role.label) for role in roles_of(user)),
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("pk")
        ],
        # Which kinds of second factor, never their secrets.
        "two_factor_authentication": [
            {"type": authenticator.type, "added_at": authenticator.created_at}
            for authenticator in Authenticator.objects.filter(user=user).order_by("pk")
        ],
        "profile": _profile(user),
        "consents": [
            _consent(consent)
            for consent in Consent.objects.filter(user=user).order_by("given_at", "pk")
        ],
    }


def erase_account(user: User) -> None:
    """The profile and the consents; the account row goes last, in member_erase."""
    Consent.objects.filter(user=user).delete()
    MemberProfile.objects.filter(user=user).delete()
    # The invitation that made the account, and any other to its address.
    Invitation.objects.filter(Q(user=user) | Q(email__iexact=user.email)).delete()
    # The account's own history (roles) goes with it (cascade_delete_history); other
    # objects' history forgets it.
    forget_account_in_history(user_model=User, user_id=user.pk)
    _forget_in_admin_history(user)


def _forget_in_admin_history(user: User) -> None:
    """The admin's history names what it touched: str() of the account or of an address,
    and of an inline (the profile) in the change message. Its entries about the account
    and its addresses keep what was done, by whom and when, about record #id."""
    types = ContentType.objects.get_for_models(User, EmailAddress)
    addresses = EmailAddress.objects.filter(user=user).values_list("pk", flat=True)
    about = Q(content_type=types[User], object_id=str(user.pk)) | Q(
        content_type=types[EmailAddress], object_id__in=[str(pk) for pk in addresses]
    )
    entries = list(LogEntry.objects.filter(about))
    for entry in entries:
        entry.object_repr = f"#{entry.object_id}"
        entry.change_message = _without_names(entry.change_message)
    LogEntry.objects.bulk_update(entries, ["object_repr", "change_message"])


def _without_names(change_message: str) -> str:
    try:
        parts = json.loads(change_message)
    except ValueError:
        return ""  # free text, written by hand
    if not isinstance(parts, list):
        return ""
    for part in parts:
        for detail in part.values() if isinstance(part, dict) else ():
            if isinstance(detail, dict) and "object" in detail:
                detail["object"] = "—"
    return json.dumps(parts)


def delete_unverified_accounts(*, now: datetime, limit: int) -> int:
    """Sign-ups whose address was never confirmed cannot log in: after the retention
    limit the account goes, through the same erasure as any other."""
    from .services import ErasureRefused, member_erase

    cutoff = now - timedelta(days=settings.RETENTION_UNVERIFIED_ACCOUNT_DAYS)
    addresses = EmailAddress.objects.filter(user=OuterRef("pk"))
    ids = list(
        User.objects.filter(
            date_joined__lt=cutoff, last_login__isnull=True, is_staff=False, is_superuser=False
        )
        # Signed up (an address waits for confirmation), never confirmed one.
        .filter(Exists(addresses.filter(verified=False)))
        .exclude(Exists(addresses.filter(verified=True)))
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    erased = 0
    for user in User.objects.filter(pk__in=ids):
        try:
            erased += member_erase(user=user)
        except ErasureRefused:
            logger.warning("Unverified account %s holds protected records: kept.", user.pk)
    return erased


def delete_expired_sessions(*, now: datetime, limit: int) -> int:
    """Django keeps a session row, which says who was logged in, until clearsessions
    runs: past its expiry it serves nothing and goes (database-backed sessions)."""
    from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
    from django.contrib.sessions.models import Session

    if not issubclass(import_module(settings.SESSION_ENGINE).SessionStore, DatabaseStore):
        return 0  # the cache or the cookie expires them itself
    keys = list(
        Session.objects.filter(expire_date__lt=now)
        .order_by()
        .values_list("session_key", flat=True)[:limit]
    )
    if not keys:
        return 0
    deleted, _by_model = Session.objects.filter(session_key__in=keys).delete()
    return deleted


def delete_old_invitations(*, now: datetime, limit: int) -> int:
    """A team invitation names the invited address: 30 days after it expired, accepted
    or not, it serves nothing more (who holds which role is the account's)."""
    cutoff = now - timedelta(days=30)
    ids = list(
        Invitation.objects.filter(expires_at__lt=cutoff)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    Invitation.objects.filter(pk__in=ids).delete()
    return len(ids)


def prune_edit_history(*, now: datetime, limit: int) -> int:
    """The history of staff edits (common.history) after RETENTION_EDIT_HISTORY_DAYS."""
    return prune_history(
        models_with_history=models_with_history(),
        before=now - timedelta(days=settings.RETENTION_EDIT_HISTORY_DAYS),
        limit=limit,
    )
