"""A member's own pages (their home, "mon parcours") kept whole in the shared cache for
that member, until anything they show changes.

Both pages read a dozen rows of the member's own (enrolments, saved modules, kept
results, requests to the listening cell, profile, calendar feed) and the catalogue
around them; rendering them costs far more than reading those rows. So each answer is
kept with two stamps, and served again only while both still hold:

- the catalogue's generation (programme.page_cache): any change to a module, a session
  (times, venue, cancellation, seat counts) or a theme bumps it;
- the member's fingerprint: one round trip reads the member's rows themselves (every
  column of each, cast to text), their place on each waitlist, how many of their
  sessions have ended and how many sessions of their saved modules have started, and
  hashes them.
  Whatever path changes those rows (a service, a bulk UPDATE, the admin, another
  member's cancellation moving them up a waitlist, an advisor closing their request),
  the next page is rendered again: nothing has to remember to forget the page.

Kept per member, language, address and roles; never for an answer with messages
waiting (they are the member's own, shown once), and the CSRF token of the forms is the
request's own (as for the visitors' pages). The recommended modules follow the
catalogue's cached reads, which may show a session that has just started for up to
PAGE_SECONDS; the page is kept no longer than that either. While Redis is unreachable
the pages are neither read nor written.
"""

import hashlib
from collections.abc import Callable
from datetime import datetime
from functools import cache as memoize
from functools import wraps

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import connection, models
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.http import urlencode

from assessments.models import AssessmentResult
from members.models import MemberProfile, User
from members.roles import roles_of
from programme.models import CalendarFeed, Enrolment, EnrolmentStatus, SavedModule, Session
from programme.page_cache import (
    CSRF_FIELD,
    PAGE_SECONDS,
    generation_and_page,
    keepable,
    with_own_token,
)
from referrals.models import Case

# Each model's rows that belong to the member, by the column naming them.
OWN_ROWS: tuple[tuple[type[models.Model], str], ...] = (
    (User, "id"),
    (MemberProfile, "user_id"),
    (Enrolment, "user_id"),
    (SavedModule, "user_id"),
    (CalendarFeed, "user_id"),
    (AssessmentResult, "user_id"),
    (Case, "member_id"),
)


def _row_text(model: type[models.Model], alias: str) -> str:
    """Every column of a row as one text (portable SQL: PostgreSQL and SQLite)."""
    quote = connection.ops.quote_name
    columns = [
        f"COALESCE(CAST({alias}.{quote(field.column)} AS TEXT), '~')"
        for field in model._meta.concrete_fields
        if field.column
    ]
    return f"'{model._meta.db_table}|' || " + " || '|' || ".join(columns)


@memoize
def _fingerprint_statements() -> tuple[str, ...]:
    """The SELECTs whose rows make the fingerprint."""
    quote = connection.ops.quote_name
    statements = [
        f"SELECT {_row_text(model, 'r')} FROM {quote(model._meta.db_table)} r "
        f"WHERE r.{quote(owner)} = %s"
        for model, owner in OWN_ROWS
    ]
    enrolment = quote(Enrolment._meta.db_table)
    session = quote(Session._meta.db_table)
    saved = quote(SavedModule._meta.db_table)
    # The member's place on each waitlist moves when someone ahead leaves it.
    statements.append(
        f"SELECT 'position|' || CAST(e.id AS TEXT) || '|' || CAST(("
        f"SELECT COUNT(*) FROM {enrolment} o WHERE o.session_id = e.session_id "
        f"AND o.status = %s AND (o.queued_at < e.queued_at "
        f"OR (o.queued_at = e.queued_at AND o.id < e.id))) AS TEXT) "
        f"FROM {enrolment} e WHERE e.user_id = %s AND e.status = %s"
    )
    # Upcoming becomes past when a session ends; a saved module's next session changes
    # when one starts.
    statements.append(
        f"SELECT 'ended|' || CAST(COUNT(*) AS TEXT) FROM {enrolment} e "
        f"JOIN {session} s ON s.id = e.session_id WHERE e.user_id = %s AND s.ends_at <= %s"
    )
    statements.append(
        f"SELECT 'started|' || CAST(COUNT(*) AS TEXT) FROM {saved} m "
        f"JOIN {session} s ON s.module_id = m.module_id "
        f"WHERE m.user_id = %s AND s.starts_at <= %s"
    )
    return tuple(statements)


def _fingerprint_rows(cursor, params: list) -> list[str]:
    """The rows of every fingerprint statement, in one round trip. PostgreSQL gets them
    as separate statements sent together: joined by UNION ALL the same SELECTs cost the
    server 1.4 ms of CPU a page instead of 0.8 ms, a tenth of a kept member page's whole
    cost (measured on bench/generate.py's design-scale database). SQLite takes one
    statement at a time: it gets the union."""
    statements = _fingerprint_statements()
    if connection.vendor != "postgresql":
        cursor.execute(" UNION ALL ".join(statements), params)
        return [row[0] for row in cursor.fetchall()]
    # psycopg's client-side binding (Django's default) sends them as one query.
    cursor.execute(";\n".join(statements), params)
    rows = list(cursor.fetchall())
    while cursor.nextset():
        rows += cursor.fetchall()
    return [row[0] for row in rows]


def member_fingerprint(user: User) -> str:
    """A digest of everything of the member's own that their pages show (one round trip
    to the database)."""
    now = timezone.now()
    waitlisted = EnrolmentStatus.WAITLISTED.value
    params: list[int | str | datetime] = [user.pk] * len(OWN_ROWS)
    params += [waitlisted, user.pk, waitlisted, user.pk, now, user.pk, now]
    with connection.cursor() as cursor:
        rows = sorted(_fingerprint_rows(cursor, params))
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()


def page_key(request: HttpRequest) -> str:
    user = request.user
    roles = ",".join(sorted(role.value for role in roles_of(user)))
    query = urlencode(sorted(request.GET.lists()), doseq=True)
    address = "\n".join(
        (
            translation.get_language() or "",
            timezone.get_current_timezone_name(),
            roles,
            request.path,
            query,
        )
    )
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"dashboards:member-page:{user.pk}:{digest}"


def member_page_cache(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve a signed-in member's own page from the shared cache while nothing it shows
    has changed (after the view's access check: put it below the access mark)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if (
            request.method != "GET"
            or not request.user.is_authenticated
            # A message is shown once; len() does not mark them as read.
            or len(get_messages(request)) > 0
        ):
            return view(request, *args, **kwargs)
        key = page_key(request)
        generation, cached = generation_and_page(key)
        if generation is None:
            return view(request, *args, **kwargs)
        # Read before the view runs: a page rendered from rows newer than this is kept
        # with the older fingerprint, and rendered again at the next visit.
        fingerprint = member_fingerprint(request.user)
        if cached is not None and cached[:2] == (generation, fingerprint):
            _generation, _fingerprint, content_type, pieces = cached
            return HttpResponse(with_own_token(request, pieces), content_type=content_type)
        response = view(request, *args, **kwargs)
        if keepable(request, response):
            pieces = CSRF_FIELD.split(response.content)
            content_type = response["Content-Type"]
            cache.set(key, (generation, fingerprint, content_type, pieces), PAGE_SECONDS)
        return response

    return wrapper
