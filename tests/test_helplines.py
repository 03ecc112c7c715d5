"""Help lines come in the reader's language first: the line that answers in it on top."""

import pytest

from common.helplines import HELP_LINES, help_lines_for

FRENCH_LINE, DUTCH_LINE, EMERGENCIES = "0800 32 123", "1813", "112"


def numbers(lines):
    return [line.number for line in lines]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", [FRENCH_LINE, DUTCH_LINE, EMERGENCIES]),
        ("nl", [DUTCH_LINE, FRENCH_LINE, EMERGENCIES]),
        ("nl-be", [DUTCH_LINE, FRENCH_LINE, EMERGENCIES]),
        ("en", numbers(HELP_LINES)),
        (None, numbers(HELP_LINES)),
    ],
)
def test_the_lines_in_the_readers_language_come_first(language, expected):
    assert numbers(help_lines_for(language)) == expected


def test_no_line_is_lost_whatever_the_language():
    for language in ("fr", "nl", "en"):
        assert sorted(numbers(help_lines_for(language))) == sorted(numbers(HELP_LINES))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "first", "second"), [("nl", "1813", "080032123"), ("fr", "080032123", "1813")]
)
def test_a_page_lists_the_readers_line_first(client, language, first, second):
    html = client.get(f"/{language}/").content.decode()
    assert html.index(f'href="tel:{first}"') < html.index(f'href="tel:{second}"')
