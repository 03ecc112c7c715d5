"""Call-backs: a case's open one, an advisor's day, and the reminders that fall due."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from common.belgium import BRUSSELS
from members.models import User

from ..choices import OPEN_STATUSES
from ..models import CallBack, Case
from .cases import may_work_cases

# The advisor's day lists what comes after it too, up to this many.
UPCOMING_SHOWN = 5
# A reminder the sweep could not plan within this long after its time (workers down all
# day) is not sent: the advisor's day page already shows the call-back as overdue.
REMINDER_WINDOW = timedelta(hours=12)


def open_callback(case: Case) -> CallBack | None:
    return case.callbacks.open().select_related("created_by").first()


def callback_of_case(case: Case, callback_id: int) -> CallBack:
    """A call-back of this case (any state), or 404: ids from another case are refused."""
    callback = case.callbacks.filter(pk=callback_id).first()
    if callback is None:
        raise Http404
    return callback


def _held_open(user: User) -> QuerySet[CallBack]:
    """Open call-backs of open cases the user holds, with what a line of the day shows."""
    return (
        CallBack.objects.open()
        .filter(case__assigned_to=user, case__status__in=OPEN_STATUSES)
        .select_related("case__member")
        .order_by("at", "pk")
    )


@dataclass(frozen=True)
class AdvisorDay:
    """An advisor's call-backs: those due by the end of today (overdue ones first, as they
    come in time order), and the next few after today."""

    now: datetime
    due: list[CallBack]
    upcoming: list[CallBack]

    @property
    def next(self) -> CallBack | None:
        """The next call to make: the first still ahead, else the first overdue one."""
        ahead = [cb for cb in self.due if cb.at >= self.now]
        candidates = ahead or self.upcoming or self.due
        return candidates[0] if candidates else None

    @property
    def overdue(self) -> list[CallBack]:
        return [cb for cb in self.due if cb.at < self.now]

    @property
    def cases(self) -> list[Case]:
        return [cb.case for cb in self.due + self.upcoming]


def advisor_day(user: User, *, now: datetime | None = None) -> AdvisorDay:
    """Two queries, whatever the number of call-backs."""
    now = now or timezone.now()
    if not may_work_cases(user):
        return AdvisorDay(now=now, due=[], upcoming=[])
    today = timezone.localdate(now, BRUSSELS)
    tomorrow = datetime.combine(today + timedelta(days=1), time(0), tzinfo=BRUSSELS)
    held = _held_open(user)
    return AdvisorDay(
        now=now,
        due=list(held.filter(at__lt=tomorrow)),
        upcoming=list(held.filter(at__gte=tomorrow)[:UPCOMING_SHOWN]),
    )


def callback_reminder_targets(now: datetime) -> Iterator[tuple[int, int, datetime]]:
    """(call-back id, holder id, time) for each open call-back whose time has come, on an
    open case someone holds. Whether the holder still works cases is checked at send time."""
    rows = (
        CallBack.objects.open()
        .filter(
            at__lte=now,
            at__gt=now - REMINDER_WINDOW,
            case__status__in=OPEN_STATUSES,
            case__assigned_to__isnull=False,
        )
        .order_by("at", "pk")
        .values_list("pk", "case__assigned_to_id", "at")
    )
    yield from rows.iterator(chunk_size=500)
