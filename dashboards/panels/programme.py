"""The programme app's part of the role home pages (see dashboards.panels).

One query per provider, whatever the size of the programme.
"""

from programme.selectors import manager_counts, next_enrolments, sessions_public


def public_context() -> dict:
    return {"programme_upcoming": list(sessions_public()[:4])}


def member_context(user) -> dict:
    return {"programme_next_enrolments": next_enrolments(user, limit=3)}


def ambassador_context(user) -> dict:
    """The calendar an ambassador shares with the members they serve."""
    return {"programme_calendar": list(sessions_public()[:12])}


def programme_manager_context(user) -> dict:
    return {"programme_counts": manager_counts()}
