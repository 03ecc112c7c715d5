"""Call-back appointments: booking, rescheduling, cancelling, and marking one done.

Only the advisor holding an open case changes its call-back; each change locks the case
row (so two tabs cannot book two call-backs) and writes one timeline entry. The
reminder is not scheduled here: the sweep derives it from the data when it falls due
(referrals.planners), so a change of time needs no clean-up.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.belgium import BRUSSELS
from members.models import User

from ..choices import EventKind
from ..models import CallBack, Case
from .base import CaseActionRefused, _ensure_advisor, _ensure_started, _event, _locked


def callback_check_may_plan(*, case: Case, actor: User) -> None:
    """Raise CaseActionRefused when `actor` may not plan this case's call-back now (for a
    page that must say why before it reads the form)."""
    _ensure_advisor(actor)
    _ensure_holder(case, actor)


def _ensure_holder(case: Case, actor: User) -> None:
    _ensure_started(case)
    if case.assigned_to_id != actor.pk:
        raise CaseActionRefused(
            _("Only the advisor holding this case can plan its call-back."), code="not_holder"
        )


def _ensure_future(at: datetime) -> None:
    if timezone.is_naive(at):
        raise ValueError("A call-back time is an aware datetime.")
    if at <= timezone.now():
        raise ValidationError(
            {"at": _("This time has already passed: choose a later time.")}, code="past"
        )


def _locked_open(callback: CallBack, actor: User) -> tuple[Case, CallBack]:
    """The case and its call-back under a row lock, checked for a change by `actor`."""
    _ensure_advisor(actor)
    case = _locked(callback.case)
    _ensure_holder(case, actor)
    callback = CallBack.objects.get(pk=callback.pk)
    if not callback.is_open:
        raise CaseActionRefused(
            _("This call-back is no longer planned: it was done or cancelled."),
            code="not_open",
        )
    return case, callback


def _local(at: datetime) -> str:
    """A time on the timeline: Brussels time, as the advisor and the person agreed it."""
    return timezone.localtime(at, BRUSSELS).isoformat()


def _data(callback: CallBack, **extra: Any) -> dict[str, Any]:
    return {"callback": callback.pk, "at": _local(callback.at), **extra}


@transaction.atomic
def callback_book(*, case: Case, actor: User, at: datetime, note: str = "") -> CallBack:
    """Plan a call at the time agreed with the person; one open call-back per case."""
    _ensure_advisor(actor)
    case = _locked(case)
    _ensure_holder(case, actor)
    if case.callbacks.open().exists():
        raise CaseActionRefused(
            _("This case already has a call-back planned: reschedule it instead."),
            code="already_planned",
        )
    _ensure_future(at)
    callback = CallBack(case=case, at=at, note=note.strip(), created_by=actor)
    callback.full_clean()
    callback.save()
    _event(case, EventKind.CALLBACK_BOOKED, actor, body=callback.note, **_data(callback))
    return callback


@transaction.atomic
def callback_reschedule(
    *, callback: CallBack, actor: User, at: datetime, note: str | None = None
) -> CallBack:
    """Move the call-back to another time (and change its note when one is given); the
    reminder follows the new time."""
    case, callback = _locked_open(callback, actor)
    _ensure_future(at)
    note = callback.note if note is None else note.strip()
    if at == callback.at and note == callback.note:
        raise CaseActionRefused(_("The call-back is already planned at that time."), code="same")
    previous = callback.at
    callback.at = at
    callback.note = note
    callback.sequence += 1
    callback.full_clean()
    callback.save()
    _event(
        case,
        EventKind.CALLBACK_RESCHEDULED,
        actor,
        body=note,
        **_data(callback, previous=_local(previous)),
    )
    return callback


@transaction.atomic
def callback_cancel(*, callback: CallBack, actor: User) -> CallBack:
    case, callback = _locked_open(callback, actor)
    callback.cancelled_at = timezone.now()
    callback.sequence += 1
    callback.save(update_fields=["cancelled_at", "sequence", "updated_at"])
    _event(case, EventKind.CALLBACK_CANCELLED, actor, **_data(callback))
    return callback


@transaction.atomic
def callback_done(*, callback: CallBack, actor: User) -> CallBack:
    """The call happened (record how it went with a contact attempt, as for any call)."""
    case, callback = _locked_open(callback, actor)
    callback.done_at = timezone.now()
    callback.save(update_fields=["done_at", "updated_at"])
    _event(case, EventKind.CALLBACK_DONE, actor, **_data(callback))
    return callback


def callbacks_cancel_with_case(*, case: Case, actor: User | None) -> None:
    """A case that closes has nobody left to call back: its open call-back is cancelled,
    on the timeline like any other. Called by the closing services, inside their lock."""
    for callback in case.callbacks.open():
        callback.cancelled_at = timezone.now()
        callback.sequence += 1
        callback.save(update_fields=["cancelled_at", "sequence", "updated_at"])
        _event(case, EventKind.CALLBACK_CANCELLED, actor, **_data(callback, closed=True))
