"""Reads for the team pages: who is on the programme team, waiting invitations."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db.models import Prefetch, Q, QuerySet

from .models import Invitation, User
from .roles import ROLE_VALUES, TEAM_ROLES, role_label

TEAM_PAGE_SIZE = 50


def team_people(*, query: str = "", role: str = "", status: str = "") -> QuerySet[User]:
    """The team (everyone holding a team role, or an administrator), or with a search
    every account whose e-mail address or name matches, so a member can be given a role.
    Groups are prefetched: a page of people costs two queries."""
    people = User.objects.all()
    query = query.strip()
    if query:
        for word in query.split()[:5]:
            people = people.filter(
                Q(email__icontains=word)
                | Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
            )
    else:
        people = people.filter(
            Q(groups__name__in=[r.value for r in TEAM_ROLES]) | Q(is_superuser=True)
        )
    if role in ROLE_VALUES:
        people = people.filter(groups__name=role)
    if status == "active":
        people = people.filter(is_active=True)
    elif status == "inactive":
        people = people.filter(is_active=False)
    return (
        people.distinct()
        .prefetch_related(Prefetch("groups", queryset=Group.objects.order_by("name")))
        .order_by("last_name", "first_name", "email", "pk")
    )


def role_labels_of(person: User) -> list[str]:
    """The person's roles in words (the groups prefetched by team_people)."""
    return [role_label(group.name) for group in person.groups.all()]


def pending_invitations() -> QuerySet[Invitation]:
    return Invitation.objects.filter(accepted_at__isnull=True).select_related("invited_by")


def team_person(pk: int) -> User | None:
    return (
        User.objects.filter(pk=pk)
        .prefetch_related(Prefetch("groups", queryset=Group.objects.order_by("name")))
        .first()
    )
