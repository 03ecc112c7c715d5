"""The consents the portal asks for, each with the version of the text the member saw.

Changing a text means bumping its version: consents given to an older version stay on
record as they were given.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class ConsentKind(models.TextChoices):
    HEALTH_DATA = "health_data", _("Keeping my self-assessment results")
    PARTNER_SHARING = "partner_sharing", _("Sharing what is needed with a partner organisation")
    RESEARCH = "research", _("Using my self-assessment scores to evaluate the programme")


@dataclass(frozen=True)
class ConsentText:
    version: str
    text: "StrOrPromise"
    # What withdrawing changes, said on the page that asks to confirm it.
    withdrawal_effect: "StrOrPromise" = ""
    # Where the consent is given when the privacy page cannot give it (None: it can).
    given_with: "StrOrPromise | None" = None


CONSENT_TEXTS: dict[str, ConsentText] = {
    ConsentKind.HEALTH_DATA: ConsentText(
        version="2026-11",
        text=_(
            "I agree that the portal keeps this self-assessment result in my history. "
            "It is health data: only I can see it, unless I choose to attach it to a "
            "request to the listening cell. I can delete it at any time."
        ),
        withdrawal_effect=_(
            "The portal no longer keeps new self-assessment results and stops inviting you "
            "to take them again. You give this consent again whenever you choose to keep a "
            "result, or here."
        ),
    ),
    ConsentKind.PARTNER_SHARING: ConsentText(
        version="2026-11",
        text=_(
            "I agree that the listening cell shares with the partner organisation it "
            "orients me to what that partner needs to help me, and nothing more."
        ),
        withdrawal_effect=_(
            "The listening cell no longer passes your details on to a partner organisation "
            "without asking you first."
        ),
        # Referrals record it with each request, for that request.
        given_with=_("You give this consent with a request to the listening cell."),
    ),
    ConsentKind.RESEARCH: ConsentText(
        version="2026-12",
        text=_(
            "I agree that the programme uses my WHO-5 (and PSS-10, if I take it) scores, "
            "under a code instead of my name, to evaluate what the programme achieves. I "
            "take the questionnaire when I start, then I am invited by e-mail to take it "
            "again at 3 and 6 months (I can turn these invitations off in my message "
            "settings). Only results I keep in my history are used. Nobody at the fund sees "
            "my scores: managers see only figures about groups of at least 10 people. This "
            "consent is optional and I can withdraw it at any time: my scores are then left "
            "out of every later evaluation; figures already published stay as they are."
        ),
        withdrawal_effect=_(
            "Your scores are left out of every later evaluation of the programme and you are "
            "no longer invited for it. Figures already published stay as they are."
        ),
    ),
}
