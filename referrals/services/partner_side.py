"""The partner's side of a referral and the member's word on it: sending the referral to
the partner's address, the partner's answers on its signed page, the member's answer."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import User

from ..choices import (
    PARTNER_ANSWER_RANK,
    ConsentBasis,
    EventKind,
    MemberHelped,
    NotTakenOnReason,
    PartnerAnswer,
    ReferralMode,
)
from ..models import Case, Referral
from ..partner_emails import partner_referral_schedule
from .base import CaseActionRefused, _ensure_advisor, _ensure_open, _event
from .orientation import _standing_consent


def _locked_referral(referral_id: int) -> tuple[Case, Referral]:
    """The case then the referral under a row lock (the same order as every case service)."""
    case_id = Referral.objects.filter(pk=referral_id).values_list("case_id", flat=True).first()
    if case_id is None:
        raise CaseActionRefused(_("This referral no longer exists."), code="missing")
    case = Case.objects.select_for_update().get(pk=case_id)
    referral = Referral.objects.select_for_update().select_related("partner").get(pk=referral_id)
    return case, referral


@transaction.atomic
def referral_send_to_partner(*, referral: Referral, actor: User) -> Referral:
    """Send a warm handoff to the partner's referral address: an e-mail with a signed,
    expiring link to what the member agreed to share. Only with the member's consent."""
    _ensure_advisor(actor)
    case, referral = _locked_referral(referral.pk)
    _ensure_open(case)
    if referral.mode != ReferralMode.WARM_HANDOFF:
        raise CaseActionRefused(
            _("Only a warm handoff, with the person's consent, is sent to the partner."),
            code="not_handoff",
        )
    if referral.consent_basis == ConsentBasis.ONLINE and not _standing_consent(case):
        raise CaseActionRefused(
            _("The person withdrew their consent to share: nothing is sent to the partner."),
            code="consent",
        )
    if referral.sent_to_partner_at is not None:
        raise CaseActionRefused(_("This referral was already sent to the partner."), code="sent")
    if not referral.partner.email:
        raise CaseActionRefused(
            _("This partner has no e-mail address for referrals."), code="no_address"
        )
    referral.sent_to_partner_at = timezone.now()
    referral.sent_to_address = referral.partner.email
    referral.full_clean(exclude=["case", "partner"])
    referral.save(update_fields=["sent_to_partner_at", "sent_to_address"])
    _event(
        case,
        EventKind.SENT_TO_PARTNER,
        actor,
        partner=referral.partner_id,
        partner_name=referral.partner.name,
        address=referral.sent_to_address,
    )
    partner_referral_schedule(referral=referral, sender=actor)
    return referral


@transaction.atomic
def partner_answer_record(*, referral_id: int, answer: str, reason: str = "") -> Referral:
    """The partner's answer on its page; a referral moves forward only (received, member
    contacted, then taken on or not), so a second answer cannot undo the first."""
    case, referral = _locked_referral(referral_id)
    if not case.is_open:
        raise CaseActionRefused(_("This case is closed."), code="closed")
    if referral.sent_to_partner_at is None:
        raise CaseActionRefused(_("This referral was not sent to a partner."), code="not_sent")
    if answer not in PartnerAnswer.values:
        raise CaseActionRefused(_("Choose an answer from the list."), code="answer")
    if answer == PartnerAnswer.NOT_TAKEN_ON:
        if reason not in NotTakenOnReason.values:
            raise CaseActionRefused(_("Tell us why the member was not taken on."), code="reason")
    else:
        reason = ""
    if PARTNER_ANSWER_RANK[answer] <= PARTNER_ANSWER_RANK[referral.partner_answer]:
        raise CaseActionRefused(
            _("This referral is already at “%(answer)s”: it can only move forward.")
            % {"answer": referral.get_partner_answer_display()},
            code="backward",
        )
    now = timezone.now()
    referral.partner_answer = answer
    referral.partner_reason = reason
    referral.partner_answered_at = now
    if referral.partner_contacted_at is None and answer in (
        PartnerAnswer.CONTACTED,
        PartnerAnswer.TAKEN_ON,
    ):
        referral.partner_contacted_at = now
    referral.full_clean(exclude=["case", "partner"])
    referral.save(
        update_fields=[
            "partner_answer",
            "partner_reason",
            "partner_answered_at",
            "partner_contacted_at",
        ]
    )
    _event(
        case,
        EventKind.PARTNER_ANSWERED,
        None,
        partner=referral.partner_id,
        partner_name=referral.partner.name,
        answer=answer,
        reason=reason,
    )
    return referral


@transaction.atomic
def member_answer_record(
    *, member: User, referral_id: int, reached: bool, helped: str = ""
) -> Referral:
    """The member says whether they reached the partner and whether it helped; it goes on
    the timeline and is the closed loop the advisor closes the case with."""
    owner = Referral.objects.filter(pk=referral_id).values_list("case__member_id", flat=True)
    if owner.first() != member.pk:
        raise PermissionDenied
    case, referral = _locked_referral(referral_id)
    if not case.is_open:
        raise CaseActionRefused(_("This request is closed."), code="closed")
    if referral.member_answered_at is not None:
        raise CaseActionRefused(_("You already answered for this partner. Thank you!"), code="done")
    if helped and helped not in MemberHelped.values:
        raise CaseActionRefused(_("Choose an answer from the list."), code="helped")
    if not reached:
        helped = ""
    now = timezone.now()
    referral.reached = reached
    referral.reached_recorded_at = now
    referral.member_helped = helped
    referral.member_answered_at = now
    referral.save(
        update_fields=["reached", "reached_recorded_at", "member_helped", "member_answered_at"]
    )
    _event(
        case,
        EventKind.MEMBER_ANSWERED,
        member,
        partner=referral.partner_id,
        partner_name=referral.partner.name,
        reached=reached,
        helped=helped,
    )
    return referral


__all__ = [
    "member_answer_record",
    "partner_answer_record",
    "referral_send_to_partner",
]
