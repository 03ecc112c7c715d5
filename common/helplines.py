"""Help lines shown in the footer of every page and on every assessment result."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class HelpLine:
    name: str | Promise
    number: str
    description: str | Promise
    crisis: bool = True

    @property
    def tel_uri(self) -> str:
        return "tel:" + self.number.replace(" ", "")


HELP_LINES: tuple[HelpLine, ...] = (
    HelpLine(
        name=_("Centre de Prévention du Suicide"),
        number="0800 32 123",
        description=_("Free and anonymous, 24 hours a day (French)"),
    ),
    HelpLine(
        name=_("Zelfmoordlijn"),
        number="1813",
        description=_("Free and anonymous, 24 hours a day (Dutch)"),
    ),
    HelpLine(
        name=_("Emergencies"),
        number="112",
        description=_("Ambulance, fire brigade, police"),
    ),
)
