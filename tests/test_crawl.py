"""Site-wide smoke test: crawl the demo portal as every role and check every page.

What no app's own tests see: a link from one app's page to another's that 404s or
500s, a shared template that loses its h1 or picks up an inline style, a page in the
wrong language, a page nobody links to, a private area or a private detail that
reaches a role that must never see it. The crawls follow links (GET only) from the
home page, the role's home and the links of the e-mails the demo sends.
"""

import io
import re
from dataclasses import dataclass

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import Client, TestCase, override_settings

from common.helplines import HELP_LINES
from members.models import User
from tests.crawl.crawler import (
    Crawler,
    CrawlResult,
    canonical,
    language_of,
    route_of,
    without_prefix,
)
from tests.crawl.page_checks import check_page
from tests.crawl.tampering import MARKUP, tampered_urls

LOCMEM = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
URL_IN_TEXT = re.compile(r"https?://[^\s\"'<>]+")


@dataclass(frozen=True)
class Crawl:
    role: str
    email: str | None
    start: tuple[str, ...]


CRAWLS = {
    "visitor-fr": Crawl("visitor", None, ("/fr/",)),
    "visitor-nl": Crawl("visitor", None, ("/nl/",)),
    "visitor-en": Crawl("visitor", None, ("/en/",)),
    "member": Crawl("member", "membre@demo.example", ("/fr/", "/fr/dashboard/")),
    "member-nl": Crawl("member", "lid@demo.example", ("/nl/", "/nl/dashboard/")),
    "ambassador": Crawl("ambassador", "ambassadeur@demo.example", ("/fr/", "/fr/dashboard/")),
    "advisor": Crawl("advisor", "conseillere@demo.example", ("/fr/", "/fr/dashboard/")),
    "manager": Crawl("manager", "gestionnaire@demo.example", ("/fr/", "/fr/dashboard/")),
}
ACCOUNTS = {name: crawl for name, crawl in CRAWLS.items() if crawl.email}

# Pages each role must find by following links: a page nobody links to is a page
# nobody uses. Form-only (POST) routes are left out, and so are the exports behind
# allauth's reauthentication (a member's data file, a session's attendees), which a
# crawl reaches only as the password page.
PUBLIC_ROUTES = {
    "home",
    "programme:catalogue",
    "programme:module-detail",
    "programme:session-detail",
    "programme:session-ics",
    "assessments:hub",
    "assessments:take",
    "referrals:directory",
    # "Talk to someone", in every header.
    "referrals:talk",
}
SIGNED_IN_ROUTES = PUBLIC_ROUTES | {
    "members:profile",
    "members:privacy",
    "account_email",
    "account_change_password",
    "mfa_index",
}
MEMBER_ROUTES = SIGNED_IN_ROUTES | {
    "dashboards:member",
    "dashboards:parcours",
    "programme:calendar",
    "assessments:history",
    "referrals:request-create",
    "referrals:my-cases",
}
EXPECTED_ROUTES = {
    "visitor-fr": PUBLIC_ROUTES | {"account_login", "account_signup", "account_reset_password"},
    # Sophie has kept results; Pieter has none.
    "member": MEMBER_ROUTES | {"assessments:result-detail"},
    "member-nl": MEMBER_ROUTES,
    "ambassador": SIGNED_IN_ROUTES
    | {"dashboards:ambassador", "referrals:signal-create", "referrals:my-signals"},
    "advisor": SIGNED_IN_ROUTES
    | {
        "dashboards:advisor",
        "referrals:queue",
        "referrals:case-detail",
        "referrals:case-result",
        "referrals:alert-settings",
    },
    "manager": SIGNED_IN_ROUTES
    | {
        "dashboards:manager",
        "programme:manage-sessions",
        "programme:manage-session",
        "programme:manage-session-new",
        "programme:manage-session-edit",
        "programme:manage-modules",
        "programme:manage-module-new",
        "programme:manage-module-edit",
        "programme:manage-themes",
        "programme:manage-theme-edit",
        "surveys:manage-feedback",
        "surveys:manage-campaigns",
        "surveys:manage-campaign",
        "referrals:partner-list",
        "referrals:partner-edit",
        "referrals:partner-staff",
        "referrals:partner-import",
        "notifications:delivery-list",
    },
}
EXPECTED_ROUTES["visitor-nl"] = EXPECTED_ROUTES["visitor-en"] = EXPECTED_ROUTES["visitor-fr"]

# Other roles' spaces (paths after the language prefix): a crawl never opens them.
STAFF_SPACES = (
    "/listening-cell/queue/",
    "/listening-cell/cases/",
    "/listening-cell/alerts/",
    "/listening-cell/staff/",
    "/programme/manage/",
    "/messages/staff/",
)
CLOSED_SPACES = {
    "visitor": STAFF_SPACES
    + ("/dashboard/", "/me/", "/self-assessments/history/", "/self-assessments/results/")
    + ("/listening-cell/request/", "/listening-cell/my-", "/listening-cell/signal/"),
    "member": STAFF_SPACES
    + ("/listening-cell/signal/", "/listening-cell/my-signals/")
    + ("/dashboard/ambassador/", "/dashboard/advisor/", "/dashboard/manager/"),
    "ambassador": STAFF_SPACES
    + ("/self-assessments/results/", "/listening-cell/request/", "/listening-cell/my-requests/")
    + ("/dashboard/member/", "/dashboard/parcours/", "/dashboard/advisor/", "/dashboard/manager/"),
    "advisor": ("/programme/manage/", "/messages/staff/", "/listening-cell/staff/")
    + ("/self-assessments/results/",)
    + ("/dashboard/member/", "/dashboard/ambassador/", "/dashboard/manager/"),
    "manager": ("/listening-cell/queue/", "/listening-cell/cases/", "/listening-cell/alerts/")
    + ("/self-assessments/results/",)
    + ("/dashboard/member/", "/dashboard/ambassador/", "/dashboard/advisor/"),
}

# Private details of the demo (demo/referrals.py) and who may read them: a member's
# words and phone number reach that member and the listening cell, an advisor's case
# note the listening cell alone, an ambassador's signal the ambassador and the cell.
PRIVATE_DETAILS = {
    "Proposer Evoluno et": {"advisor"},
    "Je dors mal depuis la rentr": {"member", "advisor"},
    "Sinds de sluiting van mijn zaak": {"member-nl", "advisor"},
    "0486 55 44 33": {"member-nl", "advisor"},
    "Parle de déposer le bilan": {"ambassador", "advisor"},
    "0478 11 22 33": {"ambassador", "advisor"},
    # The demo's guest callback: the listening cell alone.
    "alex.guest@demo.example": {"advisor"},
    "0492 76 54 32": {"advisor"},
    "membre@demo.example": {"member", "advisor", "manager"},
    "lid@demo.example": {"member-nl", "advisor", "manager"},
    "participant01@demo.example": {"manager"},
}

# Pages that belong to one account (owner) or to one role: any other account, and a
# visitor, is refused them.
PRIVATE_PAGES = (
    (re.compile(r"^/self-assessments/results/\d+/"), "owner"),
    (re.compile(r"^/listening-cell/(cases|queue|alerts)/"), "role"),
    (re.compile(r"^/listening-cell/my-(requests|signals)/"), "role"),
    (re.compile(r"^/listening-cell/staff/"), "role"),
    (re.compile(r"^/programme/manage/"), "role"),
    (re.compile(r"^/messages/staff/"), "role"),
    (re.compile(r"^/dashboard/(member|ambassador|advisor|manager|parcours)/"), "role"),
)
PROBES_PER_ROUTE = 2
HELP_LINE_LINKS = tuple(line.tel_uri for line in HELP_LINES)
MAX_QUERIES_PER_PAGE = 25
# Opening a partner's tool (programme:tool-open) adds one to an anonymous monthly count.
WRITABLE_ON_GET = frozenset(
    {
        "django_session",
        "programme_calendarfeed",
        "programme_toolopening",
        "referrals_caseaccess",
    }
)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo programme, seeded once for the module and rolled back after it.

    Returns the links of the e-mails the demo and one message sweep sent, by recipient.
    """
    from wellbeing.celery import app as celery_app

    # CI sets REDIS_URL: tasks must still run here, in-process.
    was_eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    try:
        with (
            django_db_blocker.unblock(),
            override_settings(MAILERS=LOCMEM),
            transaction.atomic(),
        ):
            mail.outbox = []
            with TestCase.captureOnCommitCallbacks(execute=True):
                call_command("seed_demo", force=True, stdout=io.StringIO())
            with TestCase.captureOnCommitCallbacks(execute=True):
                call_command("send_due_messages", stdout=io.StringIO())
            # Advisors and managers must have an authenticator app to get past the login.
            for crawl in ACCOUNTS.values():
                user = User.objects.get(email=crawl.email)
                if crawl.role in ("advisor", "manager") and not (
                    Authenticator.objects.filter(user=user).exists()
                ):
                    TOTP.activate(user, generate_totp_secret())
            yield _email_links(mail.outbox)
            transaction.set_rollback(True)
    finally:
        celery_app.conf.task_always_eager = was_eager


def _email_links(outbox) -> dict[str, list[str]]:
    links: dict[str, list[str]] = {}
    base = settings.PORTAL_BASE_URL.rstrip("/")
    for message in outbox:
        found = [u.rstrip(".,;)") for u in URL_IN_TEXT.findall(message.body)]
        for recipient in message.to:
            links.setdefault(recipient, []).extend(
                url.removeprefix(base) for url in found if url.startswith(base + "/")
            )
    return links


def signed_in_client(email: str | None) -> Client:
    client = Client()
    if email:
        client.force_login(User.objects.get(email=email))
    return client


@pytest.fixture(scope="module")
def crawls(demo):
    """Each crawl runs once, whichever test asks for it first."""
    done: dict[str, CrawlResult] = {}

    def get(name: str) -> CrawlResult:
        if name not in done:
            crawl = CRAWLS[name]
            start = [*crawl.start, *demo.get(crawl.email, [])]
            done[name] = Crawler(signed_in_client(crawl.email)).crawl(start)
            print(f"{name}: {len(done[name].visits)} pages in {done[name].seconds:.1f}s")
        return done[name]

    return get


@pytest.mark.parametrize("name", CRAWLS)
def test_every_page_is_sound(name, crawls, db):
    """No error, no broken link; language, one h1, a title, CSP and labels on every page."""
    result = crawls(name)
    assert len(result.opened()) > 20, "the crawl stopped early"
    assert not result.problems, "\n".join(result.problems)


@pytest.mark.parametrize("name", CRAWLS)
def test_every_page_shows_the_help_lines(name, crawls, db):
    """Whatever page someone in distress lands on, the crisis lines are one tap away."""
    without = [
        visit.url
        for visit in crawls(name).opened()
        if visit.html and not all(f'href="{tel}"' in visit.html for tel in HELP_LINE_LINKS)
    ]
    assert not without, without


@pytest.mark.parametrize("name", CRAWLS)
def test_no_page_runs_a_query_per_row(name, crawls, db):
    """The demo has dozens of sessions and modules: a page that queries per row shows."""
    heavy = [
        f"{visit.url}: {visit.queries} queries"
        for visit in crawls(name).visits.values()
        if visit.queries > MAX_QUERIES_PER_PAGE
    ]
    assert not heavy, "\n".join(heavy)


@pytest.mark.parametrize("name", CRAWLS)
def test_following_links_changes_nothing_but_logs(name, crawls, db):
    """A GET may open a session, create the member's calendar address on first view and
    log a staff read of a case; anything else it writes, a link prefetcher would too."""
    writes = [
        f"{visit.url} writes to {sorted(visit.writes - WRITABLE_ON_GET)}"
        for visit in crawls(name).visits.values()
        if visit.writes - WRITABLE_ON_GET
    ]
    assert not writes, "\n".join(writes)


@pytest.mark.parametrize("name", CRAWLS)
def test_every_role_finds_its_pages_by_following_links(name, crawls, db):
    missing = EXPECTED_ROUTES[name] - crawls(name).routes_opened()
    assert not missing, f"no link leads {name} to {sorted(missing)}"


@pytest.mark.parametrize("name", CRAWLS)
def test_no_crawl_opens_another_roles_space(name, crawls, db):
    closed = CLOSED_SPACES[CRAWLS[name].role]
    opened = [
        visit.url for visit in crawls(name).opened() if without_prefix(visit.url).startswith(closed)
    ]
    assert not opened, f"{name} opened {opened}"


@pytest.mark.parametrize("name", CRAWLS)
def test_no_crawl_reads_another_persons_private_details(name, crawls, db):
    leaks = [
        f"{visit.url}: {detail!r}"
        for visit in crawls(name).opened()
        for detail, readers in PRIVATE_DETAILS.items()
        if name not in readers and detail in visit.html
    ]
    assert not leaks, "\n".join(leaks)


@pytest.mark.parametrize("name", ["visitor-fr", *ACCOUNTS])
def test_junk_in_addresses_gets_an_answer_not_an_error(name, crawls, db):
    """Bad input in a URL is a 404, a redirect or a page with a message; never a 500, and
    never markup echoed unescaped."""
    client = signed_in_client(CRAWLS[name].email)
    urls = tampered_urls([visit.url for visit in crawls(name).opened()])
    failures = []
    for url in urls:
        response = client.get(url)
        if response.status_code >= 500:
            failures.append(f"{url}: status {response.status_code}")
        elif not response.streaming and MARKUP.encode() in response.content:
            failures.append(f"{url}: echoes {MARKUP} unescaped")
    assert urls
    assert not failures, "\n".join(failures)


def test_private_details_are_there_to_be_found(crawls, db):
    """Each detail above reaches one of its readers, or its absence elsewhere proves nothing."""
    unseen = [
        detail
        for detail, readers in PRIVATE_DETAILS.items()
        if not any(detail in visit.html for name in readers for visit in crawls(name).opened())
    ]
    assert not unseen


def test_the_links_in_the_demos_emails_open_for_their_recipient(demo, crawls, db):
    followed = 0
    for name, crawl in ACCOUNTS.items():
        for link in demo.get(crawl.email, []):
            visit = crawls(name).visits.get(canonical(link))
            assert visit is not None and visit.status in (200, 302), (name, link, visit)
            followed += 1
    assert followed >= 3, "the demo's message sweep sent fewer e-mails than it used to"


@pytest.mark.parametrize("owner", ACCOUNTS)
def test_private_pages_refuse_every_other_account(owner, crawls, db):
    """What one account opened in its private space, others (and a visitor) cannot open."""
    samples = _private_samples(crawls(owner))
    assert samples, f"{owner} opened no private page"
    owner_role = CRAWLS[owner].role
    opened = []
    for name, crawl in [("visitor", None), *((n, c) for n, c in ACCOUNTS.items() if n != owner)]:
        refused = [
            url
            for url, scope in samples
            if scope == "owner" or crawl is None or crawl.role != owner_role
        ]
        client = signed_in_client(crawl.email if crawl else None)
        for url in refused:
            response = client.get(url)
            if response.status_code == 200:
                opened.append(f"{name} opened {url}")
            elif response.status_code in (403, 404):
                # The refusal is a page of the portal too.
                problems, _page = check_page(response.content.decode(), language_of(url))
                opened += [f"{name}, refused {url}: {problem}" for problem in problems]
    assert not opened, "\n".join(opened)


def _private_samples(result: CrawlResult) -> list[tuple[str, str]]:
    samples: list[tuple[str, str]] = []
    per_route: dict[str, int] = {}
    for visit in result.opened():
        path = without_prefix(visit.url)
        scope = next((scope for pattern, scope in PRIVATE_PAGES if pattern.match(path)), None)
        route = route_of(visit.url.split("?")[0])
        if scope and per_route.get(route, 0) < PROBES_PER_ROUTE:
            per_route[route] = per_route.get(route, 0) + 1
            samples.append((visit.url, scope))
    return samples
