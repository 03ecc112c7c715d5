"""The consents the portal asks for, each with the version of the text the member saw.

Changing a text means bumping its version: consents given to an older version stay on
record as they were given.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class ConsentKind(models.TextChoices):
    HEALTH_DATA = "health_data", _("Keeping my self-assessment results")
    PARTNER_SHARING = "partner_sharing", _("Sharing what is needed with a partner organisation")


@dataclass(frozen=True)
class ConsentText:
    version: str
    text: str | Promise


CONSENT_TEXTS: dict[str, ConsentText] = {
    ConsentKind.HEALTH_DATA: ConsentText(
        version="2026-11",
        text=_(
            "I agree that the portal keeps this self-assessment result in my history. "
            "It is health data: only I can see it, unless I choose to attach it to a "
            "request to the listening cell. I can delete it at any time."
        ),
    ),
    ConsentKind.PARTNER_SHARING: ConsentText(
        version="2026-11",
        text=_(
            "I agree that the listening cell shares with the partner organisation it "
            "orients me to what that partner needs to help me, and nothing more."
        ),
    ),
}
