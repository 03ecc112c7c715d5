"""Reads for the operations on a session's people as a whole: the roster a cancelled
session keeps, where its people can go, the plan of a move, the audience of a message,
and the record of moves and messages on the manager's page. A fixed number of queries
each, whatever the number of people."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import (
    ACTIVE_STATUSES,
    Enrolment,
    EnrolmentEvent,
    EnrolmentStatus,
    Session,
    SessionMessage,
    SessionMove,
)

MOVED_OUT = "enrolment.moved_out"
MOVED_IN = "enrolment.moved_in"


def released_enrolments(session: Session) -> QuerySet[Enrolment]:
    """The enrolments the session's cancellation released: status cancelled, by the
    organiser. Whether each held a seat or waited is read from confirmed_at, which only
    a seat sets (a direct one or a promotion)."""
    return Enrolment.objects.of_present_members().filter(
        session=session, status=EnrolmentStatus.CANCELLED, cancelled_by_organiser=True
    )


def _by_name(enrolment: Enrolment) -> tuple[str, str, int]:
    user = enrolment.user
    assert user is not None  # of_present_members: every enrolment here has its member
    return (user.last_name.casefold(), user.first_name.casefold(), enrolment.pk)


def released_roster(session: Session) -> tuple[list[Enrolment], list[Enrolment]]:
    """A cancelled session's people as they were when it was cancelled: the confirmed
    (by name) and the waitlist (in order), each with `moved_to`, the session they were
    moved to or None. Three queries."""
    enrolments = list(
        released_enrolments(session).select_related("user").order_by("queued_at", "pk")
    )
    moved = dict(
        EnrolmentEvent.objects.filter(
            enrolment__in=[e.pk for e in enrolments], action=MOVED_OUT
        ).values_list("enrolment_id", "data__to_session")
    )
    targets = {s.pk: s for s in Session.objects.filter(pk__in=set(moved.values()))} if moved else {}
    for enrolment in enrolments:
        target_id = moved.get(enrolment.pk)
        enrolment.moved_to = targets.get(target_id) if target_id else None  # type: ignore[attr-defined]
    confirmed = sorted((e for e in enrolments if e.confirmed_at is not None), key=_by_name)
    waitlist = [e for e in enrolments if e.confirmed_at is None]
    for position, enrolment in enumerate(waitlist, start=1):
        enrolment.position = position  # type: ignore[attr-defined]
    return confirmed, waitlist


def move_targets(source: Session) -> QuerySet[Session]:
    """Where a cancelled session's people can go: the module's other sessions, not
    cancelled and still to come, soonest first."""
    return (
        Session.objects.select_related("module")
        .filter(module_id=source.module_id, cancelled_at__isnull=True, starts_at__gt=timezone.now())
        .exclude(pk=source.pk)
        .order_by("starts_at", "pk")
    )


def move_refusal(
    source: Session, target: Session | None, *, now: datetime | None = None
) -> str | None:
    """Why the people of `source` cannot be moved to `target`, or None."""
    now = now or timezone.now()
    if not source.is_cancelled:
        return str(_("Only the people of a cancelled session can be moved."))
    if target is None:
        return str(_("This session does not exist: choose one from the list."))
    if target.pk == source.pk:
        return str(_("Choose another session than the cancelled one."))
    if target.module_id != source.module_id:
        return str(_("Choose a session of the same module."))
    if target.is_cancelled:
        return str(_("That session is cancelled too: choose another one."))
    if target.starts_at <= now:
        return str(_("That session has already started or taken place: choose one to come."))
    return None


@dataclass
class MovePlan:
    """Who would get a seat, who would wait, and who is already in the target."""

    confirmed: list[Enrolment] = field(default_factory=list)
    waitlisted: list[Enrolment] = field(default_factory=list)
    skipped: list[Enrolment] = field(default_factory=list)

    @property
    def moved(self) -> int:
        return len(self.confirmed) + len(self.waitlisted)

    @property
    def nobody(self) -> bool:
        return not (self.moved or self.skipped)


def people_to_move(source: Session) -> list[Enrolment]:
    """The released people not moved yet, in their original order: those who held a
    seat first, then the waitlist, each by arrival. One query."""
    already = EnrolmentEvent.objects.filter(enrolment=OuterRef("pk"), action=MOVED_OUT)
    people = list(
        released_enrolments(source)
        .exclude(Exists(already))
        .only("pk", "user_id", "session_id", "queued_at", "confirmed_at")
    )
    return sorted(people, key=lambda e: (e.confirmed_at is None, e.queued_at, e.pk))


def move_plan(source: Session, target: Session) -> MovePlan:
    """Seats while the target has some, then its waitlist; people already enrolled in
    the target are left as they are. Two queries; the service runs it under the locks."""
    people = people_to_move(source)
    enrolled = set(
        Enrolment.objects.filter(
            session=target, status__in=ACTIVE_STATUSES, user_id__in=[e.user_id for e in people]
        ).values_list("user_id", flat=True)
    )
    seats = target.seats_left
    plan = MovePlan()
    for enrolment in people:
        if enrolment.user_id in enrolled:
            plan.skipped.append(enrolment)
        elif seats is None or len(plan.confirmed) < seats:
            plan.confirmed.append(enrolment)
        else:
            plan.waitlisted.append(enrolment)
    return plan


def session_moves(session: Session) -> list[SessionMove]:
    """Moves from or to the session, latest first, with both sessions and who did it."""
    return list(
        SessionMove.objects.filter(Q(from_session=session) | Q(to_session=session))
        .select_related("from_session__module", "to_session__module", "actor")
        .order_by("-created_at", "-pk")
    )


def session_messages(session: Session) -> list[SessionMessage]:
    """Messages written to the session's people, latest first, with their sender."""
    return list(
        SessionMessage.objects.filter(session=session)
        .select_related("sender")
        .order_by("-created_at", "-pk")
    )


@dataclass(frozen=True)
class Audience:
    confirmed: int
    waitlisted: int

    def count(self, *, to_confirmed: bool, to_waitlisted: bool) -> int:
        return (self.confirmed if to_confirmed else 0) + (self.waitlisted if to_waitlisted else 0)


def message_audience(session: Session) -> Audience:
    """How many people hold a seat and how many wait, with an account to write to. A
    cancelled session has none: its people were released. One query."""
    if session.is_cancelled:
        return Audience(0, 0)
    counts = (
        Enrolment.objects.of_present_members()
        .filter(session=session, status__in=ACTIVE_STATUSES)
        .aggregate(
            confirmed=Count("pk", filter=Q(status=EnrolmentStatus.CONFIRMED)),
            waitlisted=Count("pk", filter=Q(status=EnrolmentStatus.WAITLISTED)),
        )
    )
    return Audience(counts["confirmed"], counts["waitlisted"])


def message_recipients(session: Session, *, to_confirmed: bool, to_waitlisted: bool) -> list[int]:
    """The user ids a message goes to. One query."""
    statuses = [
        status
        for status, chosen in (
            (EnrolmentStatus.CONFIRMED, to_confirmed),
            (EnrolmentStatus.WAITLISTED, to_waitlisted),
        )
        if chosen
    ]
    if session.is_cancelled or not statuses:
        return []
    return list(
        Enrolment.objects.of_present_members()
        .filter(session=session, status__in=statuses)
        .order_by("queued_at", "pk")
        .values_list("user_id", flat=True)
    )


def why_nobody(
    session: Session, audience: Audience, *, to_confirmed: bool, to_waitlisted: bool
) -> str:
    """Why a message would reach nobody, for the manager."""
    if session.is_cancelled:
        return str(
            _(
                "The session is cancelled: its people were released. Write to the session they were moved to."
            )
        )
    if not (to_confirmed or to_waitlisted):
        return str(_("Choose the confirmed participants, the waitlist, or both."))
    if to_confirmed and not to_waitlisted:
        return str(_("Nobody holds a seat in this session."))
    if to_waitlisted and not to_confirmed:
        return str(_("Nobody is on the waitlist of this session."))
    return str(_("Nobody is enrolled or waiting in this session."))


def session_operations(session: Session) -> dict:
    """What the session's manager page shows of moves and messages. Two queries."""
    return {"session_moves": session_moves(session), "session_messages": session_messages(session)}
