"""What the programme holds about a member: their part of the data file, and erasure.

programme imports no other domain app, so members registers these (members.apps).
Erasure frees the member's seats through the enrolment service, so the waitlist moves
on, and keeps the programme's statistics without the person: the enrolments (status,
attendance) and the scores of survey answers stay, no longer linked to anyone; what the
member wrote in them goes.

Apps built on the programme (surveys) add their part here rather than a section of
their own, so the data file and erasure stay as members know them: a key on each
enrolment, a key of the programme's section, a step of its erasure, filled in from
their AppConfig.ready().
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from common.registry import register_once

from .models import (
    ACTIVE_STATUSES,
    CalendarFeed,
    Enrolment,
    EnrolmentEvent,
    ModuleFormat,
    SavedModule,
)
from .services import EnrolmentRefused, enrolment_cancel


@dataclass(frozen=True)
class EnrolmentExport:
    """`build(enrolment)` gives the value of one key of each enrolment in the data file;
    `select_related` names what it reads, joined to the one query of the enrolments."""

    build: Callable[[Enrolment], Any]
    select_related: str | None = None


_enrolment_exports: dict[str, EnrolmentExport] = {}
_member_exports: dict[str, Callable[[Any], Any]] = {}
_erase_steps: dict[str, Callable[[Any], None]] = {}


def register_enrolment_export(
    key: str, build: Callable[[Enrolment], Any], *, select_related: str | None = None
) -> None:
    entry = EnrolmentExport(build, select_related)
    register_once(_enrolment_exports, key, entry, what="enrolment exports")


def register_member_export(key: str, build: Callable[[Any], Any]) -> None:
    """`build(user)`: one key of the programme's section, in a fixed number of queries."""
    register_once(_member_exports, key, build, what="programme exports")


def register_erase_step(name: str, step: Callable[[Any], None]) -> None:
    """`step(user)` runs once the seats are freed, while the enrolments still name the
    member."""
    register_once(_erase_steps, name, step, what="programme erase steps")


def _by(actor_id: int | None, user) -> str:
    """Who made a change, without naming the programme's staff (third parties)."""
    if actor_id is None:
        return "portal"
    return "you" if actor_id == user.pk else "programme team"


def _enrolments(user) -> list[dict]:
    enrolments = (
        Enrolment.objects.filter(user=user)
        .select_related(
            "session__module",
            *(e.select_related for e in _enrolment_exports.values() if e.select_related),
        )
        .prefetch_related(
            Prefetch("events", queryset=EnrolmentEvent.objects.order_by("created_at", "pk"))
        )
        .order_by("queued_at", "pk")
    )
    rows = []
    for enrolment in enrolments:
        session = enrolment.session
        rows.append(
            {
                "session": {
                    "id": session.pk,
                    "module": session.module.title,
                    "starts_at": session.starts_at,
                    "ends_at": session.ends_at,
                    "mode": session.get_mode_display(),
                    "venue": session.venue,
                    "cancelled_by_the_organiser_at": session.cancelled_at,
                },
                "status": enrolment.status,
                "status_label": enrolment.get_status_display(),
                "joined_at": enrolment.queued_at,
                "confirmed_at": enrolment.confirmed_at,
                "cancelled_at": enrolment.cancelled_at,
                "attendance": enrolment.get_attendance_display() or None,
                "history": [
                    {
                        "at": event.created_at,
                        "what": event.action,
                        "by": _by(event.actor_id, user),
                        "details": event.data,
                    }
                    for event in enrolment.events.all()
                ],
                **{key: export.build(enrolment) for key, export in _enrolment_exports.items()},
            }
        )
    return rows


def export_member(user) -> dict:
    """Four queries whatever the member's history, and those of the parts other apps add
    (surveys: two)."""
    feed = CalendarFeed.objects.filter(user=user).only("created_at").first()
    return {
        "enrolments_and_waitlist_places": _enrolments(user),
        # The member's library: practical sheets and the other modules kept for later.
        "saved_modules": [
            {
                "module": saved.module.title,
                "format": saved.module.format,
                "is_practical_sheet": saved.module.format == ModuleFormat.PRACTICAL_CONTENT,
                "saved_at": saved.created_at,
            }
            for saved in SavedModule.objects.filter(user=user).select_related("module")
        ],
        # The feed's address is a secret that opens the calendar: its existence only.
        "private_calendar_feed": {
            "exists": feed is not None,
            "created_at": feed and feed.created_at,
        },
        **{key: build(user) for key, build in _member_exports.items()},
    }


def erase_member(user) -> None:
    """Give up the seats and waitlist places still to come (the waitlist moves on), then
    unlink what stays as anonymous statistics and delete the rest."""
    upcoming = Enrolment.objects.filter(
        user=user, status__in=ACTIVE_STATUSES, session__starts_at__gt=timezone.now()
    ).values_list("pk", flat=True)
    for enrolment_id in list(upcoming):
        try:
            enrolment_cancel(enrolment_id=enrolment_id, user=user)
        except EnrolmentRefused as refused:
            if refused.code != "started":  # it started meanwhile: the seat is kept
                raise
    for step in _erase_steps.values():
        step(user)
    Enrolment.objects.filter(user=user).update(user=None)
    EnrolmentEvent.objects.filter(actor=user).update(actor=None)
    SavedModule.objects.filter(user=user).delete()
    CalendarFeed.objects.filter(user=user).delete()
