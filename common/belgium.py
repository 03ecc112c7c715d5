"""Belgian geography and clock, used by profiles, sessions, partner regions and dates."""

from zoneinfo import ZoneInfo

from django.db import models
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
