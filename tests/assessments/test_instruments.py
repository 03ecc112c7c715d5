"""The instrument files: every rule the loader enforces, and what each instrument must hold."""

import copy
import dataclasses
import json

import pytest

from assessments.instruments import InstrumentError, current_instruments, find_instrument
from assessments.instruments.definitions import DATA_DIR, LANGUAGES, parse_instrument
from programme.models import Theme

EXPECTED = {
    # code: (items, lowest score, highest score, reverse-scored items)
    "who-5": (5, 0, 100, []),
    "pss-10": (10, 0, 40, ["q4", "q5", "q7", "q8"]),
    "bat-12": (12, 1, 5, []),
    "sci-8": (8, 0, 32, []),
    "loneliness-3": (3, 3, 9, []),
}


def raw(code: str) -> dict:
    return json.loads((DATA_DIR / f"{code}-1.json").read_text(encoding="utf-8"))


def test_the_five_instruments_are_offered_in_order():
    assert [i.code for i in current_instruments()] == [
        "who-5",
        "pss-10",
        "bat-12",
        "sci-8",
        "loneliness-3",
    ]


def test_the_order_comes_from_the_files_position(monkeypatch):
    from assessments.instruments import definitions

    registry = dict(definitions._registry())
    who5 = registry[("who-5", "1")]
    registry[who5.key] = dataclasses.replace(who5, position=99)
    monkeypatch.setattr(definitions, "_registry", lambda: registry)
    assert [i.code for i in current_instruments()][-1] == "who-5"


@pytest.mark.parametrize("code", EXPECTED)
def test_instrument_shape_follows_the_published_instrument(code):
    instrument = find_instrument(code, "1")
    count, low, high, reverse = EXPECTED[code]
    assert len(instrument.items) == count
    assert (instrument.score_min, instrument.score_max) == (low, high)
    assert [item.code for item in instrument.items if item.reverse] == reverse
    assert instrument.source and instrument.cutoff_source
    assert instrument.source_url.startswith("https://")


@pytest.mark.parametrize("code", EXPECTED)
def test_every_text_exists_in_french_dutch_and_english(code):
    instrument = find_instrument(code, "1")
    texts = [instrument.name, instrument.about, instrument.instructions, instrument.licence]
    texts += [instrument.wording]
    texts += [item.text for item in instrument.items]
    texts += [option.label for item in instrument.items for option in item.options]
    texts += [band.label for band in instrument.bands] + [band.summary for band in instrument.bands]
    texts += [sub.label for sub in instrument.subscales] + [
        sub.about for sub in instrument.subscales
    ]
    for text in texts:
        values = [text.get(language) for language in LANGUAGES]
        assert all(values)
        # French and Dutch are real wordings, not English copied over.
        assert text.fr != text.nl or len(text.fr) < 4


def _band_texts(instrument):
    for band in instrument.bands:
        yield from (band.label, band.summary)
    for subscale in instrument.subscales:
        yield from (subscale.label, subscale.about)
    if instrument.subscales_note:
        yield instrument.subscales_note


# The portal's words in its French and Dutch catalogues (the translators' glossaries).
PORTAL_WORDS = {"listening cell": {"fr": "cellule d'écoute", "nl": "luistercel"}}
NOT_OURS = {"nl": ["luisterpunt", "loskoppel", "los te koppelen", "welzijnsbron"]}


@pytest.mark.parametrize("code", EXPECTED)
def test_band_texts_name_things_as_the_rest_of_the_portal_does(code):
    for text in _band_texts(find_instrument(code, "1")):
        for english, words in PORTAL_WORDS.items():
            if english in text.en:
                for language, word in words.items():
                    assert word in text.get(language), (language, text.get(language))
        for language, words in NOT_OURS.items():
            assert not any(word in text.get(language) for word in words), text.get(language)


@pytest.mark.django_db
def test_bands_recommend_existing_themes():
    slugs = set(Theme.objects.values_list("slug", flat=True))
    for instrument in current_instruments():
        assert set(instrument.themes) <= slugs, instrument.code


def test_bat_12_subscales_have_three_items_each():
    bat = find_instrument("bat-12", "1")
    assert [len(s.items) for s in bat.subscales] == [3, 3, 3, 3]
    assert sorted(c for s in bat.subscales for c in s.items) == sorted(i.code for i in bat.items)


def test_acute_bands_are_the_ones_decided():
    acute = {(i.code, b.code) for i in current_instruments() for b in i.bands if b.acute}
    assert acute == {("who-5", "very-low"), ("pss-10", "high"), ("bat-12", "very-high-risk")}


def test_text_follows_the_active_language():
    from django.utils import translation

    item = find_instrument("who-5", "1").items[0]
    with translation.override("nl"):
        assert str(item.text).startswith("Ik voelde me opgewekt")
    with translation.override("fr"):
        assert str(item.text).startswith("Je me suis senti")
    assert item.text.get("de") == item.text.fr


def test_unknown_versions_are_not_found():
    assert find_instrument("who-5", "99") is None
    assert find_instrument("nope", "1") is None


BROKEN = [
    ("a missing language", lambda d: d["name"].pop("nl")),
    ("an empty text", lambda d: d["items"][0]["text"].update(fr=" ")),
    ("bands that do not start at the minimum", lambda d: d["bands"][0].update({"from": 1})),
    ("bands that do not rise", lambda d: d["bands"][2].update({"from": 20})),
    ("a band above the maximum", lambda d: d["bands"][2].update({"from": 120})),
    ("an unknown level", lambda d: d["bands"][0].update(level="red")),
    ("an unknown scoring method", lambda d: d["scoring"].update(method="median")),
    ("repeated item codes", lambda d: d["items"][1].update(code="q1")),
    ("repeated answer values", lambda d: d["scale"][1].update(value=5)),
    ("a missing field", lambda d: d.pop("bands")),
    (
        "a subscale on unknown items",
        lambda d: d.setdefault("subscales", []).append(
            {"code": "x", "items": ["q9"], "label": d["name"], "about": d["name"]}
        ),
    ),
]


@pytest.mark.parametrize(("problem", "breaks"), BROKEN, ids=[b[0] for b in BROKEN])
def test_a_broken_instrument_file_is_refused(problem, breaks):
    data = copy.deepcopy(raw("who-5"))
    breaks(data)
    with pytest.raises(InstrumentError):
        parse_instrument(data)


def test_the_system_check_passes_and_reports_a_broken_file(monkeypatch):
    from assessments import checks
    from assessments.instruments import definitions

    assert checks.instruments_load() == []

    def broken():
        raise InstrumentError("who-5-1: bands must rise (low, good)")

    monkeypatch.setattr(checks, "_registry", broken)
    [error] = checks.instruments_load()
    assert error.id == "assessments.E001"
    assert "bands must rise" in error.msg
    assert definitions._registry()  # the real registry is untouched
