"""The signed link a partner receives with a referral: no account, only the referral id
and an expiry in the token (django.core.signing), checked again against the case on
every use (a closed case ends it whatever the date)."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core import signing
from django.utils import timezone

SALT = "referrals.partner-link"


class PartnerLinkInvalid(Exception):
    """The link cannot be used; `reason` says why ("forged" or "expired")."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class PartnerLink:
    referral_id: int
    expires_at: datetime


def link_expiry(sent_at: datetime) -> datetime:
    return sent_at + timedelta(days=settings.REFERRALS_PARTNER_LINK_DAYS)


def partner_token(*, referral_id: int, sent_at: datetime) -> str:
    expires = int(link_expiry(sent_at).timestamp())
    return signing.dumps({"r": referral_id, "e": expires}, salt=SALT, compress=True)


def partner_token_read(token: str, *, now: datetime | None = None) -> PartnerLink:
    """The referral a token names, if the signature holds and the expiry has not passed."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        raise PartnerLinkInvalid("forged") from None
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("r"), int)
        or not isinstance(data.get("e"), int)
    ):
        raise PartnerLinkInvalid("forged")
    expires_at = datetime.fromtimestamp(data["e"], tz=UTC)
    if (now or timezone.now()) >= expires_at:
        raise PartnerLinkInvalid("expired")
    return PartnerLink(referral_id=data["r"], expires_at=expires_at)
