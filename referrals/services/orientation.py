"""Orienting the person to partners, and the closed loop: did they reach the partner?"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Consent, User

from ..choices import CaseStatus, ConsentBasis, EventKind, ReferralMode
from ..models import Case, Partner, Referral
from .base import (
    CaseActionRefused,
    _ensure_advisor,
    _ensure_open,
    _ensure_started,
    _event,
    _locked,
    _move,
)


def _standing_consent(case: Case) -> bool:
    return (
        case.sharing_consent_id is not None
        and Consent.objects.filter(pk=case.sharing_consent_id, withdrawn_at__isnull=True).exists()
    )


@transaction.atomic
def referral_create(
    *,
    case: Case,
    actor: User,
    partners: Sequence[Partner],
    mode: str,
    oral_consent: bool = False,
    note: str = "",
) -> list[Referral]:
    """Orient the person to one or more partners; the first referral makes the case oriented."""
    _ensure_advisor(actor)
    case = _locked(case)
    _ensure_started(case)
    if not partners:
        raise ValidationError({"partners": _("Choose at least one partner.")})
    if any(not partner.is_active for partner in partners):
        raise ValidationError({"partners": _("This partner is no longer active.")})
    consent_basis = ""
    if mode == ReferralMode.WARM_HANDOFF:
        if _standing_consent(case):
            consent_basis = ConsentBasis.ONLINE
        elif oral_consent:
            consent_basis = ConsentBasis.ORAL
        else:
            raise ValidationError(
                {
                    "oral_consent": _(
                        "A warm handoff shares the person's details: record their consent first."
                    )
                }
            )
    already = set(
        case.referrals.filter(partner__in=partners).values_list("partner__name", flat=True)
    )
    if already:
        raise CaseActionRefused(
            _("Already referred to: %(names)s.") % {"names": ", ".join(sorted(already))},
            code="duplicate",
        )
    referrals = []
    for partner in partners:
        referral = Referral(
            case=case,
            partner=partner,
            mode=mode,
            consent_basis=consent_basis,
            note=note.strip(),
            created_by=actor,
        )
        referral.full_clean(exclude=["case", "partner"])
        referrals.append(referral)
    try:
        with transaction.atomic():
            Referral.objects.bulk_create(referrals)
    except IntegrityError as error:
        raise CaseActionRefused(_("This referral was just recorded."), code="duplicate") from error
    for referral in referrals:
        _event(
            case,
            EventKind.REFERRED,
            actor,
            body=referral.note,
            partner=referral.partner_id,
            partner_name=referral.partner.name,
            mode=mode,
            consent_basis=consent_basis,
        )
    if case.status == CaseStatus.IN_PROGRESS:
        _move(case, CaseStatus.ORIENTED, actor=actor, kind=EventKind.ORIENTED)
    return referrals


@transaction.atomic
def referral_record_reached(
    *, referral: Referral, actor: User, reached: bool, note: str = "", confirm_change: bool = False
) -> Referral:
    """Closed loop: did the person reach the partner? An answer already recorded is
    replaced only when the advisor confirms it, so a stray click cannot flip it."""
    _ensure_advisor(actor)
    case = _locked(referral.case)
    _ensure_open(case)
    referral = Referral.objects.select_for_update().select_related("partner").get(pk=referral.pk)
    previous = referral.reached
    if previous is not None and previous != reached and not confirm_change:
        raise CaseActionRefused(
            _(
                "An answer is already recorded for %(name)s. To replace it, tick the "
                "confirmation and record again."
            )
            % {"name": referral.partner.name},
            code="confirm_change",
        )
    referral.reached = reached
    referral.reached_recorded_at = timezone.now()
    referral.save(update_fields=["reached", "reached_recorded_at"])
    changed: dict[str, Any] = {"previous": previous} if previous is not None else {}
    _event(
        case,
        EventKind.PARTNER_REACHED,
        actor,
        body=note.strip(),
        partner=referral.partner_id,
        partner_name=referral.partner.name,
        reached=reached,
        **changed,
    )
    return referral
