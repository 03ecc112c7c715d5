"""French typography for the French message catalogue.

French sets a space before the high punctuation marks : ; ? ! and inside « », and that space must
not break: a line that starts with "?" or a lone "»" reads as a mistake. `french_spacing` puts a
non-breaking space (U+00A0, which every font has) where one belongs. `make messages` applies it to
locale/fr after each extraction, and tests/test_typography.py fails on an entry it would change.
"""

import re

NBSP = "\u00a0"

# A mark that ends a word: followed by a space, the end, a closing quote or bracket, or a tag.
# "https://", "14:00", "?page=2" and "&amp;" are left alone by the lookahead and `_is_entity`.
_HIGH_PUNCTUATION = re.compile(
    r"(?P<word>[^\s\u00a0\u202f(\[«])[ \u00a0\u202f]?(?P<mark>[:;?!]+)(?=[\s\u00a0)\]»\"'<]|$)"
)
_ENTITY = re.compile(r"&#?\w+$")
_OPENING_GUILLEMET = re.compile(r"«[ \u00a0\u202f]?")
_CLOSING_GUILLEMET = re.compile(r"[ \u00a0\u202f]?»")


def _spaced(match: re.Match[str]) -> str:
    text = match.string[: match.start("mark")].rstrip(" \u00a0\u202f")
    if match["mark"].startswith(";") and _ENTITY.search(text):
        return match.group(0)
    return f"{match['word']}{NBSP}{match['mark']}"


def french_spacing(text: str) -> str:
    """The text with a non-breaking space before : ; ? ! and inside « »."""
    text = _HIGH_PUNCTUATION.sub(_spaced, text)
    text = _OPENING_GUILLEMET.sub("«" + NBSP, text)
    return _CLOSING_GUILLEMET.sub(NBSP + "»", text)
