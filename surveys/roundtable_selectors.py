"""Reads on round tables and the public "you said, we did" changes.

The figures behind a change follow the small-count rule (common.small_counts): a count of
messages or survey answers is shown as "<5" below SMALL_CELL and rounded to the nearest 5
otherwise, since a handful of messages could point at the people who wrote them.
"""

from collections.abc import Iterable
from datetime import date

from django.db.models import Count, F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from common.small_counts import Figure
from programme.models import Session

from .models import (
    CampaignResponse,
    CampaignStatus,
    Decision,
    DecisionStatus,
    FeedbackItem,
    RoundTable,
    SurveyCampaign,
)

# Sessions offered to link a round table to: those around today, latest first.
SESSION_CHOICES = 200


def manager_round_tables() -> QuerySet[RoundTable]:
    """The managers' list, latest first, with the count of decisions (one query a page)."""
    return (
        RoundTable.objects.select_related("session__module")
        .annotate(
            decision_count=Count("decisions", distinct=True),
            done_count=Count(
                "decisions", filter=Q(decisions__status=DecisionStatus.DONE), distinct=True
            ),
        )
        .order_by("-held_on", "-pk")
    )


def round_table(pk: int) -> RoundTable | None:
    return RoundTable.objects.select_related("session__module", "created_by").filter(pk=pk).first()


def round_table_decisions(round_table: RoundTable) -> list[Decision]:
    """Its decisions with their linked items and campaign: three queries however many."""
    return list(
        Decision.objects.filter(round_table=round_table)
        .select_related("campaign")
        .prefetch_related("feedback_items")
        .order_by("pk")
    )


def decision(pk: int) -> Decision | None:
    return (
        Decision.objects.select_related("round_table", "campaign")
        .prefetch_related("feedback_items")
        .filter(pk=pk)
        .first()
    )


def session_choices(current_id: int | None = None) -> QuerySet[Session]:
    """The latest sessions, and the one a round table names already (one query, lazy)."""
    sessions = Session.objects.select_related("module").order_by("-starts_at", "-pk")
    latest = Session.objects.order_by("-starts_at", "-pk").values("pk")[:SESSION_CHOICES]
    wanted = Q(pk__in=latest)
    if current_id is not None:
        wanted |= Q(pk=current_id)
    return sessions.filter(wanted)


def campaign_choices() -> QuerySet[SurveyCampaign]:
    """Campaigns that went out: their answers may have led to a decision."""
    return SurveyCampaign.objects.filter(status=CampaignStatus.SENT).order_by("-sent_at", "-pk")


# --- The public page ---------------------------------------------------------------------


def _distinct_count(queryset: QuerySet) -> Subquery:
    """COUNT(DISTINCT pk) of a correlated queryset, without GROUP BY: the joins of an OR
    across relations may list a row twice, and the counts stay apart from each other."""
    count = Func(
        F("pk"),
        function="COUNT",
        template="%(function)s(DISTINCT %(expressions)s)",
        output_field=IntegerField(),
    )
    return Subquery(
        queryset.order_by().annotate(n=count).values("n")[:1], output_field=IntegerField()
    )


def public_changes(*, year: int | None = None) -> QuerySet[Decision]:
    """Changes published done, newest first, each with its figures: the messages linked
    to it and those merged into them, and the answers to its survey campaign."""
    linked = FeedbackItem.objects.filter(
        Q(decisions=OuterRef("pk")) | Q(duplicate_of__decisions=OuterRef("pk"))
    )
    answers = CampaignResponse.objects.filter(campaign=OuterRef("campaign"))
    changes = (
        Decision.objects.filter(published_at__isnull=False, status=DecisionStatus.DONE)
        .select_related("round_table")
        .annotate(
            message_count=Coalesce(_distinct_count(linked), 0),
            answer_count=Coalesce(_distinct_count(answers), 0),
        )
        .order_by("-done_on", "-pk")
    )
    if year is not None:
        changes = changes.filter(done_on__year=year)
    return changes


def with_figures(changes: Iterable[Decision], language: str) -> list[Decision]:
    """The text in the reader's language and the figures as they may be shown."""
    changes = list(changes)
    for change in changes:
        change.shown_text, change.shown_language = change.public_text(language)  # type: ignore[attr-defined]
        change.messages = Figure(change.message_count)  # type: ignore[attr-defined]
        change.answers = (  # type: ignore[attr-defined]
            Figure(change.answer_count) if change.campaign_id else None  # type: ignore[attr-defined]
        )
    return changes


def change_years() -> list[int]:
    """The years in which changes were published, for the page's filter (one query)."""
    days: Iterable[date] = Decision.objects.filter(
        published_at__isnull=False, status=DecisionStatus.DONE
    ).dates("done_on", "year", order="DESC")
    return [day.year for day in days]


def latest_change(language: str) -> Decision | None:
    """The newest published change, for the home page (one query)."""
    change = (
        Decision.objects.filter(published_at__isnull=False, status=DecisionStatus.DONE)
        .order_by("-done_on", "-pk")
        .first()
    )
    if change is not None:
        change.shown_text, change.shown_language = change.public_text(language)  # type: ignore[attr-defined]
    return change
