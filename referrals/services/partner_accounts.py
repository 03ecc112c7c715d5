"""Optional staff accounts of a partner organisation: a manager invites a partner's staff
member by e-mail; the account answers the referrals sent to that organisation, signed in,
instead of (or as well as) through the signed link each referral e-mail still carries."""

from __future__ import annotations

from allauth.account.adapter import get_adapter
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from common.access import holds
from members.models import User
from members.roles import MANAGE_PARTNERS, Role
from members.services import profile_ensure, role_grant
from notifications.links import absolute_url

from ..models import Partner, PartnerMembership


def set_password_url(user: User, *, language: str) -> str:
    """allauth's password-reset link: the invited person chooses their password with it
    (one use, for PASSWORD_RESET_TIMEOUT), which also proves the address is theirs."""
    with translation.override(language):
        path = reverse(
            "account_reset_password_from_key",
            kwargs={
                "uidb36": user_pk_to_url_str(user),
                "key": default_token_generator.make_token(user),
            },
        )
    return absolute_url(path)


def _invitation_send(membership: PartnerMembership, *, language: str) -> None:
    user, partner = membership.user, membership.partner

    def send() -> None:
        with translation.override(language):
            get_adapter().send_mail(
                "referrals/email/partner_staff_invitation",
                user.email,
                {
                    "partner_name": partner.name,
                    "set_password_url": set_password_url(user, language=language),
                    "login_url": absolute_url(reverse("account_login")),
                },
            )

    transaction.on_commit(send)


@transaction.atomic
def partner_staff_invite(
    *, partner: Partner, email: str, first_name: str, language: str, actor: User
) -> PartnerMembership:
    """Make a staff account for this partner organisation and e-mail its holder a link to
    choose a password. Refused for an address that already has an account."""
    if not actor.is_active or not holds(actor, MANAGE_PARTNERS):
        raise PermissionDenied
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}, code="email") from None
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(
            {
                "email": _(
                    "This address already has an account on the portal: partner staff "
                    "accounts are made for a new address."
                )
            },
            code="exists",
        )
    user = User(email=email, first_name=first_name.strip())
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    # The set-password link reaches this address only: choosing a password proves it.
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    profile_ensure(user=user, language=language)
    role_grant(user=user, role=Role.PARTNER)
    membership = PartnerMembership.objects.create(user=user, partner=partner, invited_by=actor)
    _invitation_send(membership, language=language)
    return membership


__all__ = ["partner_staff_invite", "set_password_url"]
