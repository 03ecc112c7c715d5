"""Set-up shared by the partner's-side tests: a member's request with consent to share,
claimed and referred (warm handoff) to a partner, sent to the partner's address."""

from django.urls import reverse

from referrals import services
from referrals.choices import Channel, ReferralMode, Urgency
from referrals.models import Referral
from referrals.partner_links import partner_token

from .factories import PartnerFactory

NOTE = "Rappel souhaité en fin de journée, parle de dettes fournisseurs."


def referred(member, advisor, *, partner=None, share: bool = True, send: bool = True) -> Referral:
    case = services.request_create(
        member=member,
        needs=["stress", "financial"],
        channel=Channel.PHONE,
        time_slots=["evening"],
        language="fr",
        urgency=Urgency.MEDIUM,
        message="Je suis débordé, mon comptable ne répond plus.",
        phone="0470 12 34 56",
        share_with_partner=share,
    )
    services.case_claim(case_id=case.pk, advisor=advisor)
    [referral] = services.referral_create(
        case=case,
        actor=advisor,
        partners=[partner or PartnerFactory(name="Un pass dans l'impasse")],
        mode=ReferralMode.WARM_HANDOFF,
        oral_consent=not share,
        note=NOTE,
    )
    if send:
        referral = services.referral_send_to_partner(referral=referral, actor=advisor)
    return referral


def link_of(referral: Referral) -> str:
    assert referral.sent_to_partner_at is not None
    token = partner_token(referral_id=referral.pk, sent_at=referral.sent_to_partner_at)
    return reverse("referrals:partner-referral", args=[token])
