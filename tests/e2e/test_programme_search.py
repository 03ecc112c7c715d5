"""Issue 16's search journey: a Dutch-speaking member in Limburg finds the right module
with a typo and with a synonym, on a phone and on a desktop."""

import re

import pytest
from playwright.sync_api import expect

from members.models import MemberProfile
from tests.e2e.conftest import AxeChecker
from tests.e2e.journeys import sign_in
from tests.factories import member
from tests.programme.factories import ModuleFactory, SessionFactory

SIZES = {"390px": {"width": 390, "height": 844}, "1280px": {"width": 1280, "height": 800}}


def _search(page, words: str) -> None:
    """Type in the catalogue's search field, unfolding the filter panel where a phone
    folds it."""
    panel = page.locator("#filter-panel")
    if panel.get_attribute("open") is None:
        panel.locator("summary").click()
    page.locator("form.catalogue-filters input[name=q]").fill(words)
    page.locator("form.catalogue-filters button[type=submit]").click()


@pytest.mark.parametrize("size", SIZES)
def test_a_dutch_speaking_member_in_limburg_finds_with_a_typo_and_a_synonym(
    live_server, browser, size
):
    near = ModuleFactory(
        title="Beter slapen, samen in Hasselt",
        language="nl",
        summary="Een workshop over slapen als je zelfstandige bent.",
    )
    SessionFactory(module=near, mode="in_person", province="VLI", venue="Hasselt")
    far = ModuleFactory(
        title="Beter slapen, samen in Gent",
        language="nl",
        summary="Een workshop over slapen als je zelfstandige bent.",
    )
    SessionFactory(module=far, mode="in_person", province="VOV", venue="Gent")
    ModuleFactory(title="Administratie de baas", language="nl", summary="Minder papierwerk.")
    person = member()
    MemberProfile.objects.filter(user=person).update(province="VLI")

    context = browser.new_context(viewport=SIZES[size], locale="nl-BE")
    page = context.new_page()
    axe = AxeChecker(page)
    try:
        sign_in(page, live_server, person, language="nl")
        page.goto(f"{live_server.url}/nl/programme/")

        # A typo ("slapne"): both workshops, the one in the member's province first.
        _search(page, "slapne")
        expect(page).to_have_url(re.compile(r"[?&]q=slapne"))
        cards = page.locator("#module-list h3")
        expect(cards).to_have_count(2)
        expect(cards.first).to_contain_text("Hasselt")
        expect(page.locator("form.catalogue-filters input[name=q]")).to_have_value("slapne")
        axe(f"catalogue searched with a typo, {size}")

        # A synonym ("slapeloosheid", sleeplessness) finds the same workshops.
        _search(page, "slapeloosheid")
        expect(cards).to_have_count(2)
        expect(cards.first).to_contain_text("Hasselt")
        axe(f"catalogue searched with a synonym, {size}")

        page.get_by_role("link", name="Beter slapen, samen in Hasselt").click()
        expect(page.locator("h1")).to_have_text("Beter slapen, samen in Hasselt")
        axe(f"module found, {size}")
    finally:
        context.close()
