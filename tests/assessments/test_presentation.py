"""What the result page draws: where a score and each subscale sit on their own range."""

from decimal import Decimal

from assessments.instruments import get_current
from assessments.presentation import view_of_scored
from assessments.scoring import score_answers
from tests.assessments.factories import ANSWERS


def test_subscale_ranges_are_those_of_their_items():
    bat = get_current("bat-12")
    assert {(s.score_min, s.score_max) for s in bat.subscales} == {(1, 5)}


def test_gauges_place_scores_between_their_minimum_and_maximum():
    view = view_of_scored(score_answers(get_current("bat-12"), ANSWERS["bat-12"]["at-risk"]))
    # Total 34/12 = 2.83 on 1–5; exhaustion 4 and concentration 2.33 on 1–5.
    assert view.gauge == Decimal("45.8")
    gauges = {row.subscale.code: row.gauge for row in view.subscales}
    assert gauges["exhaustion"] == Decimal("75.0")
    assert gauges["cognitive-impairment"] == Decimal("33.2")
    who5 = view_of_scored(score_answers(get_current("who-5"), ANSWERS["who-5"]["low"]))
    assert who5.gauge == Decimal("40.0")
