"""What the result and history pages show, the same way for a kept result and one seen once."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from fractions import Fraction

from django.utils import timezone

from .instruments import Band, Instrument, Item, Subscale
from .models import AssessmentResult
from .scoring import Scored, to_decimal


@dataclass(frozen=True)
class BandRange:
    band: Band
    low: Decimal
    high: Decimal
    current: bool = False


@dataclass(frozen=True)
class SubscaleScore:
    subscale: Subscale
    score: Decimal
    gauge: Decimal  # 0–100: where the score sits between the subscale's minimum and maximum


@dataclass(frozen=True)
class AnswerRow:
    item: Item
    label: str


@dataclass(frozen=True)
class ResultView:
    instrument: Instrument
    score: Decimal
    band: Band
    subscales: list[SubscaleScore]
    answers: list[AnswerRow]
    taken_at: datetime
    result: AssessmentResult | None = None

    @property
    def kept(self) -> bool:
        return self.result is not None

    @property
    def acute(self) -> bool:
        return self.band.acute

    @property
    def asks_for_help(self) -> bool:
        """The page opens with the offer to be called back and the help lines: an acute
        band (e.g. WHO-5 at 28 % or less), or the instrument's most strained band."""
        return self.acute or self.band.code == most_strained_band(self.instrument).code

    @property
    def gauge(self) -> Decimal:
        return _position(self.instrument.score_min, self.instrument.score_max, self.score)

    @property
    def band_ranges(self) -> list[BandRange]:
        return [
            BandRange(r.band, r.low, r.high, current=r.band.code == self.band.code)
            for r in band_ranges(self.instrument)
        ]


def most_strained_band(instrument: Instrument) -> Band:
    """The band furthest from resources: the lowest when a higher score is better."""
    return instrument.bands[0] if instrument.higher_is_better else instrument.bands[-1]


def step(instrument: Instrument) -> Fraction:
    """The smallest change of the headline score, to show where a band ends."""
    return instrument.multiplier if instrument.method == "sum" else Fraction(1, 100)


def band_ranges(instrument: Instrument) -> list[BandRange]:
    bands = instrument.bands
    ranges = []
    for n, band in enumerate(bands):
        high = bands[n + 1].lower - step(instrument) if n + 1 < len(bands) else instrument.score_max
        ranges.append(BandRange(band, to_decimal(band.lower), to_decimal(high)))
    return ranges


def _position(low: Fraction, high: Fraction, value: Decimal) -> Decimal:
    span = Decimal(high.numerator) / high.denominator - Decimal(low.numerator) / low.denominator
    offset = value - Decimal(low.numerator) / low.denominator
    return (offset * 100 / span).quantize(Decimal("0.1")) if span else Decimal(0)


def _subscale_rows(instrument: Instrument, scores: dict[str, Decimal]) -> list[SubscaleScore]:
    return [
        SubscaleScore(
            subscale,
            scores[subscale.code],
            _position(subscale.score_min, subscale.score_max, scores[subscale.code]),
        )
        for subscale in instrument.subscales
        if subscale.code in scores
    ]


def _answer_rows(instrument: Instrument, answers: dict) -> list[AnswerRow]:
    rows = []
    for item in instrument.items:
        value = answers.get(item.code)
        option = next((o for o in item.options if o.value == value), None)
        rows.append(AnswerRow(item, str(option.label) if option else "—"))
    return rows


def view_of_scored(scored: Scored) -> ResultView:
    instrument = scored.instrument
    return ResultView(
        instrument=instrument,
        score=scored.score,
        band=scored.band,
        subscales=_subscale_rows(instrument, scored.subscale_scores),
        answers=_answer_rows(instrument, scored.answers),
        taken_at=timezone.now(),
    )


def view_of_result(result: AssessmentResult) -> ResultView | None:
    """None when the result's instrument version or band no longer exists in the data."""
    instrument = result.definition
    band = instrument.band(result.band) if instrument else None
    if instrument is None or band is None:
        return None
    scores = {code: Decimal(str(value)) for code, value in result.subscales.items()}
    return ResultView(
        instrument=instrument,
        score=result.score,
        band=band,
        subscales=_subscale_rows(instrument, scores),
        answers=_answer_rows(instrument, result.answers),
        taken_at=result.created_at,
        result=result,
    )
