"""Every change to the partner directory and to a case goes through here.

Each case service locks the case row, checks the move is allowed, writes the change and
one timeline event (the audit entry) in the same transaction. They are the single entry
points later messages hang on (overdue alerts, "your signal was handled" notices).

One module per concern; callers may import from here (``from referrals import services``)
or from the module:

- ``intake``: a member's request, an ambassador's signal, the path every new case takes
- ``caller``: a case an advisor opens for someone who phoned or walked in
- ``cases``: claiming, assigning, contact attempts, notes, follow-up, closing
- ``callbacks``: call-back appointments agreed with the person
- ``orientation``: referrals to partners and whether the person reached them
- ``partners``: the partner directory
- ``partner_accounts``: a partner organisation's optional staff accounts
- ``partner_side``: sending a referral to the partner, its answers, the member's answer
- ``access``: the access log of staff reads
- ``erasure``: closing and anonymising cases for erasure and the retention limit
- ``base``: the refusals, guards and timeline entry the case modules share
"""

from .access import (
    access_purpose,
    access_record,
    access_record_listing,
    access_record_partner,
)
from .base import CaseActionRefused, ClaimLost, TransitionRefused, check_transition
from .callbacks import (
    callback_book,
    callback_cancel,
    callback_check_may_plan,
    callback_done,
    callback_reschedule,
)
from .caller import caller_case_create, caller_case_for_token
from .cases import (
    case_assign,
    case_claim,
    case_close,
    contact_attempt_record,
    follow_up_set,
    note_add,
)
from .erasure import cases_anonymise, cases_close_member_gone
from .intake import request_create, request_detach_result, signal_create, signals_left_today
from .orientation import _standing_consent, referral_create, referral_record_reached
from .partner_accounts import partner_staff_invite
from .partner_side import (
    member_answer_record,
    partner_answer_record,
    referral_send_to_partner,
)
from .partners import partner_create, partner_update

__all__ = [
    "CaseActionRefused",
    "ClaimLost",
    "TransitionRefused",
    # Not a service: the privacy tests ask it whether a sharing consent still stands.
    "_standing_consent",
    "access_purpose",
    "access_record",
    "access_record_listing",
    "access_record_partner",
    "member_answer_record",
    "partner_answer_record",
    "partner_staff_invite",
    "referral_send_to_partner",
    "caller_case_create",
    "caller_case_for_token",
    "callback_book",
    "callback_cancel",
    "callback_check_may_plan",
    "callback_done",
    "callback_reschedule",
    "case_assign",
    "case_claim",
    "case_close",
    "cases_anonymise",
    "cases_close_member_gone",
    "check_transition",
    "contact_attempt_record",
    "follow_up_set",
    "note_add",
    "partner_create",
    "partner_update",
    "referral_create",
    "referral_record_reached",
    "request_create",
    "request_detach_result",
    "signal_create",
    "signals_left_today",
]
