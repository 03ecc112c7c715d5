"""State changes on round tables and their decisions, and the "you said, we did" changes
they become once done and published.

Keyword-only, typed, atomic; views call one of these and nothing else writes a RoundTable
or a Decision. Linking a feedback item to a decision, and marking the decision done, leave
a line on that item's timeline (FeedbackEvent), as every other step of its triage does.
"""

import logging
from collections.abc import Iterable
from datetime import date, datetime
from functools import partial

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from notifications.preferences import accepting
from notifications.services import Planned, deliveries_schedule_many
from programme.models import Session
from programme.page_cache import catalogue_changed

from .emails import CHANGE_DONE
from .feedback_services import feedback_set_status
from .models import (
    Decision,
    DecisionStatus,
    FeedbackEvent,
    FeedbackItem,
    FeedbackStatus,
    RoundTable,
    SurveyCampaign,
)
from .preferences import CHANGES_MADE

logger = logging.getLogger(__name__)

# How many feedback items one decision may name: a round table weighs a handful of them.
MAX_LINKED_ITEMS = 200


@transaction.atomic
def round_table_save(
    *,
    round_table_id: int | None,
    actor,
    title: str,
    held_on: date,
    session_id: int | None,
    member_count: int,
    partner_count: int,
    summary: str,
) -> RoundTable:
    """Record a round table (round_table_id None) or change one."""
    if round_table_id is None:
        round_table = RoundTable(created_by=actor)
    else:
        round_table = RoundTable.objects.select_for_update().get(pk=round_table_id)
    if session_id is not None and not Session.objects.filter(pk=session_id).exists():
        raise ValidationError({"session": _("This session does not exist any more.")})
    round_table.title = (title or "").strip()
    round_table.held_on = held_on
    round_table.session_id = session_id
    round_table.member_count = member_count
    round_table.partner_count = partner_count
    round_table.summary = (summary or "").strip()
    round_table.full_clean()
    round_table.save()
    if (
        round_table_id is not None
        and round_table.decisions.filter(published_at__isnull=False).exists()
    ):
        # The public page names the round table's date.
        catalogue_changed()
    return round_table


@transaction.atomic
def round_table_delete(*, round_table_id: int, actor) -> None:
    """Delete a round table and its decisions, unless one of them is on the public page:
    a change members read, and were perhaps told about by e-mail, does not vanish
    silently; the manager withdraws it first. Each feedback item a decision named keeps
    a line on its timeline; the edit history keeps the round table and its decisions."""
    round_table = RoundTable.objects.select_for_update().get(pk=round_table_id)
    decisions = list(round_table.decisions.select_for_update().order_by("pk"))
    published = [decision.pk for decision in decisions if decision.is_published]
    if published:
        raise ValidationError(
            ngettext(
                "Decision %(numbers)s of this round table is on the public page “you said, "
                "we did”: withdraw it from the page first, then delete the round table.",
                "Decisions %(numbers)s of this round table are on the public page “you said, "
                "we did”: withdraw them from the page first, then delete the round table.",
                len(published),
            )
            % {"numbers": ", ".join(f"#{number}" for number in published)}
        )
    links = Decision.feedback_items.through.objects.filter(
        decision__round_table=round_table
    ).order_by("feedbackitem_id", "decision_id")
    FeedbackEvent.objects.bulk_create(
        _event(item_id, FeedbackEvent.DECISION_DELETED, actor=actor, decision_id=decision_id)
        for item_id, decision_id in links.values_list("feedbackitem_id", "decision_id")
    )
    round_table.delete()


def _event(item_id: int, action: str, *, actor, decision_id: int) -> FeedbackEvent:
    return FeedbackEvent(
        item_id=item_id, action=action, actor=actor, detail={"decision": decision_id}
    )


@transaction.atomic
def decision_save(
    *,
    round_table_id: int,
    decision_id: int | None,
    actor,
    text: str,
    feedback_item_ids: Iterable[int],
    campaign_id: int | None,
) -> Decision:
    """Record what a round table decided (decision_id None) or change it, with the
    feedback items and the survey campaign that led to it."""
    wanted = sorted(set(feedback_item_ids))
    if len(wanted) > MAX_LINKED_ITEMS:
        raise ValidationError(
            {"feedback_items": _("Link at most %(max)s messages.") % {"max": MAX_LINKED_ITEMS}}
        )
    found = set(FeedbackItem.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    missing = [number for number in wanted if number not in found]
    if missing:
        raise ValidationError(
            {
                "feedback_items": _("There is no message with the number %(numbers)s.")
                % {"numbers": ", ".join(f"#{number}" for number in missing)}
            }
        )
    if campaign_id is not None and not SurveyCampaign.objects.filter(pk=campaign_id).exists():
        raise ValidationError({"campaign": _("This survey campaign does not exist any more.")})
    if decision_id is None:
        round_table = RoundTable.objects.select_for_update().get(pk=round_table_id)
        decision = Decision(round_table=round_table)
        before: set[int] = set()
    else:
        decision = Decision.objects.select_for_update().get(
            pk=decision_id, round_table_id=round_table_id
        )
        before = set(decision.feedback_items.values_list("pk", flat=True))
    decision.text = (text or "").strip()
    decision.campaign_id = campaign_id
    decision.full_clean()
    added, removed = found - before, before - found
    if decision.is_published and added:
        # Someone new may have asked for it: the planner looks at this change again.
        decision.notices_planned_at = None
    decision.save()
    decision.feedback_items.set(found)
    FeedbackEvent.objects.bulk_create(
        [
            _event(pk, FeedbackEvent.DECISION_LINKED, actor=actor, decision_id=decision.pk)
            for pk in sorted(added)
        ]
        + [
            _event(pk, FeedbackEvent.DECISION_UNLINKED, actor=actor, decision_id=decision.pk)
            for pk in sorted(removed)
        ]
    )
    if decision.is_published:
        catalogue_changed()
        if added:
            _plan_notices_after_commit(decision.pk)
    return decision


@transaction.atomic
def change_update(
    *,
    decision_id: int,
    actor,
    status: str,
    done_on: date | None,
    public_text_fr: str,
    public_text_nl: str,
    public_text_en: str,
    publish: bool,
) -> Decision:
    """Mark a decision done (or not yet) and publish it, or withdraw it from the public
    page. Published, a change is done, dated, and has its text in French and Dutch (the
    English page shows the French text when there is no English one).

    Marking it done moves its linked feedback items to done; publishing it done tells,
    once, the members who signed one of them (change_notices_plan)."""
    decision = Decision.objects.select_for_update().get(pk=decision_id)
    if status not in DecisionStatus.values:
        raise ValidationError({"status": _("Choose a status from the list.")})
    texts = {
        "public_text_fr": (public_text_fr or "").strip(),
        "public_text_nl": (public_text_nl or "").strip(),
        "public_text_en": (public_text_en or "").strip(),
    }
    today = timezone.localdate()
    errors: dict[str, list] = {}
    if status == DecisionStatus.DONE:
        done_on = done_on or today
        if done_on > today:
            errors["done_on"] = [_("A change is dated the day it was done: not in the future.")]
    else:
        done_on = None
        if publish:
            errors["status"] = [_("Only a change that is done can be published.")]
    if publish:
        for field, language in (("public_text_fr", _("French")), ("public_text_nl", _("Dutch"))):
            if not texts[field]:
                errors[field] = [
                    _("Write the public text in %(language)s to publish the change.")
                    % {"language": language}
                ]
    if errors:
        raise ValidationError(errors)
    was_done, was_published = decision.status == DecisionStatus.DONE, decision.is_published
    decision.status = status
    decision.done_on = done_on
    for field, value in texts.items():
        setattr(decision, field, value)
    if publish and not was_published:
        decision.published_at = timezone.now()
    elif not publish:
        decision.published_at = None
    if publish and (not was_published or not was_done):
        decision.notices_planned_at = None
    decision.full_clean()
    decision.save()
    if status == DecisionStatus.DONE and not was_done:
        open_items = decision.feedback_items.exclude(
            status__in=[FeedbackStatus.DONE, FeedbackStatus.DECLINED]
        ).values_list("pk", "public_reason")
        for item_id, reason in list(open_items):
            feedback_set_status(
                item_id=item_id, status=FeedbackStatus.DONE, public_reason=reason, actor=actor
            )
    if publish or was_published:
        # The home page shows the latest change: the cached pages are rendered again.
        catalogue_changed()
    if decision.is_published and decision.notices_planned_at is None:
        _plan_notices_after_commit(decision.pk)
    return decision


def _plan_notices_after_commit(decision_id: int) -> None:
    transaction.on_commit(partial(_enqueue_notices, decision_id))


def _enqueue_notices(decision_id: int) -> None:
    from .tasks import plan_change_notices

    try:
        plan_change_notices.apply_async((decision_id,), retry=True, retry_policy={"max_retries": 2})
    except Exception:
        # The sweep's planner (plan_changes_done) finds the change and tells them anyway.
        logger.warning(
            "Change %s: its notices could not be handed over.", decision_id, exc_info=True
        )


def change_notices_plan(*, decision_id: int, now: datetime) -> int:
    """Record one message to each member who signed a feedback item linked to this
    published change (or merged into one), unless they turned these messages off.
    Idempotent: the intent names the change and the member, so a second run, a second
    worker or a second linked item of the same member records nothing more. Returns
    how many members were offered."""
    decision = (
        Decision.objects.filter(
            pk=decision_id, published_at__isnull=False, status=DecisionStatus.DONE
        )
        .only("pk", "updated_at")
        .first()
    )
    if decision is None:
        return 0
    recipients = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(feedback_items__decisions=decision)
            | Q(feedback_items__duplicate_of__decisions=decision)
        )
        .filter(accepting(CHANGES_MADE))
        .distinct()
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    offered = deliveries_schedule_many(
        kind=CHANGE_DONE,
        planned=(
            Planned(
                recipient_id=user_id,
                intent_key=change_intent(decision.pk, user_id),
                due_at=now,
                context={"change_id": decision.pk},
            )
            for user_id in recipients
        ),
    )
    # Unless items were linked meanwhile (decision_save then wants another look).
    Decision.objects.filter(pk=decision.pk, updated_at=decision.updated_at).update(
        notices_planned_at=now
    )
    return offered


def change_intent(decision_id: int, user_id: int) -> str:
    return f"change:{decision_id}:user:{user_id}"
