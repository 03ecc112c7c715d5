"""Reads on the catalogue: what a visitor, a member or a manager may see.

Every function here runs a fixed number of queries, whatever the data.

One module per concern; callers may import from here (``from programme import selectors``)
or from the module:

- ``catalogue``: the catalogue's filters and search, module and session pages
- ``recommendations``: modules recommended on a member's themes
- ``member``: a member's enrolments with their waitlist position, "Mon parcours"
- ``feed``: the member's private calendar feed
- ``staff``: the managers' lists, roster and counts
- ``versions``: a module's versions in other languages, the managers' picker
- ``base``: who may manage or enrol, what is published and upcoming, the rankings the
  catalogue and the recommendations share
"""

from .base import (
    can_enrol,
    can_manage,
    modules_published,
    sessions_public,
    sessions_upcoming,
    themes_published,
    tools_to_open,
)
from .catalogue import (
    CatalogueFilters,
    catalogue_modules,
    catalogue_page_extras,
    module_sessions,
    module_themes,
    modules_visible_to,
    saved_module_ids,
    sessions_visible_to,
)
from .feed import (
    FEED_HISTORY,
    FeedEntry,
    calendar_feed_by_token,
    calendar_feed_of,
    feed_entries,
    feed_sequence,
    is_confirmed_in,
)
from .member import (
    LIBRARY_HOME_LIMIT,
    PAST_LIMIT,
    Library,
    Parcours,
    active_enrolments_by_session,
    enrolments_with_position,
    library_of,
    next_enrolments,
    parcours_for,
    waiting_count,
)
from .recommendations import modules_recommended
from .staff import (
    manager_counts,
    manager_modules,
    manager_sessions,
    manager_themes,
    session_roster,
    session_warnings,
)
from .versions import VersionLink, alternate_links, module_versions, version_candidates

__all__ = [
    "CatalogueFilters",
    "FEED_HISTORY",
    "FeedEntry",
    "LIBRARY_HOME_LIMIT",
    "Library",
    "PAST_LIMIT",
    "Parcours",
    "VersionLink",
    "active_enrolments_by_session",
    "alternate_links",
    "calendar_feed_by_token",
    "calendar_feed_of",
    "can_enrol",
    "can_manage",
    "catalogue_modules",
    "catalogue_page_extras",
    "enrolments_with_position",
    "feed_entries",
    "feed_sequence",
    "is_confirmed_in",
    "library_of",
    "manager_counts",
    "manager_modules",
    "manager_sessions",
    "manager_themes",
    "module_sessions",
    "module_themes",
    "modules_published",
    "modules_recommended",
    "modules_visible_to",
    "module_versions",
    "next_enrolments",
    "parcours_for",
    "saved_module_ids",
    "session_roster",
    "session_warnings",
    "sessions_public",
    "sessions_upcoming",
    "sessions_visible_to",
    "themes_published",
    "tools_to_open",
    "version_candidates",
    "waiting_count",
]
