"""What the people outside the cell see: a member, the cases about them; an ambassador,
how far the signals they raised have come, and nothing more."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from members.models import User
from members.roles import Role, has_role

from ..choices import CaseStatus, NeedCategory, Source
from ..deadlines import cell_is_open, cell_next_opening
from ..models import Case, Referral, case_reference


def cases_for_member(user: User) -> QuerySet[Case]:
    """The member's own requests, and signals about them, newest first."""
    if not user.is_authenticated:
        return Case.objects.none()
    return (
        Case.objects.filter(member=user)
        .select_related("assessment_result")
        .prefetch_related(
            "needs",
            Prefetch(
                "referrals",
                queryset=Referral.objects.select_related("partner").order_by("created_at", "pk"),
            ),
        )
        .order_by("-created_at", "-pk")
    )


def member_request(user: User, case_id: int) -> Case:
    """One of the member's own requests; 404 for any other id."""
    try:
        return (
            Case.objects.filter(member=user, source=Source.REQUEST)
            .prefetch_related("needs")
            .get(pk=case_id)
        )
    except Case.DoesNotExist:
        raise Http404 from None


@dataclass(frozen=True)
class WhatHappensNext:
    """What a confirmation tells the person (templates/referrals/_what_happens_next.html)."""

    crisis: bool
    urgent: bool
    due_at: datetime
    cell_open: bool
    opens_at: datetime
    working_days: int


def what_happens_next(case: Case, *, now: datetime) -> WhatHappensNext:
    """For any new case, whatever its source: the needs must be prefetched or are read."""
    return WhatHappensNext(
        crisis=any(item.need == NeedCategory.CRISIS for item in case.needs.all()),
        urgent=case.urgent,
        due_at=case.first_contact_due,
        cell_open=cell_is_open(now),
        opens_at=cell_next_opening(now),
        working_days=settings.REFERRALS_FIRST_CONTACT_WORKING_DAYS,
    )


def member_case_summaries(user: User, *, limit: int = 3) -> list[Case]:
    """The member's latest cases, for their home page: status and date only (one query)."""
    if not user.is_authenticated:
        return []
    return list(
        Case.objects.filter(member=user)
        .only("pk", "source", "status", "created_at")
        .order_by("-created_at", "-pk")[:limit]
    )


def member_by_email(email: str) -> User | None:
    """The active member account an ambassador names by its e-mail address."""
    return User.objects.filter(
        email__iexact=email.strip(), is_active=True, groups__name=Role.MEMBER.value
    ).first()


@dataclass(frozen=True)
class SignalStatus:
    """All an ambassador learns about a signal they raised: who, when, how far along."""

    reference: str
    person: str
    raised_at: datetime
    status: str
    label: str | Promise


AMBASSADOR_LABELS = {
    CaseStatus.NEW: _("Received, waiting for an advisor"),
    CaseStatus.IN_PROGRESS: _("Being handled by the listening cell"),
    CaseStatus.ORIENTED: _("Being handled by the listening cell"),
    CaseStatus.CLOSED: _("Handled"),
}


SIGNAL_COLUMNS = (
    "pk",
    "created_at",
    "status",
    "contact_name",
    "contact_email",
)


def signal_rows_for_ambassador(user: User) -> QuerySet:
    """The signals the ambassador raised, newest first, as rows of SIGNAL_COLUMNS only:
    columns that say nothing about health, never the note, needs or timeline."""
    if not (user.is_authenticated and has_role(user, Role.AMBASSADOR)):
        return Case.objects.none().values(*SIGNAL_COLUMNS)
    return (
        Case.objects.filter(source=Source.SIGNAL, raised_by=user)
        .order_by("-created_at", "-pk")
        .values(*SIGNAL_COLUMNS)
    )


def signals_for_ambassador(user: User, *, limit: int | None = None) -> list[SignalStatus]:
    rows = signal_rows_for_ambassador(user)
    return signal_statuses(rows if limit is None else rows[:limit])


def signal_statuses(rows: Iterable[Mapping[str, Any]]) -> list[SignalStatus]:
    """What the ambassador reads of each row of signal_rows_for_ambassador()."""
    return [
        SignalStatus(
            reference=case_reference(row["pk"]),
            # Only what the ambassador typed: never the account's name.
            person=row["contact_name"] or row["contact_email"] or "—",
            raised_at=row["created_at"],
            status=row["status"],
            label=AMBASSADOR_LABELS[row["status"]],
        )
        for row in rows
    ]
