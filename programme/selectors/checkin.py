"""The check-in list of a session: confirmed people by name, who is there and since when."""

from dataclasses import dataclass

from django.db.models import OuterRef, Subquery

from ..models import (
    Attendance,
    Enrolment,
    EnrolmentEvent,
    EnrolmentStatus,
    Session,
    search_fold,
)


@dataclass(frozen=True)
class CheckinList:
    people: list[Enrolment]  # those matching the search, by last name
    total: int  # confirmed people, whatever the search
    present: int

    @property
    def shown(self) -> int:
        return len(self.people)


def _name_key(enrolment: Enrolment) -> tuple[str, str, int]:
    user = enrolment.user
    assert user is not None  # of_present_members()
    return (user.last_name.casefold(), user.first_name.casefold(), enrolment.pk)


def _matches(enrolment: Enrolment, words: list[str]) -> bool:
    user = enrolment.user
    assert user is not None
    names = search_fold(f"{user.first_name} {user.last_name}").split()
    return all(any(name.startswith(word) for name in names) for word in words)


def checkin_list(session: Session, query: str = "") -> CheckinList:
    """Confirmed people of the session with their check-in time, in one query.

    The search matches the beginning of first or last names, without accents or case
    ("dup mar" finds Marie Dupont); it filters here rather than in SQL because the
    counts at the top are of everyone, and a session holds a room, not a crowd."""
    checked_in_at = (
        EnrolmentEvent.objects.filter(
            enrolment=OuterRef("pk"),
            action="enrolment.attendance_marked",
            data__attendance=Attendance.ATTENDED,
        )
        .order_by("-created_at", "-pk")
        .values("created_at")[:1]
    )
    everyone = sorted(
        Enrolment.objects.of_present_members()
        .filter(session=session, status=EnrolmentStatus.CONFIRMED)
        .select_related("user")
        .annotate(checked_in_at=Subquery(checked_in_at)),
        key=_name_key,
    )
    words = search_fold(query).split()
    people = [e for e in everyone if _matches(e, words)] if words else everyone
    return CheckinList(
        people=people,
        total=len(everyone),
        present=sum(1 for e in everyone if e.attendance == Attendance.ATTENDED),
    )
