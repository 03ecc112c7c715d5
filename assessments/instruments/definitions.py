"""Load and check the instrument files; the frozen objects the rest of the app reads."""

import json
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

from django.utils import translation

LANGUAGES = ("fr", "nl", "en")
DATA_DIR = Path(__file__).resolve().parent
SCORING_METHODS = ("sum", "mean")
BAND_LEVELS = ("resource", "attention", "priority")


class InstrumentError(ValueError):
    """An instrument file that breaks a rule: the portal refuses to start with it."""


@dataclass(frozen=True)
class Text:
    """A wording in the three languages; str() gives the active language's."""

    fr: str
    nl: str
    en: str

    def __str__(self) -> str:
        return self.get(translation.get_language())

    def get(self, language: str | None) -> str:
        code = (language or "fr")[:2]
        return getattr(self, code, "") if code in LANGUAGES else self.fr


@dataclass(frozen=True)
class Option:
    value: int
    label: Text


@dataclass(frozen=True)
class Item:
    code: str
    number: int
    text: Text
    options: tuple[Option, ...]
    reverse: bool = False

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(option.value for option in self.options)

    def scored(self, value: int) -> int:
        """The value that counts: a reverse-scored item mirrors its answer scale."""
        if not self.reverse:
            return value
        return min(self.values) + max(self.values) - value


@dataclass(frozen=True)
class Band:
    """A range of the score, from `lower` (inclusive) up to the next band's lower bound."""

    code: str
    lower: Fraction
    label: Text
    summary: Text
    level: str
    themes: tuple[str, ...] = ()
    acute: bool = False


@dataclass(frozen=True)
class Subscale:
    code: str
    label: Text
    about: Text
    items: tuple[str, ...]
    method: str
    score_min: Fraction
    score_max: Fraction
    bands: tuple[Band, ...] = ()


@dataclass(frozen=True)
class Instrument:
    code: str
    version: str
    current: bool
    name: Text
    short_name: str
    about: Text
    instructions: Text
    minutes: int
    position: int
    method: str
    multiplier: Fraction
    higher_is_better: bool
    score_min: Fraction
    score_max: Fraction
    score_unit: Text
    items: tuple[Item, ...]
    bands: tuple[Band, ...]
    subscales: tuple[Subscale, ...]
    source: str
    source_url: str
    licence: Text
    # Where the wording in each language comes from (validated version or our translation).
    wording: Text
    subscales_note: Text | None = None
    cutoff_source: str = ""

    def __str__(self) -> str:
        return f"{self.short_name} v{self.version}"

    @property
    def key(self) -> tuple[str, str]:
        return (self.code, self.version)

    def band(self, code: str) -> Band | None:
        return next((band for band in self.bands if band.code == code), None)

    def subscale(self, code: str) -> Subscale | None:
        return next((sub for sub in self.subscales if sub.code == code), None)

    def item(self, code: str) -> Item | None:
        return next((item for item in self.items if item.code == code), None)

    @property
    def themes(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for band in self.bands:
            seen.update(dict.fromkeys(band.themes))
        return tuple(seen)


# --- loading ---------------------------------------------------------------


def _text(data: Any, where: str) -> Text:
    if not isinstance(data, dict) or set(data) != set(LANGUAGES):
        raise InstrumentError(f"{where}: needs exactly the languages {LANGUAGES}")
    for language in LANGUAGES:
        if not isinstance(data[language], str) or not data[language].strip():
            raise InstrumentError(f"{where}: empty {language} text")
    return Text(**{language: data[language].strip() for language in LANGUAGES})


def _options(data: Any, where: str) -> tuple[Option, ...]:
    if not isinstance(data, list) or len(data) < 2:
        raise InstrumentError(f"{where}: at least two answer options")
    options = tuple(
        Option(value=int(option["value"]), label=_text(option["label"], f"{where}[{n}]"))
        for n, option in enumerate(data)
    )
    values = [option.value for option in options]
    if len(set(values)) != len(values):
        raise InstrumentError(f"{where}: answer values repeat")
    return options


def _bands(data: Any, where: str, low: Fraction, high: Fraction) -> tuple[Band, ...]:
    if not isinstance(data, list) or not data:
        raise InstrumentError(f"{where}: at least one band")
    bands = tuple(
        Band(
            code=band["code"],
            lower=Fraction(str(band["from"])),
            label=_text(band["label"], f"{where}.{band['code']}.label"),
            summary=_text(band["summary"], f"{where}.{band['code']}.summary"),
            level=band["level"],
            themes=tuple(band.get("themes", ())),
            acute=bool(band.get("acute", False)),
        )
        for band in data
    )
    if bands[0].lower != low:
        raise InstrumentError(f"{where}: the first band must start at the lowest score {low}")
    for before, after in zip(bands, bands[1:], strict=False):
        if not before.lower < after.lower:
            raise InstrumentError(f"{where}: bands must rise ({before.code}, {after.code})")
    if bands[-1].lower > high:
        raise InstrumentError(f"{where}: band {bands[-1].code} starts above the highest score")
    codes = [band.code for band in bands]
    if len(set(codes)) != len(codes):
        raise InstrumentError(f"{where}: band codes repeat")
    for band in bands:
        if band.level not in BAND_LEVELS:
            raise InstrumentError(f"{where}.{band.code}: level must be one of {BAND_LEVELS}")
    return bands


def _aggregate_range(method: str, items: list[Item]) -> tuple[Fraction, Fraction]:
    low = sum((Fraction(min(item.values)) for item in items), Fraction(0))
    high = sum((Fraction(max(item.values)) for item in items), Fraction(0))
    if method == "mean":
        return low / len(items), high / len(items)
    return low, high


def parse_instrument(data: dict, where: str = "instrument") -> Instrument:
    """Build and check one instrument from its JSON data."""
    try:
        code, version = data["code"], str(data["version"])
        where = f"{code}-{version}"
        method = data["scoring"]["method"]
        if method not in SCORING_METHODS:
            raise InstrumentError(f"{where}: scoring method must be one of {SCORING_METHODS}")
        multiplier = Fraction(str(data["scoring"].get("multiplier", 1)))
        scale = data.get("scale")
        items: list[Item] = []
        for number, raw in enumerate(data["items"], start=1):
            options = _options(raw.get("options", scale), f"{where}.items.{raw['code']}")
            items.append(
                Item(
                    code=raw["code"],
                    number=number,
                    text=_text(raw["text"], f"{where}.items.{raw['code']}"),
                    options=options,
                    reverse=bool(raw.get("reverse", False)),
                )
            )
        codes = [item.code for item in items]
        if len(set(codes)) != len(codes):
            raise InstrumentError(f"{where}: item codes repeat")
        low, high = _aggregate_range(method, items)
        low, high = low * multiplier, high * multiplier
        subscales = []
        for raw in data.get("subscales", ()):
            sub_items = tuple(raw["items"])
            unknown = set(sub_items) - set(codes)
            if unknown or not sub_items:
                raise InstrumentError(f"{where}.{raw['code']}: unknown items {sorted(unknown)}")
            sub_method = raw.get("method", "mean")
            if sub_method not in SCORING_METHODS:
                raise InstrumentError(f"{where}.{raw['code']}: unknown method {sub_method}")
            sub_low, sub_high = _aggregate_range(
                sub_method, [item for item in items if item.code in sub_items]
            )
            subscales.append(
                Subscale(
                    code=raw["code"],
                    label=_text(raw["label"], f"{where}.{raw['code']}.label"),
                    about=_text(raw["about"], f"{where}.{raw['code']}.about"),
                    items=sub_items,
                    method=sub_method,
                    score_min=sub_low,
                    score_max=sub_high,
                    bands=_bands(raw["bands"], f"{where}.{raw['code']}", sub_low, sub_high)
                    if raw.get("bands")
                    else (),
                )
            )
        return Instrument(
            code=code,
            version=version,
            current=bool(data.get("current", True)),
            name=_text(data["name"], f"{where}.name"),
            short_name=data["short_name"],
            about=_text(data["about"], f"{where}.about"),
            instructions=_text(data["instructions"], f"{where}.instructions"),
            minutes=int(data["minutes"]),
            position=int(data.get("position", 100)),
            method=method,
            multiplier=multiplier,
            higher_is_better=bool(data["scoring"]["higher_is_better"]),
            score_min=low,
            score_max=high,
            score_unit=_text(data["scoring"]["unit"], f"{where}.scoring.unit"),
            items=tuple(items),
            bands=_bands(data["bands"], f"{where}.bands", low, high),
            subscales=tuple(subscales),
            source=data["source"]["citation"],
            source_url=data["source"].get("url", ""),
            licence=_text(data["source"]["licence"], f"{where}.source.licence"),
            wording=_text(data["source"]["wordings"], f"{where}.source.wordings"),
            cutoff_source=data["source"].get("cutoffs", ""),
            subscales_note=_text(data["subscales_note"], f"{where}.subscales_note")
            if "subscales_note" in data
            else None,
        )
    except (KeyError, TypeError, ValueError) as error:
        if isinstance(error, InstrumentError):
            raise
        raise InstrumentError(f"{where}: {error!r}") from error


@cache
def _registry() -> dict[tuple[str, str], Instrument]:
    registry: dict[tuple[str, str], Instrument] = {}
    for path in sorted(DATA_DIR.glob("*.json")):
        instrument = parse_instrument(json.loads(path.read_text(encoding="utf-8")), path.name)
        if path.stem != f"{instrument.code}-{instrument.version}":
            raise InstrumentError(f"{path.name}: the file must be named <code>-<version>.json")
        registry[instrument.key] = instrument
    current_codes = [i.code for i in registry.values() if i.current]
    if len(set(current_codes)) != len(current_codes):
        raise InstrumentError("Only one version of an instrument can be current")
    return registry


def find_instrument(code: str, version: str) -> Instrument | None:
    """Any version, current or retired: what an older result was scored with."""
    return _registry().get((code, str(version)))


def get_current(code: str) -> Instrument | None:
    """The version a person answers today."""
    return next((i for i in _registry().values() if i.code == code and i.current), None)


def current_instruments() -> list[Instrument]:
    """The instruments offered on the hub, in the order of their files' `position`."""
    return sorted(
        (i for i in _registry().values() if i.current), key=lambda i: (i.position, i.code)
    )
