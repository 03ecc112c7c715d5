"""French typography in the French catalogue (common.typography)."""

from pathlib import Path

import pytest

from common.management.commands.french_typography import respaced
from common.typography import NBSP, french_spacing

CATALOGUE = Path(__file__).resolve().parent.parent / "locale" / "fr" / "LC_MESSAGES" / "django.po"


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        (
            "Merci : ton consentement est enregistré.",
            f"Merci{NBSP}: ton consentement est enregistré.",
        ),
        ("De quoi aimerais-tu parler?", f"De quoi aimerais-tu parler{NBSP}?"),
        ("À bientôt !", f"À bientôt{NBSP}!"),
        ("Ta référence : %(reference)s", f"Ta référence{NBSP}: %(reference)s"),
        ("Ton avis sur « %(title)s » ?", f"Ton avis sur «{NBSP}%(title)s{NBSP}»{NBSP}?"),
        ("Quoi ?!", f"Quoi{NBSP}?!"),
        ("un groupe ; puis un autre", f"un groupe{NBSP}; puis un autre"),
        # Left as they are: addresses, times, queries, entities, a mark that starts the text.
        (
            "Va sur https://example.org/?page=2 à 14:00",
            "Va sur https://example.org/?page=2 à 14:00",
        ),
        ("Tom &amp; Jerry", "Tom &amp; Jerry"),
        ("? en début", "? en début"),
    ],
)
def test_french_spacing(typed, printed):
    assert french_spacing(typed) == printed
    assert french_spacing(printed) == printed


def test_the_catalogue_header_is_left_alone():
    po = 'msgid ""\nmsgstr ""\n"Language: fr\\n"\n\nmsgid "Why?"\nmsgstr "Pourquoi ?"\n'
    text, changed = respaced(po)
    assert changed == 1
    assert (
        text
        == f'msgid ""\nmsgstr ""\n"Language: fr\\n"\n\nmsgid "Why?"\nmsgstr "Pourquoi{NBSP}?"\n'
    )


def test_a_wrapped_translation_is_read_whole():
    po = 'msgid "Long"\nmsgstr ""\n"Une phrase coupée "\n": ici"\n'
    assert respaced(po) == (f'msgid "Long"\nmsgstr "Une phrase coupée{NBSP}: ici"\n', 1)


def test_the_french_catalogue_follows_french_typography():
    """`make messages` spaces the catalogue; an entry edited by hand since then fails here."""
    _text, changed = respaced(CATALOGUE.read_text(encoding="utf-8"))
    assert changed == 0, "run `DEBUG=1 .venv/bin/python manage.py french_typography`"
