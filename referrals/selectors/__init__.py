"""Reads: what each role may see of the directory and of the cases.

member: the cases about them; ambassador: the status of the signals they raised, no
more; advisor: every case; everyone else: no case at all. Each reader runs a fixed
number of queries, whatever the data.

One module per side; callers may import from here (``from referrals import selectors``)
or from the module:

- ``partners``: the directory, its staff pages, partners to refer a case to and routing
- ``cases``: the cell's cases: the queue, a case's page, overdue alerts, the digest
- ``callbacks``: a case's call-back, an advisor's day, the reminders due
- ``people``: a member's own cases, an ambassador's signals
- ``partner_side``: the partner's page, its reminders, the member's question
"""

from .callbacks import (
    AdvisorDay,
    advisor_day,
    callback_of_case,
    callback_reminder_targets,
    open_callback,
)
from .cases import (
    DIGEST_LIST_LIMIT,
    AdvisorDigest,
    CaseLine,
    QueueFilters,
    advisor_digest,
    advisors,
    case_for_advisor,
    case_queue,
    case_referrals,
    case_timeline,
    cases_for_advisor,
    cases_overdue,
    may_work_cases,
    oral_consent,
    overdue_alert_targets,
    overdue_q,
    queue_summary,
    unheld_q,
)
from .partner_side import (
    AWAITING_ANSWERS,
    PartnerView,
    awaiting_partner_exists,
    awaiting_partner_q,
    cases_awaiting_partner_count,
    partner_has_accounts,
    partner_languages,
    partner_of,
    partner_space_referrals,
    partner_staff_accounts,
    partner_view,
    referral_for_partner,
    referral_for_partner_user,
    referrals_to_ask_member,
    suggested_outcome,
    unanswered_referrals,
)
from .partners import (
    PARTNER_DETAILS,
    case_result_is_acute,
    may_manage_partners,
    partner_facts,
    partners_directory,
    partners_for_routing,
    partners_for_staff,
    partners_to_refer,
    routing_suggestions,
)
from .people import (
    AMBASSADOR_LABELS,
    SIGNAL_COLUMNS,
    SignalStatus,
    WhatHappensNext,
    cases_for_member,
    member_by_email,
    member_case_summaries,
    member_request,
    signal_rows_for_ambassador,
    signal_statuses,
    signals_for_ambassador,
    what_happens_next,
)

__all__ = [
    "AdvisorDay",
    "advisor_day",
    "callback_of_case",
    "callback_reminder_targets",
    "open_callback",
    "AWAITING_ANSWERS",
    "PartnerView",
    "partner_view",
    "awaiting_partner_exists",
    "awaiting_partner_q",
    "cases_awaiting_partner_count",
    "partner_has_accounts",
    "partner_languages",
    "partner_of",
    "partner_space_referrals",
    "partner_staff_accounts",
    "referral_for_partner",
    "referral_for_partner_user",
    "referrals_to_ask_member",
    "suggested_outcome",
    "unanswered_referrals",
    "AMBASSADOR_LABELS",
    "AdvisorDigest",
    "CaseLine",
    "DIGEST_LIST_LIMIT",
    "PARTNER_DETAILS",
    "QueueFilters",
    "SIGNAL_COLUMNS",
    "SignalStatus",
    "WhatHappensNext",
    "advisor_digest",
    "advisors",
    "case_for_advisor",
    "case_queue",
    "case_referrals",
    "case_result_is_acute",
    "case_timeline",
    "cases_for_advisor",
    "cases_for_member",
    "cases_overdue",
    "may_manage_partners",
    "may_work_cases",
    "member_by_email",
    "member_case_summaries",
    "member_request",
    "oral_consent",
    "overdue_alert_targets",
    "overdue_q",
    "partner_facts",
    "partners_directory",
    "partners_for_routing",
    "partners_for_staff",
    "partners_to_refer",
    "queue_summary",
    "routing_suggestions",
    "signal_rows_for_ambassador",
    "signal_statuses",
    "signals_for_ambassador",
    "unheld_q",
    "what_happens_next",
]
