"""The access log: every staff read of a case or of a result attached to it."""

from __future__ import annotations

from collections.abc import Sequence

from members.models import User

from ..choices import AccessPurpose, AccessSubject, CaseStatus
from ..models import Case, CaseAccess, Referral


def access_purpose(case: Case, user: User) -> AccessPurpose:
    """Why this advisor reads this case, from where the case stands."""
    if case.status == CaseStatus.CLOSED:
        return AccessPurpose.REVIEW
    if case.assigned_to_id is None:
        return AccessPurpose.TRIAGE
    if case.assigned_to_id == user.pk:
        return AccessPurpose.CASE_WORK
    return AccessPurpose.COVER


def access_record(
    *, case: Case, user: User, subject: AccessSubject, result_id: int | None = None
) -> CaseAccess:
    """Write who read what of a case, when and why (append-only)."""
    return CaseAccess.objects.create(
        case=case,
        subject=subject,
        result_id=result_id,
        accessed_by=user,
        purpose=access_purpose(case, user),
    )


def access_record_listing(
    *, cases: Sequence[Case], user: User, subject: AccessSubject = AccessSubject.LISTED
) -> None:
    """Write that these cases were listed to this advisor (in the queue, a search's results,
    a person's other cases), in one insert."""
    CaseAccess.objects.bulk_create(
        CaseAccess(
            case=case,
            subject=subject,
            accessed_by=user,
            purpose=access_purpose(case, user),
        )
        for case in cases
    )


def access_record_partner(*, referral: Referral, user: User | None = None) -> CaseAccess:
    """Write that the partner opened the page of a referral sent to it: through the link
    (no account: the referral, whose link only the partner's address received, says who)
    or signed in to its partner space (``user``, the partner's staff account)."""
    return CaseAccess.objects.create(
        case_id=referral.case_id,
        referral=referral,
        subject=AccessSubject.PARTNER_PAGE,
        accessed_by=user,
        purpose=AccessPurpose.PARTNER,
    )
