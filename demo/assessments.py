"""Demo data for self-assessments: a few kept results over time for the demo member.

Sophie (membre@demo.example) took the WHO-5 four times and the PSS-10 and the BAT-12
twice, so her history shows a trend; she asked to be invited to the WHO-5 again every
two months. Her latest WHO-5 is a little over two months old, so the invitation is due:
`python manage.py send_due_messages` prints it on the console (once; the plan then
moves on two months). Safe to run again: each result has a fixed submission key and is
updated in place, with dates counted back from today.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from assessments.instruments import get_current
from assessments.models import AssessmentResult, ReassessmentInterval
from assessments.scoring import score_answers
from assessments.services import health_consent_standing, reassessment_plan_set
from members.models import User

DEMO_MEMBER = "membre@demo.example"

# (instrument, days ago, answers): a difficult autumn, then resources coming back.
HISTORY = [
    ("who-5", 240, {"q1": 1, "q2": 1, "q3": 2, "q4": 1, "q5": 2}),  # 28 %
    ("who-5", 180, {"q1": 2, "q2": 2, "q3": 2, "q4": 1, "q5": 3}),  # 40 %
    ("who-5", 120, {"q1": 3, "q2": 2, "q3": 3, "q4": 2, "q5": 3}),  # 52 %
    # Two months and a day ago: with her two-monthly plan, an invitation is due.
    ("who-5", 62, {"q1": 4, "q2": 3, "q3": 3, "q4": 3, "q5": 4}),  # 68 %
    (
        "pss-10",
        120,
        {"q1": 3, "q2": 3, "q3": 4, "q4": 1, "q5": 1, "q6": 3, "q7": 2, "q8": 1, "q9": 3, "q10": 3},
    ),
    (
        "pss-10",
        20,
        {"q1": 2, "q2": 2, "q3": 2, "q4": 2, "q5": 2, "q6": 2, "q7": 3, "q8": 2, "q9": 2, "q10": 1},
    ),
    (
        "bat-12",
        110,
        {
            "ex1": 4,
            "ex2": 4,
            "ex3": 3,
            "md1": 3,
            "md2": 2,
            "md3": 2,
            "ci1": 3,
            "ci2": 3,
            "ci3": 2,
            "ei1": 2,
            "ei2": 2,
            "ei3": 3,
        },
    ),
    (
        "bat-12",
        15,
        {
            "ex1": 3,
            "ex2": 3,
            "ex3": 2,
            "md1": 2,
            "md2": 1,
            "md3": 2,
            "ci1": 2,
            "ci2": 2,
            "ci3": 2,
            "ei1": 1,
            "ei2": 2,
            "ei3": 2,
        },
    ),
]


@transaction.atomic
def seed(stdout) -> None:
    user = User.objects.filter(email=DEMO_MEMBER).first()
    if user is None:
        return
    consent = health_consent_standing(user)
    now = timezone.now()
    for n, (code, days_ago, answers) in enumerate(HISTORY):
        instrument = get_current(code)
        assert instrument is not None  # the demo history names shipped instruments
        scored = score_answers(instrument, answers)
        AssessmentResult.objects.update_or_create(
            user=user,
            submission_key=f"demo-{code}-{n}",
            defaults={
                **scored.stored_fields(),
                "language": "fr",
                "consent": consent,
                "created_at": now - timedelta(days=days_ago, hours=n),
            },
        )
    reassessment_plan_set(
        user=user, instrument="who-5", interval_days=ReassessmentInterval.TWO_MONTHS
    )
    stdout.write(f"Self-assessments: {len(HISTORY)} kept results for {DEMO_MEMBER}.")
