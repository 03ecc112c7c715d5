"""Breadth-first crawl of the portal through the Django test client.

GET only, same host, under the language prefixes; redirects are followed as links.
Each route is visited a bounded number of times (a few objects, a few query
combinations), so a catalogue of hundreds of sessions costs what a dozen does.
"""

import re
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve
from django.utils import translation

from .page_checks import check_page

LANGUAGE_PREFIXES = ("fr", "nl", "en")
SKIPPED_ROUTES = frozenset({"account_logout"})
# Non-HTML answers the portal serves on purpose: fetched, never parsed.
DOWNLOAD_TYPES = ("text/calendar", "text/csv", "application/pdf")
MAX_PAGE_NUMBER = 3
WRITE = re.compile(r'^\s*(?:INSERT INTO|UPDATE|DELETE FROM)\s+"?(\w+)"?', re.IGNORECASE)


@dataclass
class Visit:
    url: str
    status: int
    referrer: str | None
    content_type: str = ""
    html: str = ""
    queries: int = 0
    writes: frozenset[str] = frozenset()


@dataclass
class CrawlResult:
    visits: dict[str, Visit] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def opened(self) -> list[Visit]:
        """The pages that answered 200, in the order they were visited."""
        return [visit for visit in self.visits.values() if visit.status == 200]

    def routes_opened(self) -> set[str]:
        return {route_of(visit.url.split("?")[0]) for visit in self.opened()}


def language_of(path: str) -> str | None:
    first = path.split("/")[1] if path.startswith("/") else ""
    return first if first in LANGUAGE_PREFIXES else None


def route_of(path: str) -> str:
    # Language prefixes only resolve in their own language.
    try:
        with translation.override(language_of(path)):
            return resolve(path).view_name
    except Resolver404:
        return "<unresolved>"


def without_prefix(path: str) -> str:
    """/fr/programme/manage/ -> /programme/manage/"""
    language = language_of(path)
    return path[len(language) + 1 :] if language else path


def canonical(href: str, base: str = "http://testserver/") -> str | None:
    """The crawl's key for a link: None when the crawl does not follow it."""
    parts = urlsplit(urljoin(base, href))
    if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", "testserver"):
        return None
    if language_of(parts.path) is None:
        return None
    query = sorted(parse_qsl(parts.query, keep_blank_values=True))
    page = dict(query).get("page", "1")
    if page.isdigit() and int(page) > MAX_PAGE_NUMBER:
        return None
    return parts.path + (f"?{urlencode(query)}" if query else "")


class Crawler:
    def __init__(
        self,
        client,
        *,
        max_pages: int = 400,
        per_route: int = 12,
        per_query_shape: int = 3,
    ):
        self.client = client
        self.max_pages = max_pages
        self.per_route = per_route
        self.per_query_shape = per_query_shape
        self.result = CrawlResult()
        self._queue: deque[tuple[str, str | None]] = deque()
        self._seen: set[str] = set()
        self._routes: Counter = Counter()
        self._shapes: Counter = Counter()

    def crawl(self, start_urls: list[str]) -> CrawlResult:
        started = time.monotonic()
        for url in start_urls:
            self._enqueue(url, referrer=None)
        while self._queue and len(self.result.visits) < self.max_pages:
            url, referrer = self._queue.popleft()
            self._visit(url, referrer)
        self.result.seconds = time.monotonic() - started
        return self.result

    def _enqueue(self, href: str, referrer: str | None) -> None:
        url = canonical(href, referrer or "http://testserver/")
        if url is None or url in self._seen:
            return
        path, _, query = url.partition("?")
        route = route_of(path)
        if route in SKIPPED_ROUTES:
            return
        route_key = (language_of(path), route)
        shape_key = (route_key, frozenset(key for key, _ in parse_qsl(query)))
        if self._routes[route_key] >= self.per_route:
            return
        if query and self._shapes[shape_key] >= self.per_query_shape:
            return
        self._seen.add(url)
        self._routes[route_key] += 1
        self._shapes[shape_key] += 1
        self._queue.append((url, referrer))

    def _visit(self, url: str, referrer: str | None) -> None:
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        content_type = response.get("Content-Type", "").split(";")[0].strip()
        visit = Visit(url, response.status_code, referrer, content_type, queries=len(queries))
        visit.writes = frozenset(
            match[1] for query in queries if (match := WRITE.match(query["sql"]))
        )
        self.result.visits[url] = visit
        where = f"{url} (linked from {referrer or 'the start'})"
        if response.status_code >= 500:
            self.result.problems.append(f"{where}: status {response.status_code}")
            return
        if response.status_code == 404:
            self.result.problems.append(f"{where}: broken link, status 404")
            return
        if response.status_code in (301, 302, 303, 307, 308):
            self._enqueue(response["Location"], referrer=url)
            return
        if response.status_code not in (200, 403):
            return
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if content_type != "text/html":
            if content_type not in DOWNLOAD_TYPES or not body or response.status_code != 200:
                self.result.problems.append(f"{where}: unexpected {content_type!r} answer")
            return
        html = body.decode(response.charset or "utf-8")
        if response.status_code == 200:
            visit.html = html
        language = language_of(url)
        problems, page = check_page(html, expected_lang=language)
        self.result.problems.extend(f"{where}: {problem}" for problem in problems)
        for href in page.links:
            if self._is_translation(href, url):
                continue  # the language switcher: the same page, crawled in its own language
            self._check_language(href, url, language)
            self._enqueue(href, referrer=url)
        for form in page.get_forms:
            action = urljoin(url, form.action or url).split("?")[0]
            query = urlencode(form.values)
            self._enqueue(f"{action}?{query}" if query else action, referrer=url)

    @staticmethod
    def _is_translation(href: str, url: str) -> bool:
        """A link to this very address (path and query) under another language prefix."""
        target = canonical(href, url)
        return (
            target is not None and target != url and without_prefix(target) == without_prefix(url)
        )

    def _check_language(self, href: str, url: str, language: str) -> None:
        target = canonical(href, url)
        if target and language_of(target) != language:
            self.result.problems.append(f"{url}: a /{language}/ page links to {target}")
