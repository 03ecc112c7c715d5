"""The surveys app's part of the role home pages (see dashboards.panels): the latest
change made after members' ideas, on the public home page (one query)."""

from django.conf import settings
from django.utils.translation import get_language

from surveys.roundtable_selectors import latest_change


def public_context() -> dict:
    language = (get_language() or settings.LANGUAGE_CODE)[:2]
    return {"surveys_latest_change": latest_change(language)}
