"""State changes on feedback items: a member's or visitor's note, then the team's triage
(status with a public reason, themes, duplicates) and one reply by e-mail.

Apart from surveys.services, which would pass 400 lines with them. Keyword-only, typed,
atomic; views call one of these and nothing else writes a FeedbackItem.
"""

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import mailers
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.belgium import Language
from notifications.deadline import deadline
from notifications.sending import send_time_limit
from programme.models import Module, Session, Theme

from .emails import feedback_reply_message
from .models import FEEDBACK_MAX_CHARS, FeedbackEvent, FeedbackItem, FeedbackStatus

logger = logging.getLogger(__name__)

PAGE_PATH_MAX = 200
PUBLIC_REASON_MAX = 300


def clean_page_path(raw: str) -> str:
    """The path a note was sent from, as the form carried it: a local path only, without
    its query string or fragment (they may hold tokens), cut to the column's length."""
    path = (raw or "").split("?", 1)[0].split("#", 1)[0].strip()
    if not path.startswith("/") or path.startswith("//"):
        return ""
    return path[:PAGE_PATH_MAX]


@transaction.atomic
def feedback_submit(
    *,
    kind: str,
    text: str,
    language: str,
    author=None,
    reply_email: str = "",
    module_id: int | None = None,
    session_id: int | None = None,
    page_path: str = "",
) -> FeedbackItem:
    """Record one note. `author` is the member only when they asked to be known; pass
    None to keep it anonymous (the default, for members as for visitors)."""
    if session_id is not None:
        session = Session.objects.filter(pk=session_id).only("pk", "module_id").first()
        session_id = session.pk if session else None
        # A session always speaks of its module.
        if session is not None:
            module_id = session.module_id
    if module_id is not None and not Module.objects.filter(pk=module_id).exists():
        module_id = None
    item = FeedbackItem(
        kind=kind,
        text=(text or "").strip(),
        language=language if language in Language.values else settings.LANGUAGE_CODE[:2],
        author=author,
        reply_email=(reply_email or "").strip(),
        module_id=module_id,
        session_id=session_id,
        page_path=clean_page_path(page_path),
    )
    item.full_clean()
    item.save()
    _event(item, FeedbackEvent.SUBMITTED)
    return item


def _event(item: FeedbackItem, action: str, *, actor=None, **detail) -> None:
    FeedbackEvent.objects.create(item=item, action=action, actor=actor, detail=detail)


def _locked(item_id: int) -> FeedbackItem:
    return FeedbackItem.objects.select_for_update().get(pk=item_id)


@transaction.atomic
def feedback_set_status(
    *, item_id: int, status: str, public_reason: str = "", actor=None
) -> FeedbackItem:
    """Move an item along new → under review → planned → done / declined; a declined
    item always says why (the reason is shown to the people who asked)."""
    item = _locked(item_id)
    reason = (public_reason or "").strip()
    if status not in FeedbackStatus.values:
        raise ValidationError({"status": _("Choose a status from the list.")})
    if status == FeedbackStatus.DECLINED and not reason:
        raise ValidationError(
            {"public_reason": _("Say in a few words why it is declined: people will read it.")}
        )
    before = item.status
    if (before, item.public_reason) == (status, reason):
        return item
    item.status = status
    item.public_reason = reason
    item.full_clean(exclude=["themes"])
    item.save(update_fields=["status", "public_reason", "updated_at"])
    _event(item, FeedbackEvent.STATUS_CHANGED, actor=actor, before=before, after=status)
    return item


@transaction.atomic
def feedback_set_themes(*, item_id: int, theme_ids: Iterable[int], actor=None) -> FeedbackItem:
    item = _locked(item_id)
    themes = list(Theme.objects.filter(pk__in=list(theme_ids)))
    item.themes.set(themes)
    FeedbackItem.objects.filter(pk=item.pk).update(updated_at=timezone.now())
    _event(
        item,
        FeedbackEvent.THEMES_CHANGED,
        actor=actor,
        themes=sorted(theme.slug for theme in themes),
    )
    return item


@transaction.atomic
def feedback_mark_duplicate(*, item_id: int, original_id: int | None, actor=None) -> FeedbackItem:
    """Merge an item into another (None undoes it). The original carries the discussion:
    an item marked as a duplicate of a duplicate points at that one's original, so a
    chain never forms, and the original counts every item merged into it."""
    item = _locked(item_id)
    if original_id is None:
        if item.duplicate_of_id is not None:
            _event(item, FeedbackEvent.UNMERGED, actor=actor, original=item.duplicate_of_id)
            item.duplicate_of = None
            item.save(update_fields=["duplicate_of", "updated_at"])
        return item
    original = FeedbackItem.objects.filter(pk=original_id).first()
    if original is None:
        raise ValidationError({"duplicate_of": _("There is no feedback item with this number.")})
    if original.duplicate_of_id is not None:
        original = FeedbackItem.objects.get(pk=original.duplicate_of_id)
    if original.pk == item.pk:
        raise ValidationError({"duplicate_of": _("An item cannot be a duplicate of itself.")})
    item.duplicate_of = original
    item.save(update_fields=["duplicate_of", "updated_at"])
    _event(item, FeedbackEvent.MERGED, actor=actor, original=original.pk)
    # Items merged into this one follow it to the new original.
    FeedbackItem.objects.filter(duplicate_of=item).update(
        duplicate_of=original, updated_at=timezone.now()
    )
    return item


@transaction.atomic
def feedback_reply(*, item_id: int, actor, text: str) -> FeedbackItem:
    """Record the team's reply and send it once the transaction commits. One reply per
    item: its address is forgotten as soon as it has gone out."""
    item = _locked(item_id)
    body = (text or "").strip()
    if not item.reply_email:
        raise ValidationError(_("This item left no e-mail address (or it was already used)."))
    if item.replied_at is not None or item.reply_text:
        raise ValidationError(_("A reply was already sent for this item."))
    if not body:
        raise ValidationError({"reply_text": _("Write the reply.")})
    if len(body) > FEEDBACK_MAX_CHARS:
        raise ValidationError(
            {
                "reply_text": _("Keep the reply under %(max)s characters.")
                % {"max": FEEDBACK_MAX_CHARS}
            }
        )
    item.reply_text = body
    item.replied_by = actor
    item.save(update_fields=["reply_text", "replied_by", "updated_at"])
    _event(item, FeedbackEvent.REPLY_RECORDED, actor=actor)
    transaction.on_commit(partial(_enqueue_reply, item.pk))
    return item


def _enqueue_reply(item_id: int) -> None:
    from .tasks import send_feedback_reply

    try:
        send_feedback_reply.apply_async((item_id,), retry=True, retry_policy={"max_retries": 2})
    except Exception:
        # The reply stays recorded and unsent: the item page offers to send it again.
        logger.warning("Feedback reply %s could not be handed over.", item_id, exc_info=True)


def feedback_reply_send(*, item_id: int) -> bool:
    """Send the recorded reply, once: the row is claimed by setting replied_at, so a
    second run (a retried task, a double click) finds nothing to send. The address is
    cleared in the same statement as the success is recorded."""
    now = timezone.now()
    claimed = FeedbackItem.objects.filter(
        pk=item_id, replied_at__isnull=True, reply_email__gt="", reply_text__gt=""
    ).update(replied_at=now)
    if not claimed:
        return False
    item = FeedbackItem.objects.select_related("module", "session__module").get(pk=item_id)
    try:
        message = feedback_reply_message(item)
        mailer = mailers.default
        with deadline(send_time_limit()):
            mailer.send_messages([message])
    except Exception:
        # Not sent: release the claim so that sending again is possible.
        FeedbackItem.objects.filter(pk=item_id, replied_at=now).update(replied_at=None)
        raise
    with transaction.atomic():
        FeedbackItem.objects.filter(pk=item_id).update(reply_email="", updated_at=timezone.now())
        _event(item, FeedbackEvent.REPLY_SENT, language=item.language)
    return True


def feedback_resend(*, item_id: int) -> None:
    """Hand a recorded but unsent reply over again (the queue was unreachable)."""
    transaction.on_commit(partial(_enqueue_reply, item_id))


def forget_old_reply_emails(*, now: datetime, limit: int) -> int:
    """Retention step: an address nobody replied to within SURVEYS_FEEDBACK_EMAIL_DAYS goes."""
    cutoff = now - timedelta(days=settings.SURVEYS_FEEDBACK_EMAIL_DAYS)
    ids = list(
        FeedbackItem.objects.filter(created_at__lt=cutoff, reply_email__gt="")
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    return FeedbackItem.objects.filter(pk__in=ids).update(reply_email="")
