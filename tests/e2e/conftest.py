"""Browser journeys: Playwright drives Debian's Chromium against the live test server."""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error as PlaywrightError

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests
# make around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Debian's headless shell (`make browser`) when it is there: the same Blink without the
# full browser's interface, which costs the journeys (bound by CPU) twice the time in
# Chromium. The full browser otherwise, as a developer may have only that one.
HEADLESS_SHELL = Path("/usr/lib/chromium/chromium-headless-shell")
CHROMIUM = os.environ.get(
    "CHROMIUM_PATH", str(HEADLESS_SHELL) if HEADLESS_SHELL.exists() else "/usr/bin/chromium"
)
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Every rule of those tags runs and every violating node is reported; the passes, the
# incomplete and the inapplicable (which no test reads) come back with one node each
# instead of all of them: a sixth less time per check.
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
# CSS transitions are animations to the script; an endless one cannot finish and is left alone.
FINISH_TRANSITIONS = """() => document.getAnimations().forEach((animation) => {
    try { animation.finish(); } catch (error) { /* infinite */ }
})"""


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.django_db(transaction=True))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-background-networking",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def csp_violations(page):
    """Console errors the Content-Security-Policy raised; a journey expects none."""
    seen: list[str] = []
    page.on(
        "console",
        lambda message: (
            seen.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return seen


class AxeChecker:
    def __init__(self, page):
        self.page = page
        self.axe = Axe()
        self.pages_checked: list[str] = []

    def __call__(self, label: str = "") -> None:
        # A click's navigation may still be under way: axe on a document being replaced fails
        # with "Cannot read properties of null", which says nothing about the page.
        self.page.wait_for_load_state("load")
        try:
            results = self._run()
        except PlaywrightError as error:
            if "documentElement" not in str(error) and "context was destroyed" not in str(error):
                raise
            # The navigation started after the wait above: check the page it lands on.
            self.page.wait_for_load_state("load")
            results = self._run()
        self.pages_checked.append(self.page.url)
        violations = results.response["violations"]
        assert not violations, f"axe on {label or self.page.url}:\n" + "\n".join(
            f"- {v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(node["target"][0] for node in v["nodes"][:3])
            for v in violations
        )

    def _run(self):
        # A colour half-way through a transition (a button just clicked, still under the
        # pointer) is not the page's colour: end running transitions before axe reads any.
        self.page.evaluate(FINISH_TRANSITIONS)
        return self.axe.run(self.page, options=AXE_OPTIONS)


@pytest.fixture
def axe(page):
    return AxeChecker(page)


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A Belgian French-speaking browser, as most members have.
    return {**browser_context_args, "locale": "fr-BE", "timezone_id": "Europe/Brussels"}


@pytest.fixture(autouse=True)
def _public_address_is_the_live_server(request, settings):
    """Links in e-mails (allauth's included) point at PORTAL_BASE_URL: here, the browser's
    live server, so a journey can follow them."""
    if "live_server" in request.fixturenames:
        live_server = request.getfixturevalue("live_server")
        settings.PORTAL_BASE_URL = live_server.url
        from common.sites import site_sync

        site_sync()
