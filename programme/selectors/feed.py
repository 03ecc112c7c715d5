"""The member's private calendar feed: which sessions it shows and their versions."""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.db.models import (
    Count,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from members.models import User

from ..models import (
    CalendarFeed,
    Enrolment,
    EnrolmentStatus,
    Session,
)


def calendar_feed_by_token(token: str) -> CalendarFeed | None:
    if not token or len(token) > 64:
        return None
    return CalendarFeed.objects.select_related("user").filter(token=token).first()


def calendar_feed_of(user: User) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user).first()


FEED_HISTORY = timedelta(days=90)


@dataclass(frozen=True)
class FeedEntry:
    """One event of a member's feed: their latest seat in a session, and the SEQUENCE
    the event carries for them."""

    enrolment: Enrolment
    sequence: int


def feed_entries(user: User) -> list[FeedEntry]:
    """Sessions for the private feed, the last three months and everything ahead, one
    event per session: the confirmed ones, and the seats that were cancelled, by the
    organiser or by the member, which stay as cancelled events so that calendar apps take
    them out instead of keeping the old event. A waitlist place never had an event.
    """
    # A member who cancels and enrols again gets a new row each time (the old one keeps
    # its history), so the rows this member had for the session before this one say how
    # many times the event changed for them, in the same statement.
    earlier_rows = (
        Enrolment.objects.filter(
            user=OuterRef("user"), session=OuterRef("session"), pk__lt=OuterRef("pk")
        )
        .order_by()
        .values("session")
        .annotate(count=Count("pk"))
        .values("count")
    )
    rows = (
        Enrolment.objects.filter(
            Q(status=EnrolmentStatus.CONFIRMED)
            | Q(
                status=EnrolmentStatus.CANCELLED,
                confirmed_at__isnull=False,  # a seat, not a place on the waitlist
            ),
            user=user,
            session__starts_at__gte=timezone.now() - FEED_HISTORY,
        )
        .annotate(earlier_rows=Coalesce(Subquery(earlier_rows), 0))
        .select_related("session__module")
        .order_by("session__starts_at", "session_id", "pk")
    )
    latest: dict[int, FeedEntry] = {}
    for enrolment in rows:
        # Only one row at a time is active, and a new one is made only after the previous
        # one was cancelled: the last seat of a session is the member's current state.
        latest[enrolment.session_id] = FeedEntry(
            enrolment=enrolment,
            sequence=feed_sequence(enrolment, earlier_rows=enrolment.earlier_rows),
        )
    return list(latest.values())


def feed_sequence(enrolment: Enrolment, *, earlier_rows: int) -> int:
    """The SEQUENCE of a session's event in this member's feed.

    Calendar apps only replace an event whose SEQUENCE went up. Session.sequence counts
    the organiser's changes (and their cancellation); the member's own changes are derived
    from their enrolment rows rather than stored: every re-enrolment is a new row and
    every cancellation by the member ends one, so two steps per earlier row, plus one
    while the member's own cancellation is the current state, always grow: confirmed s,
    cancelled s + 1, enrolled again s + 2, cancelled again s + 3... A counter stored on
    the row would have to be copied from the previous row inside enrolment_create, one
    more statement under the session's lock, for a number the rows already hold.
    """
    return enrolment.session.sequence + 2 * earlier_rows + int(enrolment.cancelled_by_member)


def is_confirmed_in(user: "User | AnonymousUser", session: Session) -> bool:
    return (
        user.is_authenticated
        and Enrolment.objects.filter(
            session=session, user=user, status=EnrolmentStatus.CONFIRMED
        ).exists()
    )
