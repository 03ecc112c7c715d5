"""State changes on self-assessment results and re-assessment invitations.

Nothing here runs without the member: a result is written only when the member chose to
keep it (which records their consent to keep health data), and only the member deletes it.
"""

from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from members.consents import CONSENT_TEXTS, ConsentKind
from members.models import Consent, User
from members.services import consent_give, consent_withdraw
from notifications.services import preference_set

from .instruments import get_current
from .models import AssessmentResult, ReassessmentInterval, ReassessmentPlan
from .preferences import REASSESSMENT
from .research import research_measure_record
from .scoring import Scored


class AssessmentError(Exception):
    """A request the service refuses; the message is safe to show."""


def health_consent_standing(user: User) -> Consent:
    """The member's consent to the current text, recorded now if they had none standing.

    Called only when the member chose to keep a result: choosing it is the consent.
    """
    version = CONSENT_TEXTS[ConsentKind.HEALTH_DATA].version
    consent = Consent.objects.filter(
        user=user, kind=ConsentKind.HEALTH_DATA, text_version=version, withdrawn_at__isnull=True
    ).first()
    return consent or consent_give(user=user, kind=ConsentKind.HEALTH_DATA)


def result_keep(
    *, user: User, scored: Scored, language: str, submission_key: str
) -> AssessmentResult:
    """Keep a scored result in the member's history, with their consent to keep health data.

    The submission key comes from the signed form: the same form sent twice (double
    click, back button, replay) returns the result the first sending stored.
    """
    try:
        return _result_store(
            user=user, scored=scored, language=language, submission_key=submission_key
        )
    except IntegrityError:
        # The same form sent at once twice: the other request stored it, and this one's
        # transaction (its consent row included) was rolled back whole.
        return AssessmentResult.objects.get(
            user=user, submission_key=submission_key, instrument=scored.instrument.code
        )


@transaction.atomic
def _result_store(
    *, user: User, scored: Scored, language: str, submission_key: str
) -> AssessmentResult:
    existing = AssessmentResult.objects.filter(user=user, submission_key=submission_key).first()
    if existing is not None:
        if existing.instrument != scored.instrument.code:
            # Keys are random per form and signed with their instrument: only a forged
            # form reuses one for another instrument.
            raise AssessmentError("This form was already used for another questionnaire.")
        return existing
    result = AssessmentResult(
        user=user,
        language=(language or "fr")[:2],
        consent=health_consent_standing(user),
        submission_key=submission_key,
        **scored.stored_fields(),
    )
    # Uniqueness of the key is left to the database: full_clean would check it too early.
    result.full_clean(validate_unique=False, validate_constraints=False)
    result.save()
    taken_on = _local_date(result.created_at)
    _plan_follow(user=user, instrument=result.instrument, taken_on=taken_on)
    research_measure_record(result=result, taken_on=taken_on)
    return result


@transaction.atomic
def result_delete(*, user: User, result: AssessmentResult) -> None:
    if result.user_id != user.pk:
        raise AssessmentError("Only the member deletes their own results.")
    instrument = result.instrument
    result.delete()
    _plan_recompute(user=user, instrument=instrument)


@transaction.atomic
def results_delete_all(*, user: User, withdraw_consent: bool = False) -> int:
    """Delete every kept result of the member; withdrawing the consent stops new ones."""
    deleted, _by_model = AssessmentResult.objects.filter(user=user).delete()
    for plan in ReassessmentPlan.objects.filter(user=user):
        _plan_recompute(user=user, instrument=plan.instrument)
    if withdraw_consent:
        consent_withdraw(user=user, kind=ConsentKind.HEALTH_DATA)
    return deleted


@transaction.atomic
def reassessment_plan_set(*, user: User, instrument: str, interval_days: int) -> ReassessmentPlan:
    """Invite the member again every `interval_days` after their latest kept result.

    Asking for invitations turns on the member's global switch for them: the member
    has just said they want these messages.
    """
    if get_current(instrument) is None:
        raise AssessmentError("Unknown instrument.")
    if interval_days not in ReassessmentInterval.values:
        raise AssessmentError("Unknown interval.")
    plan = ReassessmentPlan.objects.filter(user=user, instrument=instrument).first()
    plan = plan or ReassessmentPlan(user=user, instrument=instrument)
    plan.interval_days = interval_days
    plan.ends_on = None  # the member's own choice: no end date
    plan.next_due_on = _next_due(plan, _latest_taken_on(user, instrument) or timezone.localdate())
    plan.full_clean()
    plan.save()
    preference_set(user=user, category=REASSESSMENT, enabled=True)
    return plan


@transaction.atomic
def reassessment_plan_stop(*, user: User, instrument: str) -> int:
    deleted, _by_model = ReassessmentPlan.objects.filter(user=user, instrument=instrument).delete()
    return deleted


def reassessment_invitations_record(*, plans: list[ReassessmentPlan], on: date) -> None:
    """The invitations for these plans' current due dates are scheduled: move each plan
    on by one interval, so the next sweep does not offer it again (one UPDATE).

    The caller holds the plans' rows locked (select_for_update) in its transaction. A
    due date missed while invitations were off moves on from `on`, not from the old
    date, so a member who turns them back on gets one invitation, not a catch-up series.
    """
    now = timezone.now()
    for plan in plans:
        plan.last_invited_for = plan.next_due_on
        plan.next_due_on = ReassessmentPlan.due_after(max(plan.next_due_on, on), plan.interval_days)
        plan.updated_at = now
    ReassessmentPlan.objects.bulk_update(plans, ["last_invited_for", "next_due_on", "updated_at"])


def _next_due(plan: ReassessmentPlan, start: date) -> date:
    """One interval after `start`, but never a date already invited for: that would
    invite twice for the same date, or leave the plan waiting for a date that has passed."""
    due = ReassessmentPlan.due_after(start, plan.interval_days)
    if plan.last_invited_for is not None and due <= plan.last_invited_for:
        due = ReassessmentPlan.due_after(plan.last_invited_for, plan.interval_days)
    return due


def _local_date(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def _latest_taken_on(user: User, instrument: str) -> date | None:
    latest = (
        AssessmentResult.objects.filter(user=user, instrument=instrument)
        .order_by("-created_at", "-pk")
        .values_list("created_at", flat=True)
        .first()
    )
    return _local_date(latest) if latest else None


def _plan_follow(*, user: User, instrument: str, taken_on: date) -> None:
    """A new kept result moves the next invitation to one interval after it."""
    plan = ReassessmentPlan.objects.filter(user=user, instrument=instrument).first()
    if plan is None:
        return
    plan.next_due_on = _next_due(plan, taken_on)
    plan.save(update_fields=["next_due_on", "updated_at"])


def _plan_recompute(*, user: User, instrument: str) -> None:
    plan = ReassessmentPlan.objects.filter(user=user, instrument=instrument).first()
    if plan is None:
        return
    start = _latest_taken_on(user, instrument) or _local_date(plan.created_at)
    plan.next_due_on = _next_due(plan, start)
    plan.save(update_fields=["next_due_on", "updated_at"])
