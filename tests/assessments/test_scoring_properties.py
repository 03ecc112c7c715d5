"""Property-based tests: whatever the answers, the engine scores within range or refuses cleanly."""

from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.instruments import current_instruments
from assessments.scoring import AnswersInvalid, score_answers

INSTRUMENTS = current_instruments()

junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True),
    st.text(max_size=12),
    st.lists(st.integers(), max_size=3),
)


@st.composite
def valid_answers(draw):
    instrument = draw(st.sampled_from(INSTRUMENTS))
    answers = {item.code: draw(st.sampled_from(item.values)) for item in instrument.items}
    return instrument, answers


@settings(max_examples=300, deadline=None)
@given(valid_answers())
def test_valid_answers_score_within_range_and_band(case):
    instrument, answers = case
    scored = score_answers(instrument, answers)
    assert instrument.score_min <= scored.exact <= instrument.score_max
    band_index = instrument.bands.index(scored.band)
    assert scored.exact >= scored.band.lower
    if band_index + 1 < len(instrument.bands):
        assert scored.exact < instrument.bands[band_index + 1].lower
    for subscale in instrument.subscales:
        assert 1 <= scored.subscales[subscale.code] <= 5


@settings(max_examples=300, deadline=None)
@given(valid_answers(), st.data())
def test_one_answer_up_moves_the_score_the_way_its_item_counts(case, data):
    instrument, answers = case
    item = data.draw(st.sampled_from(instrument.items))
    higher = [v for v in item.values if v > answers[item.code]]
    if not higher:
        return
    before = score_answers(instrument, answers).exact
    after = score_answers(
        instrument, {**answers, item.code: data.draw(st.sampled_from(higher))}
    ).exact
    assert (after < before) if item.reverse else (after > before)


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from(INSTRUMENTS),
    st.dictionaries(
        st.one_of(st.text(max_size=6), st.sampled_from(["q1", "q2", "ex1"])), junk, max_size=15
    ),
)
def test_arbitrary_payloads_are_scored_or_refused_never_crash(instrument, answers):
    try:
        scored = score_answers(instrument, answers)
    except AnswersInvalid as refused:
        assert refused.problems
    else:
        assert instrument.score_min <= scored.exact <= instrument.score_max
