"""Kept results built through the real scoring engine, so their score and band are true."""

from datetime import datetime

from django.utils import timezone

from assessments.instruments import get_current
from assessments.models import AssessmentResult
from assessments.scoring import score_answers

# Answers that land in a given band, per instrument (checked by the scoring tests).
ANSWERS = {
    "who-5": {
        "good": {"q1": 4, "q2": 3, "q3": 3, "q4": 3, "q5": 4},  # 17 → 68 %
        "low": {"q1": 2, "q2": 2, "q3": 2, "q4": 2, "q5": 2},  # 10 → 40 %
        "very-low": {"q1": 1, "q2": 1, "q3": 1, "q4": 1, "q5": 1},  # 5 → 20 %
    },
    "pss-10": {
        "low": {f"q{n}": (4 if n in (4, 5, 7, 8) else 0) for n in range(1, 11)},  # 0
        "moderate": {f"q{n}": 2 for n in range(1, 11)},  # 20
        "high": {f"q{n}": (0 if n in (4, 5, 7, 8) else 4) for n in range(1, 11)},  # 40
    },
    "bat-12": {
        "low-risk": dict.fromkeys(
            ["ex1", "ex2", "ex3", "md1", "md2", "md3", "ci1", "ci2", "ci3", "ei1", "ei2", "ei3"], 2
        ),
        "at-risk": {
            **dict.fromkeys(["ex1", "ex2", "ex3"], 4),
            **dict.fromkeys(["md1", "md2", "md3", "ci1"], 3),
            **dict.fromkeys(["ci2", "ci3", "ei1", "ei2", "ei3"], 2),
        },  # 34/12 = 2.83
        "very-high-risk": dict.fromkeys(
            ["ex1", "ex2", "ex3", "md1", "md2", "md3", "ci1", "ci2", "ci3", "ei1", "ei2", "ei3"], 4
        ),
    },
    "sci-8": {
        "sleep-resource": {f"q{n}": 3 for n in range(1, 9)},  # 24
        "sleep-under-pressure": {f"q{n}": 1 for n in range(1, 9)},  # 8
    },
    "loneliness-3": {
        "connected": {"q1": 1, "q2": 1, "q3": 2},
        "lonely": {"q1": 3, "q2": 2, "q3": 2},
    },
}


def keep_result(
    user, code: str = "who-5", band: str | None = None, *, when: datetime | None = None, **extra
) -> AssessmentResult:
    """Store a result as result_keep would, without the consent bookkeeping."""
    answers = ANSWERS[code][band or next(iter(ANSWERS[code]))]
    scored = score_answers(get_current(code), answers)
    result = AssessmentResult.objects.create(
        user=user,
        **scored.stored_fields(),
        language="fr",
        submission_key=extra.pop("submission_key", None)
        or f"k-{AssessmentResult.objects.count()}-{timezone.now().timestamp()}",
        created_at=when or timezone.now(),
        **extra,
    )
    return result
