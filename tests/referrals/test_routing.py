"""Routing suggestions: a pure ranking, tested without a database."""

from hypothesis import given
from hypothesis import strategies as st

from referrals.choices import NATIONAL, NeedCategory, Urgency
from referrals.routing import PartnerFacts, is_urgent, rank_partners


def partner(key, name=None, needs=("stress",), areas=(NATIONAL,), languages=("fr",), crisis=False):
    return PartnerFacts(
        key=key,
        name=name or f"Partner {key}",
        needs=frozenset(needs),
        areas=frozenset(areas),
        languages=frozenset(languages),
        is_crisis_line=crisis,
    )


def names(suggestions):
    return [s.partner.name for s in suggestions]


def rank(partners, needs=("stress",), region="WLG", language="fr", urgency=Urgency.MEDIUM, **kw):
    return rank_partners(
        partners, needs=needs, region=region, language=language, urgency=urgency, **kw
    )


def test_more_needs_matched_ranks_first():
    one = partner(1, "One", needs=["stress"])
    two = partner(2, "Two", needs=["stress", "financial"])
    assert names(rank([one, two], needs=["stress", "financial"])) == ["Two", "One"]


def test_a_partner_matching_no_need_is_left_out():
    assert rank([partner(1, needs=["legal"])], needs=["stress"]) == []


def test_the_province_comes_before_all_of_belgium():
    national = partner(1, "A national", areas=[NATIONAL])
    local = partner(2, "Z local", areas=["WLG"])
    ranked = rank([national, local], region="WLG")
    assert names(ranked) == ["Z local", "A national"]
    assert ranked[0].in_province and not ranked[1].in_province


def test_a_partner_working_elsewhere_is_left_out():
    assert rank([partner(1, areas=["VAN"])], region="WLG") == []


def test_without_a_known_region_every_area_is_possible():
    assert names(rank([partner(1, "Antwerp", areas=["VAN"])], region="")) == ["Antwerp"]


def test_the_persons_language_comes_before_more_matches():
    french = partner(1, "French", needs=["stress"], languages=["fr"])
    dutch = partner(2, "Dutch", needs=["stress", "sleep"], languages=["nl"])
    ranked = rank([french, dutch], needs=["stress", "sleep"], language="fr")
    assert names(ranked) == ["French", "Dutch"]
    assert not ranked[1].speaks_language


def test_crisis_lines_first_when_urgent():
    support = partner(1, "Support", needs=["stress", "financial"])
    crisis = partner(2, "Crisis line", needs=["crisis"], crisis=True)
    assert names(rank([support, crisis], needs=["stress", "financial"], urgency=Urgency.HIGH)) == [
        "Crisis line",
        "Support",
    ]


def test_crisis_lines_are_not_pushed_when_not_urgent():
    support = partner(1, "Support", needs=["stress"])
    crisis = partner(2, "Crisis line", needs=["crisis"], crisis=True)
    assert names(rank([support, crisis], needs=["stress"], urgency=Urgency.LOW)) == ["Support"]


def test_a_crisis_need_or_an_acute_result_counts_as_urgent():
    assert is_urgent(urgency=Urgency.LOW, needs=[NeedCategory.CRISIS])
    assert is_urgent(urgency=Urgency.LOW, needs=["stress"], acute=True)
    assert not is_urgent(urgency=Urgency.MEDIUM, needs=["stress"])
    crisis = partner(2, "Crisis line", needs=["crisis"], crisis=True)
    assert names(rank([crisis], needs=["stress"], urgency=Urgency.LOW, acute=True)) == [
        "Crisis line"
    ]


def test_a_crisis_line_in_another_language_still_comes_after_one_in_the_persons():
    nl = partner(1, "Zelfmoordlijn", needs=["crisis"], languages=["nl"], crisis=True)
    fr = partner(2, "Centre de Prévention du Suicide", needs=["crisis"], crisis=True)
    ranked = rank([nl, fr], needs=["crisis"], urgency=Urgency.HIGH, language="fr")
    assert names(ranked) == ["Centre de Prévention du Suicide", "Zelfmoordlijn"]


def test_limit_and_ties_by_name():
    partners = [partner(k, f"P{k}") for k in (3, 1, 2)]
    assert names(rank(partners, limit=2)) == ["P1", "P2"]


needs_st = st.sets(st.sampled_from(NeedCategory.values), max_size=4)
areas_st = st.sets(st.sampled_from([NATIONAL, "WLG", "BRU", "VAN"]), min_size=1, max_size=2)
langs_st = st.sets(st.sampled_from(["fr", "nl", "en"]), min_size=1, max_size=3)
partners_st = st.lists(
    st.builds(
        lambda key, needs, areas, langs, crisis: partner(key, None, needs, areas, langs, crisis),
        st.integers(1, 10_000),
        needs_st,
        areas_st,
        langs_st,
        st.booleans(),
    ),
    max_size=12,
    unique_by=lambda p: p.key,
)


@given(
    partners_st,
    needs_st,
    st.sampled_from(["", "WLG", "BRU", "VAN"]),
    st.sampled_from(["fr", "nl"]),
    st.sampled_from(Urgency.values),
)
def test_ranking_properties(partners, needs, region, language, urgency):
    ranked = rank_partners(partners, needs=needs, region=region, language=language, urgency=urgency)
    urgent = is_urgent(urgency=urgency, needs=needs)
    # Deterministic, whatever order the partners come in.
    again = rank_partners(
        list(reversed(partners)), needs=needs, region=region, language=language, urgency=urgency
    )
    assert names(ranked) == names(again)
    for suggestion in ranked:
        facts = suggestion.partner
        # Never a partner that does not work where the person lives.
        assert not region or NATIONAL in facts.areas or region in facts.areas
        # Never a partner that serves none of the needs, unless a crisis line when urgent.
        assert suggestion.matched_needs or (urgent and facts.is_crisis_line)
    if urgent:
        flags = [s.partner.is_crisis_line for s in ranked]
        # Every crisis line before every other partner.
        assert flags == sorted(flags, reverse=True)
