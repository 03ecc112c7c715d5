"""What every case service shares: the refusals, the guards, the row lock and the
timeline entry (the audit entry) each change writes."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from members.models import User
from members.roles import Role, has_role

from ..choices import TRANSITIONS, CaseStatus, EventKind
from ..models import Case, CaseEvent


class CaseActionRefused(ValidationError):
    """The case cannot do that now; the message says why, in words for the advisor."""


class TransitionRefused(CaseActionRefused):
    pass


class ClaimLost(CaseActionRefused):
    """Someone else claimed the case first (or it was closed meanwhile)."""


def _event(
    case: Case,
    kind: EventKind,
    actor: User | None,
    *,
    body: str = "",
    from_status: str = "",
    to_status: str = "",
    **data: Any,
) -> CaseEvent:
    event = CaseEvent(
        case=case,
        kind=kind,
        actor=actor,
        body=body,
        from_status=from_status,
        to_status=to_status,
        data=data,
    )
    event.full_clean()
    event.save()
    return event


def _ensure_advisor(user: User) -> None:
    if not has_role(user, Role.ADVISOR) or not user.is_active:
        raise PermissionDenied


def _locked(case: Case) -> Case:
    """Re-read the case under a row lock: what we check is what we change."""
    return Case.objects.select_for_update().get(pk=case.pk)


def _ensure_open(case: Case) -> None:
    if case.status == CaseStatus.CLOSED:
        raise CaseActionRefused(_("This case is closed."), code="closed")


def _ensure_started(case: Case) -> None:
    _ensure_open(case)
    if case.status == CaseStatus.NEW:
        raise CaseActionRefused(_("Claim the case first."), code="not_started")


def check_transition(from_status: str, to_status: str) -> None:
    if to_status not in TRANSITIONS[from_status]:
        raise TransitionRefused(
            _("A case cannot go from “%(from)s” to “%(to)s”.")
            % {"from": CaseStatus(from_status).label, "to": CaseStatus(to_status).label},
            code="transition",
        )


def _move(
    case: Case,
    to_status: str,
    *,
    actor: User | None,
    kind: EventKind,
    body: str = "",
    checked: bool = True,
    **data: Any,
) -> CaseEvent:
    """Change the status and write it on the timeline; only allowed moves, unless the
    caller is one of the documented exceptions (checked=False)."""
    from_status = case.status
    if checked:
        check_transition(from_status, to_status)
    case.status = to_status
    case.full_clean()
    case.save()
    return _event(
        case, kind, actor, body=body, from_status=from_status, to_status=to_status, **data
    )
