"""French is the default and Dutch the other language of the membership: every string
of the portal is translated in both, none left fuzzy (a fuzzy entry shows in English)."""

import subprocess
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parent.parent / "locale"


def entries(language: str, *flags: str) -> list[str]:
    """The msgids msgattrib selects (the gettext tools compilemessages needs anyway)."""
    catalogue = LOCALE / language / "LC_MESSAGES" / "django.po"
    output = subprocess.run(
        ["msgattrib", *flags, "--no-wrap", str(catalogue)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [
        line.removeprefix("msgid ")
        for line in output.splitlines()
        if line.startswith("msgid ") and line != 'msgid ""'
    ]


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_every_string_is_translated(language):
    assert entries(language, "--untranslated") == []


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_no_translation_is_left_fuzzy(language):
    assert entries(language, "--only-fuzzy") == []


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_the_catalogue_is_well_formed(language):
    catalogue = LOCALE / language / "LC_MESSAGES" / "django.po"
    result = subprocess.run(
        ["msgfmt", "--check-format", "-o", "/dev/null", str(catalogue)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_no_dutch_string_falls_back_to_french():
    """Django shows a string its Dutch catalogue lacks in the default language, French:
    every string any installed catalogue translates into French has a Dutch translation
    (Django's own, an app's, or the portal's common/upstream_strings.py)."""
    from django.utils.translation import trans_real

    french = trans_real.translation("fr")._catalog
    dutch = trans_real.translation("nl")._catalog
    # A plural's first form stands for the message (French has a third form, Dutch two).
    missing = [
        key
        for key, _translation in french.items()
        if key and (not isinstance(key, tuple) or key[1] == 0) and key not in dutch
    ]
    assert missing == []
