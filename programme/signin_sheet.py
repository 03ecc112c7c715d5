"""The printable sign-in sheet of a session: A4, names and a signature column, nothing more.

Names only: no e-mail address or telephone number goes on paper that lies on a table
for everyone to sign. Dates, times and labels are in the language asked for, the
session's by default, so the sheet speaks the language of the people in the room.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from .models import Enrolment, Session

# Empty lines for people who come without having enrolled.
WALK_IN_LINES = 8


def sheet_language(session: Session, asked: str | None) -> str:
    """The language asked for when the portal speaks it, else the session's."""
    known = {code for code, _name in settings.LANGUAGES}
    if asked in known:
        return str(asked)
    return session.module.language if session.module.language in known else "fr"


def _refuse_fetch(url: str, *args, **kwargs):
    """The sheet is made from its own HTML and style: nothing leaves the server."""
    raise ValueError(f"The sign-in sheet fetches nothing ({url}).")


def signin_sheet_pdf(*, session: Session, people: list[Enrolment], language: str) -> bytes:
    from weasyprint import HTML  # heavy: loaded when a sheet is asked for

    with translation.override(language):
        html = render_to_string(
            "programme/manage/session_signin_sheet_pdf.html",
            {
                "session": session,
                "people": people,
                "walk_in_lines": range(WALK_IN_LINES),
                "LANGUAGE_CODE": language,
                "PORTAL_NAME": settings.PORTAL_NAME,
            },
        )
    return HTML(string=html, url_fetcher=_refuse_fetch).write_pdf()
