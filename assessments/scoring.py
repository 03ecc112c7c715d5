"""The scoring engine: answers in, the instrument's published score, band and subscales out.

Arithmetic is exact (fractions), so a mean of 31/12 is compared with a cut-off of 2.54
as it is, not as a rounded float; scores are rounded to two decimals only for display
and storage.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from .instruments import Band, Instrument

TWO_PLACES = Decimal("0.01")
INTEGER = re.compile(r"-?[0-9]{1,4}")


class AnswersInvalid(ValueError):
    """Answers that cannot be scored; `problems` maps an item code to what is wrong."""

    def __init__(self, problems: dict[str, str]):
        self.problems = problems
        super().__init__(", ".join(f"{code}: {problem}" for code, problem in problems.items()))


@dataclass(frozen=True)
class Scored:
    instrument: Instrument
    answers: dict[str, int]
    exact: Fraction
    band: Band
    subscales: dict[str, Fraction]

    @property
    def score(self) -> Decimal:
        return to_decimal(self.exact)

    @property
    def acute(self) -> bool:
        return self.band.acute

    @property
    def subscale_scores(self) -> dict[str, Decimal]:
        return {code: to_decimal(value) for code, value in self.subscales.items()}

    def stored_fields(self) -> dict[str, object]:
        """What a kept AssessmentResult holds of this score, as every writer stores it."""
        return {
            "instrument": self.instrument.code,
            "instrument_version": self.instrument.version,
            "answers": self.answers,
            "score": self.score,
            "band": self.band.code,
            "subscales": {code: str(value) for code, value in self.subscale_scores.items()},
            "acute": self.acute,
        }


def to_decimal(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        TWO_PLACES, rounding=ROUND_HALF_UP
    )


def band_for(bands: tuple[Band, ...], value: Fraction) -> Band:
    """The last band whose lower bound the value reaches (bands rise, the first is the minimum)."""
    chosen = bands[0]
    for band in bands:
        if value >= band.lower:
            chosen = band
    return chosen


def _aggregate(method: str, values: list[int]) -> Fraction:
    total = Fraction(sum(values))
    return total / len(values) if method == "mean" else total


def check_answers(instrument: Instrument, answers: Mapping[str, object]) -> dict[str, int]:
    """Exactly one allowed integer value per item; anything else is refused, item by item."""
    problems: dict[str, str] = {}
    clean: dict[str, int] = {}
    known = {item.code for item in instrument.items}
    for code in answers:
        if code not in known:
            problems[str(code)] = "unknown item"
    for item in instrument.items:
        if item.code not in answers:
            problems[item.code] = "missing"
            continue
        value = _as_int(answers[item.code])
        if value is None or value not in item.values:
            problems[item.code] = "not one of the answers"
            continue
        clean[item.code] = value
    if problems:
        raise AnswersInvalid(problems)
    return clean


def _as_int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    # ASCII digits only: int() would also read other scripts' digits.
    if isinstance(value, str) and INTEGER.fullmatch(value.strip()):
        return int(value.strip())
    return None


def score_answers(instrument: Instrument, answers: Mapping[str, object]) -> Scored:
    """Score answers by the instrument's published rules; AnswersInvalid if they are not valid."""
    clean = check_answers(instrument, answers)
    scored_values = {item.code: item.scored(clean[item.code]) for item in instrument.items}
    headline = _aggregate(instrument.method, list(scored_values.values())) * instrument.multiplier
    subscales = {
        subscale.code: _aggregate(subscale.method, [scored_values[c] for c in subscale.items])
        for subscale in instrument.subscales
    }
    return Scored(
        instrument=instrument,
        answers=clean,
        exact=headline,
        band=band_for(instrument.bands, headline),
        subscales=subscales,
    )
