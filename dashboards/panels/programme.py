"""The programme app's part of the role home pages (see dashboards.panels).

One query per read, whatever the size of the programme.
"""

from programme.selectors import library_of, manager_counts, next_enrolments, sessions_public
from programme.selectors.tracks import tracks_of


def public_context() -> dict:
    return {"programme_upcoming": list(sessions_public()[:4])}


def member_context(user) -> dict:
    return {
        "programme_next_enrolments": next_enrolments(user, limit=3),
        "programme_library": library_of(user),
    }


def ambassador_context(user) -> dict:
    """The calendar an ambassador shares with the members they serve."""
    return {
        "programme_calendar": list(sessions_public()[:12]),
        "programme_tracks": tracks_of(user),
    }


def advisor_context(user) -> dict:
    """The advisor's training track (new advisors, all staff)."""
    return {"programme_tracks": tracks_of(user)}


def programme_manager_context(user) -> dict:
    return {"programme_counts": manager_counts()}
