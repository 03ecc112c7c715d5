"""Instruments as versioned data: one JSON file per instrument version in this folder.

An instrument's items, answer options, reverse-scored items, subscales, scoring method,
bands with their cut-offs, the themes each band recommends and every text in French,
Dutch and English live in `<code>-<version>.json`. Item wordings are data, not gettext:
each language is the published (or our carefully translated) wording of the instrument,
so the translators of the portal never touch them. A result records the code and
version it was scored with; retired versions stay here (`"current": false`) so older
results keep reading correctly.
"""

from .definitions import (
    Band,
    Instrument,
    InstrumentError,
    Item,
    Option,
    Subscale,
    current_instruments,
    find_instrument,
    get_current,
)

__all__ = [
    "Band",
    "Instrument",
    "InstrumentError",
    "Item",
    "Option",
    "Subscale",
    "current_instruments",
    "find_instrument",
    "get_current",
]
