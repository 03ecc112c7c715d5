"""Working a case: claiming, assigning, contact attempts, private notes, follow-up dates
and closing with an outcome."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import User

from ..choices import OUTCOMES_FROM, CaseStatus, Channel, EventKind, Outcome, PartnerAnswer
from ..emails import handover_notice_schedule, signal_handled_schedule
from ..models import Case, CaseEvent
from .base import (
    CaseActionRefused,
    ClaimLost,
    _ensure_advisor,
    _ensure_open,
    _ensure_started,
    _event,
    _locked,
    _move,
    check_transition,
)
from .callbacks import callbacks_cancel_with_case


@transaction.atomic
def case_claim(*, case_id: int, advisor: User) -> Case:
    """Take a new case. Two advisors at once: one conditional UPDATE wins, the other is told."""
    _ensure_advisor(advisor)
    won = Case.objects.filter(pk=case_id, status=CaseStatus.NEW, assigned_to__isnull=True).update(
        status=CaseStatus.IN_PROGRESS, assigned_to=advisor, updated_at=timezone.now()
    )
    case = Case.objects.select_related("assigned_to").get(pk=case_id)
    if not won:
        if case.status == CaseStatus.CLOSED:
            raise ClaimLost(_("This case is closed: it cannot be claimed."), code="closed")
        if case.assigned_to_id == advisor.pk:
            raise ClaimLost(_("You already hold this case."), code="already_yours")
        # Neither new nor closed: someone holds it (the case assignment constraint).
        assert case.assigned_to is not None
        raise ClaimLost(
            _("%(name)s claimed this case first.") % {"name": case.assigned_to.display_name},
            code="taken",
        )
    _event(
        case,
        EventKind.CLAIMED,
        advisor,
        from_status=CaseStatus.NEW,
        to_status=CaseStatus.IN_PROGRESS,
    )
    return case


@transaction.atomic
def case_assign(*, case: Case, assignee: User, actor: User, note: str = "") -> Case:
    """Give an open case to an advisor (a colleague, or oneself); a new case starts.

    A hand-over note goes on the timeline; a colleague who is given the case is told by
    e-mail once this commits (the note stays on the case's page, where reads are logged)."""
    _ensure_advisor(actor)
    _ensure_advisor(assignee)
    case = _locked(case)
    _ensure_open(case)
    if case.assigned_to_id == assignee.pk:
        raise CaseActionRefused(
            _("%(name)s already holds this case.") % {"name": assignee.display_name},
            code="unchanged",
        )
    previous = case.assigned_to_id
    case.assigned_to = assignee
    note = note.strip()
    if case.status == CaseStatus.NEW:
        event = _move(
            case,
            CaseStatus.IN_PROGRESS,
            actor=actor,
            kind=EventKind.ASSIGNED,
            body=note,
            assignee=assignee.pk,
            assignee_name=assignee.display_name,
        )
    else:
        case.save()
        event = _event(
            case,
            EventKind.ASSIGNED,
            actor,
            body=note,
            assignee=assignee.pk,
            assignee_name=assignee.display_name,
            previous=previous,
        )
    if assignee.pk != actor.pk:
        handover_notice_schedule(case=case, event=event, recipient=assignee)
    return case


@transaction.atomic
def contact_attempt_record(
    *, case: Case, actor: User, channel: str, reached: bool, note: str = ""
) -> CaseEvent:
    """A call, an e-mail or a video call, answered or not: the first one meets the deadline."""
    _ensure_advisor(actor)
    case = _locked(case)
    _ensure_started(case)
    if channel not in Channel.values:
        raise ValidationError({"channel": _("Choose how you tried to reach the person.")})
    if case.first_contact_at is None:
        case.first_contact_at = timezone.now()
        case.save(update_fields=["first_contact_at", "updated_at"])
    return _event(
        case, EventKind.CONTACT_ATTEMPT, actor, body=note.strip(), channel=channel, reached=reached
    )


@transaction.atomic
def note_add(*, case: Case, actor: User, body: str) -> CaseEvent:
    """A private note: advisors only ever, never the member nor the ambassador."""
    _ensure_advisor(actor)
    case = _locked(case)
    if not body.strip():
        raise ValidationError({"body": _("Write the note first.")})
    return _event(case, EventKind.NOTE, actor, body=body.strip())


@transaction.atomic
def follow_up_set(*, case: Case, actor: User, on: date | None) -> Case:
    _ensure_advisor(actor)
    case = _locked(case)
    _ensure_started(case)
    if on is not None and on < timezone.localdate():
        raise ValidationError({"follow_up_on": _("Choose today or a later date.")})
    case.follow_up_on = on
    case.save(update_fields=["follow_up_on", "updated_at"])
    _event(case, EventKind.FOLLOW_UP, actor, on=on.isoformat() if on else None)
    return case


@transaction.atomic
def case_close(*, case: Case, actor: User, outcome: str, note: str = "") -> Case:
    _ensure_advisor(actor)
    case = _locked(case)
    check_transition(case.status, CaseStatus.CLOSED)
    if outcome not in OUTCOMES_FROM[case.status]:
        raise CaseActionRefused(
            _("This outcome does not fit a case that is “%(status)s”.")
            % {"status": case.get_status_display()},
            code="outcome",
        )
    # The referral outcomes are the closed loop's statistics: they state what was recorded
    # (by the advisor, the member on their page, or the partner on its own).
    rows = list(case.referrals.values_list("reached", "partner_answer"))
    loops = {reached for reached, _answer in rows}
    answers = {answer for _reached, answer in rows}
    if outcome == Outcome.TAKEN_ON and PartnerAnswer.TAKEN_ON not in answers:
        raise CaseActionRefused(_("No partner has said it took the person on."), code="outcome")
    if outcome == Outcome.NOT_TAKEN_ON and (
        PartnerAnswer.NOT_TAKEN_ON not in answers or PartnerAnswer.TAKEN_ON in answers
    ):
        raise CaseActionRefused(
            _(
                "Choose this outcome once a partner has said it could not take the person on, "
                "and none took them on."
            ),
            code="outcome",
        )
    if outcome == Outcome.REFERRED_REACHED and True not in loops:
        raise CaseActionRefused(_("Record first which partner the person reached."), code="outcome")
    if outcome == Outcome.REFERRED_NOT_REACHED and True in loops:
        raise CaseActionRefused(
            _("The person reached a partner: choose that outcome."), code="outcome"
        )
    if outcome == Outcome.REFERRED_NOT_REACHED and None in loops:
        raise CaseActionRefused(
            _("Record first, for each partner, whether the person reached it."), code="outcome"
        )
    _close(case, outcome=outcome, actor=actor, body=note.strip())
    return case


def _close(
    case: Case, *, outcome: str, actor: User | None, body: str = "", checked: bool = True
) -> None:
    """Every closing: the outcome, the date, no follow-up nor call-back left, the timeline
    entries."""
    callbacks_cancel_with_case(case=case, actor=actor)
    case.outcome = outcome
    case.closed_at = timezone.now()
    case.follow_up_on = None
    _move(
        case,
        CaseStatus.CLOSED,
        actor=actor,
        kind=EventKind.CLOSED,
        body=body,
        checked=checked,
        outcome=outcome,
    )
    # Closed, not oriented: orienting is a step the cell still follows up (closed loop),
    # and the ambassador's page shows "handled" only from here.
    signal_handled_schedule(case=case)
