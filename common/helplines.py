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
    # The language the line answers in; None for a line that answers everyone (112).
    language: str | None = None

    @property
    def tel_uri(self) -> str:
        return "tel:" + self.number.replace(" ", "")


HELP_LINES: tuple[HelpLine, ...] = (
    HelpLine(
        name=_("Centre de Prévention du Suicide"),
        number="0800 32 123",
        description=_("Free and anonymous, 24 hours a day (French)"),
        language="fr",
    ),
    HelpLine(
        name=_("Zelfmoordlijn"),
        number="1813",
        description=_("Free and anonymous, 24 hours a day (Dutch)"),
        language="nl",
    ),
    HelpLine(
        name=_("Emergencies"),
        number="112",
        description=_("Ambulance, fire brigade, police"),
    ),
)


def help_lines_for(language: str | None) -> tuple[HelpLine, ...]:
    """The help lines with those answering in the reader's language first.

    Someone in distress reads the top of the list: a Dutch reader finds the Zelfmoordlijn
    before the French line, a French reader the reverse. The other lines keep their order,
    so a reader of any other language (English) sees the list as written.
    """
    base = (language or "").split("-")[0].lower()
    return tuple(sorted(HELP_LINES, key=lambda line: line.language != base))
