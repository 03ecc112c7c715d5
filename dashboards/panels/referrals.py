"""The referrals app's part of the role home pages (see dashboards.panels).

One query at most per provider: the role homes keep a fixed query count.
"""

from referrals import selectors


def public_context() -> dict:
    return {}


def member_context(user) -> dict:
    return {"referrals_cases": selectors.member_case_summaries(user, limit=3)}


def ambassador_context(user) -> dict:
    return {"referrals_signals": selectors.signals_for_ambassador(user, limit=5)}


def advisor_context(user) -> dict:
    return {"referrals_summary": selectors.queue_summary(user)}


def programme_manager_context(user) -> dict:
    # Managers have no access to cases; their partial links to the partner pages only.
    return {}
