"""What the surveys app gives the quarterly programme report: satisfaction after the
sessions of a period, the feedback items received in it by status, and the changes made
in it ("you said, we did"). One query each."""

from django.db.models import Count

from common.periods import Period

from .models import Decision, FeedbackItem, FeedbackStatus, SessionFeedback
from .roundtable_selectors import public_changes, with_figures
from .selectors import FeedbackSummary, feedback_summary


def satisfaction_in(period: Period) -> FeedbackSummary:
    """Answers about the sessions that started in the period."""
    start, end = period.bounds
    return feedback_summary(
        SessionFeedback.objects.filter(session__starts_at__gte=start, session__starts_at__lt=end)
    )


def feedback_items_by_status(period: Period) -> list[tuple[str, int]]:
    """(status label, count) for every status, items received in the period; a duplicate
    merged into another counts once, with the item that carries it."""
    start, end = period.bounds
    counts = dict(
        FeedbackItem.objects.filter(
            created_at__gte=start, created_at__lt=end, duplicate_of__isnull=True
        )
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [(str(status.label), counts.get(status.value, 0)) for status in FeedbackStatus]


def changes_made_in(period: Period, language: str) -> list[Decision]:
    """The changes published as done in the period, oldest first, with their figures as
    the public page shows them (small counts kept small)."""
    changes = public_changes().filter(done_on__gte=period.start, done_on__lt=period.end)
    return with_figures(changes.order_by("done_on", "pk"), language)
