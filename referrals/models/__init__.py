"""Partners (Open Referral HSDS), cases of the listening cell, their timeline and access log.

A case is one thing the cell has to act on: a member's request to be contacted or an
ambassador's signal. Both share the queue, the statuses and the timeline.

Django finds the models through this package, so every model is imported here; callers
may import from here (``from referrals.models import Case``) or from the module:

- ``partners``: the partner directory (HSDS: organization + service, service_area,
  language, taxonomy)
- ``cases``: cases, their needs, their timeline and their referrals to partners
- ``callbacks``: call-back appointments agreed with the person
- ``access_log``: who read a case, when and why
- ``base``: the append-only rows the timeline and the access log are made of
"""

from .access_log import CaseAccess
from .base import AppendOnlyModel, AppendOnlyQuerySet
from .callbacks import CALLBACK_NOTE_MAX, OPEN_CALLBACK, CallBack
from .cases import (
    MESSAGE_MAX,
    NOTE_MAX,
    SIGNAL_NOTE_MAX,
    Case,
    CaseEvent,
    CaseNeed,
    Referral,
    case_reference,
)
from .partners import Partner, PartnerArea, PartnerLanguage, PartnerMembership, PartnerNeed

__all__ = [
    "AppendOnlyModel",
    "AppendOnlyQuerySet",
    "CALLBACK_NOTE_MAX",
    "CallBack",
    "OPEN_CALLBACK",
    "Case",
    "CaseAccess",
    "CaseEvent",
    "CaseNeed",
    "MESSAGE_MAX",
    "NOTE_MAX",
    "Partner",
    "PartnerArea",
    "PartnerLanguage",
    "PartnerMembership",
    "PartnerNeed",
    "Referral",
    "SIGNAL_NOTE_MAX",
    "case_reference",
]
