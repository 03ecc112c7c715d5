"""Reads on the feedback members leave at any time: the managers' queue, an item with
its duplicates and history, and what a note is about."""

from django.db.models import Count, QuerySet

from programme.models import Module, Session, Theme

from .models import FeedbackEvent, FeedbackItem

# --- Feedback at any time ---------------------------------------------------------------

DUPLICATE_CANDIDATES = 8


def feedback_queue(
    *, status: str = "", kind: str = "", theme: Theme | None = None
) -> QuerySet[FeedbackItem]:
    """The managers' queue, newest first; a merged item shows the count of its duplicates.
    Three queries a page whatever its length (items, themes, the count)."""
    items = (
        FeedbackItem.objects.select_related("module", "session")
        .prefetch_related("themes")
        .annotate(duplicate_count=Count("duplicates", distinct=True))
        .order_by("-created_at", "-pk")
    )
    if status:
        items = items.filter(status=status)
    if kind:
        items = items.filter(kind=kind)
    if theme is not None:
        items = items.filter(themes=theme)
    return items


def feedback_item(pk: int) -> FeedbackItem | None:
    return (
        FeedbackItem.objects.select_related(
            "module", "session__module", "author", "duplicate_of", "replied_by"
        )
        .prefetch_related("themes", "decisions__round_table")
        .annotate(duplicate_count=Count("duplicates", distinct=True))
        .filter(pk=pk)
        .first()
    )


def feedback_duplicates(item: FeedbackItem) -> list[FeedbackItem]:
    return list(FeedbackItem.objects.filter(duplicate_of=item).order_by("-created_at", "-pk"))


def feedback_events(item: FeedbackItem) -> list[FeedbackEvent]:
    return list(FeedbackEvent.objects.filter(item=item).select_related("actor"))


def feedback_duplicate_candidates(item: FeedbackItem) -> list[FeedbackItem]:
    """A short list to merge into: recent originals of the same kind, about the same
    module first when the item names one."""
    items = FeedbackItem.objects.filter(kind=item.kind, duplicate_of__isnull=True).exclude(
        pk=item.pk
    )
    if item.module_id:
        items = items.filter(module_id=item.module_id)
    return list(items.order_by("-created_at", "-pk")[:DUPLICATE_CANDIDATES])


def feedback_about(
    *, module_id: int | None, session_id: int | None
) -> tuple[Module | None, Session | None]:
    """The module and session a note is prefilled with (from a session or result page),
    as long as they are published for everyone to see."""
    session = None
    if session_id:
        session = (
            Session.objects.select_related("module")
            .filter(pk=session_id, is_published=True, module__is_published=True)
            .first()
        )
    module = session.module if session else None
    if module is None and module_id:
        module = Module.objects.filter(pk=module_id, is_published=True).first()
    return module, session
