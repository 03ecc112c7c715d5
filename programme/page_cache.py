"""The public catalogue pages (home, catalogue, module) kept whole in the shared cache
for visitors who are not signed in.

Visitors see the same page for the same address and language, so the first visitor's
page serves the next ones until the catalogue changes. One number in the cache, the
catalogue's generation, is read with every page (one round trip for both) and kept
beside it: any change to a theme, module, session (seat counts live on the session
row) or the search synonyms bumps it, and a page of an older generation is rendered
again. Bumping on every saved row rather than in chosen services also covers the
admin, the demo seed and the tests' factories; a bulk `QuerySet.update()` on these
tables must call `catalogue_changed()` itself. `catalogue_cached()` keeps other reads
that depend on the catalogue only (the recommended modules) the same way.

What is not shared between visitors:
- a signed-in user's page, a page with messages waiting, an answer other than 200:
  never read from or written to the cache;
- the CSRF token of a form that posts, should one of these pages have one (the language
  switcher is made of links, and the search form is a GET): the cached page keeps the
  HTML around the token fields, each answer puts the visitor's own token in;
- the Content-Security-Policy header: set on each answer by the middleware, and the
  policy uses no nonce (the templates have no inline script or style).

While Redis is unreachable (common.cache falls back to each process's memory) pages
are neither read nor written: a change made in one process could not reach the others'.
A change made during an outage shorter than PAGE_SECONDS may show that much later.
"""

import hashlib
import re
import time
from collections.abc import Callable
from contextlib import suppress
from functools import wraps

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import translation
from django.utils.http import urlencode

from .models import Module, SearchSynonyms, Session, SessionMaterial, Theme

GENERATION_KEY = "programme:catalogue-generation"
# What may go stale without a change to the catalogue: a session starting or its
# registration closing (the enrolment service refuses it anyway), shown at most this
# many seconds late.
PAGE_SECONDS = 60
# Django's {% csrf_token %}: one field per form, the same token in each.
CSRF_FIELD = re.compile(rb'<input type="hidden" name="csrfmiddlewaretoken" value="[^"]*">')


def generation_and_page(key: str) -> tuple[int | None, tuple | None]:
    """The current generation and the page (or value) kept under `key`, in one round
    trip; the generation is None while the shared cache is unreachable."""
    found = cache.get_many([GENERATION_KEY, key])
    generation = found.get(GENERATION_KEY)
    if generation is None:
        # Evicted or never set: start from the clock, so that a generation lost with
        # Redis's memory never comes back to numbers used before.
        cache.add(GENERATION_KEY, time.time_ns() // 1000, timeout=None)
        generation = cache.get(GENERATION_KEY)
    if generation is None or getattr(cache, "is_degraded", False):
        return None, None
    return generation, found.get(key)


def catalogue_cached[T](name: str, arguments: tuple, compute: Callable[[], T]) -> T:
    """What `compute()` returns for these arguments, kept in the shared cache until the
    catalogue changes: for reads that depend on the catalogue and their arguments only,
    never on who asks (the member's language and province are arguments)."""
    digest = hashlib.sha256(repr(arguments).encode()).hexdigest()
    key = f"programme:{name}:{digest}"
    generation, cached = generation_and_page(key)
    if generation is None:
        return compute()
    if cached is not None and cached[0] == generation:
        return cached[1]
    value = compute()
    cache.set(key, (generation, value), PAGE_SECONDS)
    return value


def _bump() -> None:
    # Not in the cache: the next reader starts a new one.
    with suppress(ValueError):
        cache.incr(GENERATION_KEY)


def catalogue_changed() -> None:
    """What visitors see of the catalogue has changed: bump the generation now (this
    process reads its own change at once) and again once the transaction commits (a page
    rendered from the old rows in between is not kept)."""
    _bump()
    transaction.on_commit(_bump)


def _on_change(sender, **kwargs) -> None:
    catalogue_changed()


def connect_signals() -> None:
    for model in (Theme, Module, Session, SearchSynonyms, SessionMaterial):
        post_save.connect(_on_change, sender=model, dispatch_uid=f"page_cache_save_{model}")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"page_cache_del_{model}")
    m2m_changed.connect(_on_change, sender=Module.themes.through, dispatch_uid="page_cache_m2m")


def _served_from_cache(request: HttpRequest) -> bool:
    return (
        request.method == "GET"
        and not request.user.is_authenticated
        # A message (e.g. "You have signed out.") is the visitor's own; len() does not
        # mark them as read.
        and len(get_messages(request)) == 0
    )


def page_key(request: HttpRequest) -> str:
    """Language, path and the query with its parameters sorted: `?b=1&a=2` is `?a=2&b=1`."""
    query = urlencode(sorted(request.GET.lists()), doseq=True)
    address = f"{translation.get_language()}\n{request.path}\n{query}"
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"programme:page:{digest}"


def with_own_token(request: HttpRequest, pieces: list[bytes]) -> bytes:
    if len(pieces) == 1:
        # No form on the page (the public pages have none that posts): no token to put
        # in, and none to make, so the visitor gets no CSRF cookie either.
        return pieces[0]
    field = f'<input type="hidden" name="csrfmiddlewaretoken" value="{get_token(request)}">'
    return field.encode().join(pieces)


def keepable(request: HttpRequest, response: HttpResponse) -> bool:
    """An answer that may be kept and served again: a whole page that sets no cookie and
    shows no message (messages are someone's own, shown once)."""
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and len(get_messages(request)) == 0
    )


def anonymous_page_cache(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve the view's page to visitors who are not signed in from the shared cache."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _served_from_cache(request):
            return view(request, *args, **kwargs)
        key = page_key(request)
        generation, cached = generation_and_page(key)
        if generation is None:
            return view(request, *args, **kwargs)
        if cached is not None and cached[0] == generation:
            _generation, content_type, pieces = cached
            return HttpResponse(with_own_token(request, pieces), content_type=content_type)
        response = view(request, *args, **kwargs)
        if keepable(request, response):
            pieces = CSRF_FIELD.split(response.content)
            # Kept with the generation it was rendered in (read before the view ran): a
            # page rendered from rows older than the latest change is never served.
            cache.set(key, (generation, response["Content-Type"], pieces), PAGE_SECONDS)
        return response

    return wrapper
