"""Belgian geography and clock, used by profiles, sessions, partner regions and dates."""

from datetime import date
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# The programme's clock: sessions, deadlines and statistics' months are Belgian time.
BRUSSELS = ZoneInfo("Europe/Brussels")


class Province(models.TextChoices):
    BRUSSELS = "BRU", _("Brussels-Capital Region")
    ANTWERP = "VAN", _("Antwerp")
    EAST_FLANDERS = "VOV", _("East Flanders")
    FLEMISH_BRABANT = "VBR", _("Flemish Brabant")
    LIMBURG = "VLI", _("Limburg")
    WEST_FLANDERS = "VWV", _("West Flanders")
    HAINAUT = "WHT", _("Hainaut")
    LIEGE = "WLG", _("Liège")
    LUXEMBOURG = "WLX", _("Luxembourg")
    NAMUR = "WNA", _("Namur")
    WALLOON_BRABANT = "WBR", _("Walloon Brabant")


class Language(models.TextChoices):
    """Languages in which the programme is delivered and members are addressed."""

    FR = "fr", _("French")
    NL = "nl", _("Dutch")
    EN = "en", _("English")


# The holidays library's names for Belgium exist in these languages; English is "en_US".
_HOLIDAY_LANGUAGES = {"fr": "fr", "nl": "nl"}


@lru_cache(maxsize=32)
def _belgian_holidays(year: int, language: str) -> holidays.HolidayBase:
    return holidays.country_holidays("BE", years=year, language=language)


def public_holiday(day: date) -> str | None:
    """The Belgian public holiday on this day, named in the active language, or None."""
    language = _HOLIDAY_LANGUAGES.get((get_language() or "fr")[:2], "en_US")
    return _belgian_holidays(day.year, language).get(day)
