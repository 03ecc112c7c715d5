"""State changes on the catalogue, sessions and enrolments: the single entry points.

Every change of an enrolment's state writes an EnrolmentEvent with a dotted action
(enrolment.confirmed, enrolment.waitlisted, enrolment.promoted, enrolment.cancelled,
enrolment.cancelled_by_organiser, enrolment.attendance_marked). The e-mails about an
enrolment (emails.py) are recorded in the same transaction and handed to a worker once
it commits, so a rolled-back change sends nothing.

Capacity is kept exact by locking the session row (select_for_update) for every change
of its seats; the session's CHECK constraint is the last line of defence.

One module per concern; callers may import from here (``from programme import services``)
or from the module:

- ``enrolment``: a member enrols or cancels; freed seats go to the waitlist
- ``sessions``: the organiser's changes to sessions: create, update (time, place,
  capacity), publish, duplicate, cancel, attendance
- ``series``: repeat a session weekly or monthly (``series_preview``, ``series_create``)
- ``catalogue``: modules, themes and the search synonyms
- ``member``: a member's saved modules and calendar feed address
- ``tool_use``: an opening of a partner's digital tool, counted per month (no one's name)
- ``versions``: the language versions of a module (the same content in FR, NL, EN)
- ``base``: the refusal, the session lock and the audit entry the modules share
"""

# Not a service: the tests catch the refusals of ValidationError through this package.
from django.core.exceptions import ValidationError

from .base import EnrolmentRefused
from .catalogue import (
    MODULE_FIELDS,
    SYNONYM_GROUP_MAX_WORDS,
    module_create,
    module_duplicate,
    module_publish,
    module_refresh_search,
    module_update,
    search_synonyms_update,
    slug_for,
    theme_create,
    theme_publish,
    theme_update,
)
from .enrolment import EnrolmentOutcome, enrolment_cancel, enrolment_create, refusal_reason
from .member import calendar_feed_ensure, calendar_token_regenerate, module_save, module_unsave
from .sessions import (
    CALENDAR_FIELDS,
    SESSION_FIELDS,
    attendance_mark,
    session_cancel,
    session_create,
    session_duplicate,
    session_publish,
    session_update,
)
from .tool_use import tool_opened
from .versions import VersionLinkRefused, module_version_link, module_version_unlink

__all__ = [
    "ValidationError",
    "CALENDAR_FIELDS",
    "EnrolmentOutcome",
    "EnrolmentRefused",
    "MODULE_FIELDS",
    "SESSION_FIELDS",
    "SYNONYM_GROUP_MAX_WORDS",
    "VersionLinkRefused",
    "attendance_mark",
    "calendar_feed_ensure",
    "calendar_token_regenerate",
    "enrolment_cancel",
    "enrolment_create",
    "module_create",
    "module_duplicate",
    "module_publish",
    "module_refresh_search",
    "module_save",
    "module_unsave",
    "module_update",
    "module_version_link",
    "module_version_unlink",
    "refusal_reason",
    "tool_opened",
    "search_synonyms_update",
    "session_cancel",
    "session_create",
    "session_duplicate",
    "session_publish",
    "session_update",
    "slug_for",
    "theme_create",
    "theme_publish",
    "theme_update",
]
