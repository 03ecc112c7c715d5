"""The programme's evaluation under the research consent: which kept results become
pseudonymised measures, and the invitations at 3 and 6 months.

The research consent is separate from the consent to keep results and never needed to
use the portal. While it stands, a kept WHO-5 or PSS-10 result is copied as a measure
under the member's code: the first one is the baseline ("first use"), one taken about 3
or 6 months later is that wave's measure. Withdrawing it leaves the member out of every
later evaluation (the impact figures read only participants whose consent stands) and
offers to delete the measures.
"""

import uuid
from datetime import date, timedelta

from django.core.cache import cache
from django.db import transaction

from members.consents import ConsentKind
from members.models import Consent, User
from notifications.services import preference_set

from .models import (
    AssessmentResult,
    EvaluationMeasure,
    ReassessmentInterval,
    ReassessmentPlan,
    ResearchParticipant,
    Wave,
)
from .preferences import REASSESSMENT

# The instruments the evaluation uses.
RESEARCH_INSTRUMENTS = ("who-5", "pss-10")

# Days after the baseline within which a result counts for a wave: the invitation goes
# out on the day, and people answer some weeks later (or a little early).
WAVE_WINDOWS = {
    Wave.THREE_MONTHS: (60, 150),
    Wave.SIX_MONTHS: (150, 270),
}
# The research invitations stop after the 6-month one; a month of slack, since a result
# taken late moves the next invitation on from that result.
RESEARCH_PLAN_DAYS = 182 + 30


def research_consent_stands(user: User) -> bool:
    return Consent.objects.filter(
        user=user, kind=ConsentKind.RESEARCH, withdrawn_at__isnull=True
    ).exists()


def wave_for(days_after_baseline: int) -> Wave | None:
    for wave, (low, high) in WAVE_WINDOWS.items():
        if low <= days_after_baseline < high:
            return wave
    return None


# The impact figures are kept in the cache under this generation (assessments.impact).
IMPACT_GENERATION_KEY = "assessments:impact:generation"


def _new_impact_generation() -> None:
    cache.set(IMPACT_GENERATION_KEY, uuid.uuid4().hex, None)


def forget_impact() -> None:
    """The next impact page or report computes its figures again: now, and once more after
    commit, so figures a reader computed meanwhile from the old data are not kept."""
    _new_impact_generation()
    transaction.on_commit(_new_impact_generation)


@transaction.atomic
def research_measure_record(
    *, result: AssessmentResult, taken_on: date
) -> EvaluationMeasure | None:
    """Copy a kept result into the evaluation when the member's research consent stands.

    Returns the measure, or None when the result is not one the evaluation uses (no
    consent, another instrument, between two waves, or that wave already measured).
    """
    if result.instrument not in RESEARCH_INSTRUMENTS or not research_consent_stands(result.user):
        return None
    participant, _created = ResearchParticipant.objects.get_or_create(user=result.user)
    baseline = (
        EvaluationMeasure.objects.filter(
            participant=participant, instrument=result.instrument, wave=Wave.BASELINE
        )
        .values_list("taken_on", flat=True)
        .first()
    )
    wave = Wave.BASELINE if baseline is None else wave_for((taken_on - baseline).days)
    if wave is None:
        return None
    measure, created = EvaluationMeasure.objects.get_or_create(
        participant=participant,
        instrument=result.instrument,
        wave=wave,
        defaults={"score": result.score, "taken_on": taken_on},
    )
    if not created:
        return None
    forget_impact()
    if wave == Wave.BASELINE:
        _research_plan_ensure(user=result.user, instrument=result.instrument, baseline=taken_on)
    return measure


def _research_plan_ensure(*, user: User, instrument: str, baseline: date) -> None:
    """Invite the member at 3 and 6 months, as the consent text says; a plan the member
    chose themselves stays as it is."""
    if ReassessmentPlan.objects.filter(user=user, instrument=instrument).exists():
        return
    interval = ReassessmentInterval.THREE_MONTHS
    plan = ReassessmentPlan(
        user=user,
        instrument=instrument,
        interval_days=interval,
        next_due_on=ReassessmentPlan.due_after(baseline, interval),
        ends_on=baseline + timedelta(days=RESEARCH_PLAN_DAYS),
    )
    plan.full_clean()
    plan.save()
    preference_set(user=user, category=REASSESSMENT, enabled=True)


@transaction.atomic
def research_measures_delete(*, user: User) -> int:
    """The member's measures and code, when they ask with the withdrawal or erase."""
    participant = ResearchParticipant.objects.filter(user=user).first()
    if participant is None:
        return 0
    count = participant.measures.count()
    ReassessmentPlan.objects.filter(user=user, ends_on__isnull=False).delete()
    participant.delete()
    forget_impact()
    return count
