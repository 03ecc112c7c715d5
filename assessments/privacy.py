"""Kept self-assessment results in the member's data file, their erasure, and what
withdrawing the consent to keep health data offers to delete (registered in apps.py)."""

from django.utils.translation import ngettext

from .models import AssessmentResult, EvaluationMeasure, ReassessmentPlan, ResearchParticipant
from .research import research_measures_delete
from .selectors import results_for_member
from .services import results_delete_all


def _answers(result: AssessmentResult) -> list[dict]:
    """Each answer with the question and option as worded in the language answered in."""
    definition = result.definition
    rows = []
    for code, value in result.answers.items():
        item = definition.item(code) if definition else None
        option = next((o for o in item.options if o.value == value), None) if item else None
        rows.append(
            {
                "item": code,
                "question": item.text.get(result.language) if item else None,
                "answer": value,
                "answer_label": option.label.get(result.language) if option else None,
            }
        )
    return rows


def export_member(user) -> dict:
    """Two queries whatever the history: instruments are data in memory."""
    results = AssessmentResult.objects.filter(user=user).order_by("created_at", "pk")
    plans = ReassessmentPlan.objects.filter(user=user).order_by("instrument")
    return {
        "kept_results": [
            {
                "instrument": result.instrument_name,
                "instrument_code": result.instrument,
                "instrument_version": result.instrument_version,
                "taken_at": result.created_at,
                "language": result.language,
                "score": result.score,
                "score_unit": result.score_unit,
                "band": result.band_label,
                "subscales": dict(result.subscale_rows),
                "answers": _answers(result),
            }
            for result in results
        ],
        "reassessment_invitations": [
            {
                "instrument": plan.instrument,
                "every_days": plan.interval_days,
                "next_invitation_on": plan.next_due_on,
                "last_invitation_for": plan.last_invited_for,
            }
            for plan in plans
        ],
    }


def erase_member(user) -> None:
    # A result attached to a listening-cell request is detached by its SET_NULL key.
    AssessmentResult.objects.filter(user=user).delete()
    ReassessmentPlan.objects.filter(user=user).delete()


def kept_result_count(user) -> int:
    return results_for_member(user).count()


def delete_kept_results(user) -> int:
    """As the "delete my history" page does (the invitations wait for a new result)."""
    return results_delete_all(user=user)


def deletion_offer(count: int) -> str:
    return ngettext(
        "Also delete the %(count)s self-assessment result I keep",
        "Also delete the %(count)s self-assessment results I keep",
        count,
    ) % {"count": count}


def export_research(user) -> dict:
    """The code the member's evaluation measures carry and the measures (one query)."""
    rows = (
        ResearchParticipant.objects.filter(user=user)
        .values_list(
            "pseudonym",
            "measures__instrument",
            "measures__wave",
            "measures__score",
            "measures__taken_on",
        )
        .order_by("measures__instrument", "measures__wave")
    )
    code, measures = None, []
    for pseudonym, instrument, wave, score, taken_on in rows:
        code = str(pseudonym)
        if instrument is not None:
            measures.append(
                {
                    "instrument": instrument,
                    "months_after_first": wave,
                    "score": score,
                    "taken_on": taken_on,
                }
            )
    return {"code": code, "measures": measures}


def research_measure_count(user) -> int:
    return EvaluationMeasure.objects.filter(participant__user=user).count()


def delete_research_measures(user) -> int:
    return research_measures_delete(user=user)


def research_deletion_offer(count: int) -> str:
    return ngettext(
        "Also delete the %(count)s score kept for the evaluation",
        "Also delete the %(count)s scores kept for the evaluation",
        count,
    ) % {"count": count}
