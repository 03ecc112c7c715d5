"""Handing an advisor's open cases and follow-ups to a colleague when a programme
manager deactivates the advisor's account (members.team_services, through the
members.workload registry filled in referrals.apps).

The manager is not an advisor: unlike case_assign, the actor here is whoever holds the
team permission, and each case's timeline says it was handed over and to whom.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import ngettext

from members.models import User
from members.roles import Role

from ..choices import CaseStatus, EventKind
from ..models import Case
from .base import _event


def open_cases_held_by(holder: User) -> QuerySet[Case]:
    """The open cases the person holds (follow-ups are open cases with a date)."""
    return Case.objects.filter(assigned_to=holder).exclude(status=CaseStatus.CLOSED)


def open_cases_count(holder: User) -> int:
    return open_cases_held_by(holder).count()


def open_cases_described(count: int) -> str:
    return ngettext(
        "%(count)s open listening-cell case (with its follow-up, if any)",
        "%(count)s open listening-cell cases (with their follow-ups, if any)",
        count,
    ) % {"count": count}


def handover_successors(holder: User) -> QuerySet[User]:
    """Active advisors other than the holder, by name."""
    return (
        User.objects.filter(is_active=True, groups__name=Role.ADVISOR.value)
        .exclude(pk=holder.pk)
        .distinct()
        .order_by("last_name", "first_name", "email")
    )


@transaction.atomic
def cases_hand_over(*, holder: User, successor: User, actor: User) -> int:
    """Give every open case of `holder` to `successor`, follow-up dates kept; one
    timeline entry per case. Returns how many cases moved."""
    if not handover_successors(holder).filter(pk=successor.pk).exists():
        raise ValueError("The successor must be another active advisor.")
    cases = list(open_cases_held_by(holder).select_for_update().order_by("pk"))
    for case in cases:
        case.assigned_to = successor
        case.save(update_fields=["assigned_to", "updated_at"])
        _event(
            case,
            EventKind.ASSIGNED,
            actor,
            assignee=successor.pk,
            assignee_name=successor.display_name,
            previous=holder.pk,
            handover=True,
        )
    return len(cases)
