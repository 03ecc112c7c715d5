"""What erasure (GDPR Art. 17) and the retention limit do to cases (see referrals.privacy)."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from ..choices import OPEN_STATUSES, AnonymisedBecause, EventKind, Outcome
from ..models import CallBack, Case, CaseEvent, Referral
from .cases import _close


@transaction.atomic
def cases_close_member_gone(*, case_ids: Sequence[int]) -> int:
    """Close the open cases of a member who erased their account (GDPR Art. 17).

    Nobody can reach the person any more, so the cases leave the queue and no advisor is
    alerted about them: outcome "unreachable", written on the timeline by the portal (no
    actor). A case nobody had claimed closes without an advisor. With anonymising, the
    one move outside TRANSITIONS. Returns how many cases were closed now.
    """
    cases = list(
        Case.objects.select_for_update()
        .filter(pk__in=list(case_ids), status__in=OPEN_STATUSES)
        .order_by("pk")
    )
    for case in cases:
        # A new case may close straight away here: checked=False (see above).
        _close(case, outcome=Outcome.UNREACHABLE, actor=None, checked=False)
    return len(cases)


@transaction.atomic
def cases_anonymise(*, case_ids: Sequence[int], reason: AnonymisedBecause) -> int:
    """Remove the person from these cases and keep what the statistics read: source,
    status, outcome, needs, region, language, urgency, channel and every date.

    Gone: the member link, name, phone, e-mail, time slots, the member's message (or the
    ambassador's note), the attached result and sharing consent, and the text of every
    timeline event, referral and call-back (advisors' notes speak of the person). The timeline keeps
    its events, what happened and when; the access log keeps who read which case.
    Erasure (GDPR Art. 17) and the retention limit are the one exception to the
    append-only timeline, and the change is itself recorded on it. Returns how many
    cases were anonymised now (a case already anonymised is left as it is).
    """
    done = CaseEvent.objects.filter(kind=EventKind.ANONYMISED).values("case_id")
    ids = list(
        Case.objects.select_for_update()
        .filter(pk__in=list(case_ids))
        .exclude(pk__in=done)
        .values_list("pk", flat=True)
    )
    if not ids:
        return 0
    Case.objects.filter(pk__in=ids).update(
        member=None,
        contact_name="",
        contact_phone="",
        contact_email="",
        time_slots=[],
        message="",
        assessment_result=None,
        sharing_consent=None,
        updated_at=timezone.now(),
    )
    # The base manager is a plain one: the append-only manager refuses any update.
    CaseEvent._base_manager.filter(case_id__in=ids).exclude(body="").update(body="")
    Referral.objects.filter(case_id__in=ids).exclude(note="").update(note="")
    CallBack.objects.filter(case_id__in=ids).exclude(note="").update(note="")
    CaseEvent.objects.bulk_create(
        CaseEvent(case_id=pk, kind=EventKind.ANONYMISED, data={"reason": reason}) for pk in ids
    )
    return len(ids)
