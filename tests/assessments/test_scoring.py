"""The scoring engine against the published rules: every reverse item, both sides of every cut-off."""

from decimal import Decimal
from fractions import Fraction

import pytest

from assessments.instruments import get_current
from assessments.scoring import AnswersInvalid, band_for, score_answers, to_decimal
from tests.assessments.factories import ANSWERS


def answers_for(code: str, scored_total: int) -> dict[str, int]:
    """Answers whose scored values add up to `scored_total` (reverse items answered mirrored)."""
    instrument = get_current(code)
    remaining = scored_total - sum(min(item.values) for item in instrument.items)
    answers = {}
    for item in instrument.items:
        low, high = min(item.values), max(item.values)
        scored = low + min(remaining, high - low)
        remaining -= scored - low
        answers[item.code] = low + high - scored if item.reverse else scored
    assert remaining == 0, "total out of range"
    return answers


def band_of(code: str, scored_total: int) -> str:
    return score_answers(get_current(code), answers_for(code, scored_total)).band.code


# --- WHO-5 -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "percent", "band"),
    [
        (0, 0, "very-low"),
        (7, 28, "very-low"),  # 28 % or less: very low
        (8, 32, "low"),
        (12, 48, "low"),  # raw below 13: low
        (13, 52, "good"),
        (25, 100, "good"),
    ],
)
def test_who5_percentage_and_cut_offs(raw, percent, band):
    scored = score_answers(get_current("who-5"), answers_for("who-5", raw))
    assert scored.score == Decimal(percent)
    assert scored.band.code == band
    assert scored.acute is (band == "very-low")


def test_who5_every_item_counts_straight():
    instrument = get_current("who-5")
    for item in instrument.items:
        answers = dict.fromkeys((i.code for i in instrument.items), 0)
        answers[item.code] = 5
        assert score_answers(instrument, answers).score == 20


# --- PSS-10 ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "band"),
    [(0, "low"), (13, "low"), (14, "moderate"), (26, "moderate"), (27, "high"), (40, "high")],
)
def test_pss10_cut_offs(total, band):
    assert band_of("pss-10", total) == band


@pytest.mark.parametrize("code", ["q4", "q5", "q7", "q8"])
@pytest.mark.parametrize(("answer", "counts"), [(0, 4), (1, 3), (2, 2), (3, 1), (4, 0)])
def test_pss10_reverse_items_mirror_the_scale(code, answer, counts):
    instrument = get_current("pss-10")
    # Every other item at its lowest scored value, so the total is this item's count.
    answers = {i.code: (4 if i.reverse else 0) for i in instrument.items}
    answers[code] = answer
    assert score_answers(instrument, answers).score == counts


@pytest.mark.parametrize("code", ["q1", "q2", "q3", "q6", "q9", "q10"])
def test_pss10_other_items_count_straight(code):
    instrument = get_current("pss-10")
    answers = {i.code: (4 if i.reverse else 0) for i in instrument.items}
    answers[code] = 3
    assert score_answers(instrument, answers).score == 3


def test_pss10_high_band_is_acute():
    scored = score_answers(get_current("pss-10"), answers_for("pss-10", 27))
    assert scored.acute
    assert not score_answers(get_current("pss-10"), answers_for("pss-10", 26)).acute


# --- BAT-12 ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "mean", "band"),
    [
        (12, "1.00", "low-risk"),
        (30, "2.50", "low-risk"),  # 2.50 < 2.54
        (31, "2.58", "at-risk"),  # 2.583 ≥ 2.54
        (35, "2.92", "at-risk"),  # 2.917 < 2.96
        (36, "3.00", "very-high-risk"),  # 3.00 ≥ 2.96
        (60, "5.00", "very-high-risk"),
    ],
)
def test_bat12_mean_and_cut_offs(total, mean, band):
    scored = score_answers(get_current("bat-12"), answers_for("bat-12", total))
    assert scored.exact == Fraction(total, 12)
    assert scored.score == Decimal(mean)
    assert scored.band.code == band
    assert scored.acute is (band == "very-high-risk")


@pytest.mark.parametrize(
    ("value", "band"),
    [
        ("2.5399", "low-risk"),
        ("2.54", "at-risk"),
        ("2.9599", "at-risk"),
        ("2.96", "very-high-risk"),
    ],
)
def test_bat12_cut_offs_are_compared_exactly(value, band):
    assert band_for(get_current("bat-12").bands, Fraction(value)).code == band


def test_bat12_subscales_are_means_of_their_three_items():
    instrument = get_current("bat-12")
    scored = score_answers(instrument, ANSWERS["bat-12"]["at-risk"])
    assert scored.subscales == {
        "exhaustion": Fraction(4),
        "mental-distance": Fraction(3),
        "cognitive-impairment": Fraction(7, 3),
        "emotional-impairment": Fraction(2),
    }
    assert scored.subscale_scores["cognitive-impairment"] == Decimal("2.33")


@pytest.mark.parametrize("code", [i.code for i in get_current("bat-12").items])
def test_bat12_every_item_counts_straight_in_its_subscale(code):
    instrument = get_current("bat-12")
    answers = dict.fromkeys((i.code for i in instrument.items), 1)
    answers[code] = 4
    scored = score_answers(instrument, answers)
    subscale = next(s for s in instrument.subscales if code in s.items)
    assert scored.subscales[subscale.code] == 2  # (4 + 1 + 1) / 3
    assert scored.exact == Fraction(15, 12)


# --- Sleep Condition Indicator -------------------------------------------------


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "sleep-under-pressure"),
        (16, "sleep-under-pressure"),  # 16 or less: probable insomnia disorder
        (17, "sleep-resource"),
        (32, "sleep-resource"),
    ],
)
def test_sci_cut_off(total, band):
    assert band_of("sci-8", total) == band


def test_sci_answers_carry_their_published_values():
    instrument = get_current("sci-8")
    # "0–15 minutes" to fall asleep scores 4, "61 minutes or more" 0.
    assert [(o.value, o.label.en) for o in instrument.item("q1").options][::4] == [
        (4, "0–15 minutes"),
        (0, "61 minutes or more"),
    ]
    assert (
        score_answers(instrument, dict.fromkeys((i.code for i in instrument.items), 4)).score == 32
    )


# --- Three-item loneliness scale -----------------------------------------------


@pytest.mark.parametrize(
    ("total", "band"), [(3, "connected"), (5, "connected"), (6, "lonely"), (9, "lonely")]
)
def test_loneliness_cut_off(total, band):
    assert band_of("loneliness-3", total) == band


# --- Invalid answers -----------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"q1": 6}, "not one of the answers"),
        ({"q1": -1}, "not one of the answers"),
        ({"q1": "abc"}, "not one of the answers"),
        ({"q1": "2.0"}, "not one of the answers"),
        ({"q1": 2.5}, "not one of the answers"),
        ({"q1": True}, "not one of the answers"),
        ({"q1": None}, "not one of the answers"),
        ({"q1": "٣"}, "not one of the answers"),  # Arabic-Indic three: int() would take it
        ({"q1": "9" * 40}, "not one of the answers"),
    ],
)
def test_invalid_values_are_refused_item_by_item(change, problem):
    answers = {**ANSWERS["who-5"]["good"], **change}
    with pytest.raises(AnswersInvalid) as caught:
        score_answers(get_current("who-5"), answers)
    assert caught.value.problems == {"q1": problem}


def test_missing_and_unknown_items_are_refused():
    answers = dict(ANSWERS["who-5"]["good"])
    del answers["q5"]
    answers["q6"] = 3
    with pytest.raises(AnswersInvalid) as caught:
        score_answers(get_current("who-5"), answers)
    assert caught.value.problems == {"q5": "missing", "q6": "unknown item"}


def test_numeric_strings_from_a_form_are_read():
    answers = {code: str(value) for code, value in ANSWERS["who-5"]["good"].items()}
    assert score_answers(get_current("who-5"), answers).score == 68


def test_rounding_is_half_up_to_two_places():
    assert to_decimal(Fraction(1, 8)) == Decimal("0.13")
    assert to_decimal(Fraction(35, 12)) == Decimal("2.92")


@pytest.mark.parametrize("code", list(ANSWERS))
def test_factory_answers_land_in_their_band(code):
    for band, answers in ANSWERS[code].items():
        assert score_answers(get_current(code), answers).band.code == band
