"""A manager links the Dutch version of a module; a member on the French page follows
"Aussi en néerlandais"."""

import re

import pytest
from playwright.sync_api import expect

from members.roles import Role
from programme.models import Module
from tests.e2e.conftest import AxeChecker
from tests.e2e.journeys import sign_in
from tests.factories import member, staff
from tests.programme.factories import ModuleFactory


@pytest.mark.parametrize("width", [390, 1280])
def test_a_manager_links_the_dutch_version_and_a_member_follows_it(live_server, browser, width):
    fr = ModuleFactory(title="Gérer son stress", slug="gerer-son-stress", language="fr")
    nl = ModuleFactory(title="Stress beheersen", slug="stress-beheersen", language="nl")
    ModuleFactory(title="Un autre module en français", language="fr")
    viewport = {"width": width, "height": 900}

    staff_side = browser.new_context(viewport=viewport, locale="en-BE")
    page = staff_side.new_page()
    axe = AxeChecker(page)
    sign_in(page, live_server, staff(Role.PROGRAMME_MANAGER))
    page.goto(f"{live_server.url}/en/programme/manage/modules/{fr.pk}/edit/")
    versions = page.locator("#versions")
    expect(versions).to_contain_text("No version in another language is linked yet.")
    axe("module edit page, no versions")
    versions.get_by_label("Module in another language").select_option(
        label="Stress beheersen (Dutch)"
    )
    versions.get_by_role("button", name="Link this version").click()
    page.wait_for_url(re.compile(rf"/manage/modules/{fr.pk}/edit/#versions$"))
    expect(page.locator(".alert-success")).to_contain_text("“Stress beheersen” is now linked")
    expect(page.locator("#version-list")).to_contain_text("Stress beheersen")
    axe("module edit page, the Dutch version linked")
    staff_side.close()
    assert Module.objects.get(pk=nl.pk).version_group_id is not None

    member_side = browser.new_context(viewport=viewport, locale="fr-BE")
    page = member_side.new_page()
    axe = AxeChecker(page)
    sign_in(page, live_server, member(), language="fr")
    page.goto(f"{live_server.url}/fr/programme/")
    # One card for the content, in the member's language, with a badge to the other.
    expect(page.locator(".module-card")).to_have_count(2)
    card = page.locator(".module-card", has_text="Gérer son stress")
    expect(card.get_by_role("link", name=re.compile("Aussi en néerlandais"))).to_have_attribute(
        "hreflang", "nl"
    )
    expect(page.locator(".module-card", has_text="Stress beheersen")).to_have_count(0)
    axe("catalogue with a badge to the Dutch version")

    card.get_by_role("link", name="Gérer son stress", exact=True).click()
    page.wait_for_url(re.compile(r"/fr/programme/modules/gerer-son-stress/$"))
    other = page.locator(".module-versions")
    expect(other).to_contain_text("Aussi en néerlandais")
    link = other.get_by_role("link", name="Stress beheersen")
    expect(link).to_have_attribute("lang", "nl")
    expect(link).to_have_attribute("hreflang", "nl")
    axe("French module page offering the Dutch version")
    link.click()
    page.wait_for_url(re.compile(r"/fr/programme/modules/stress-beheersen/$"))
    expect(page.locator("h1")).to_have_text("Stress beheersen")
    expect(page.locator(".module-versions")).to_contain_text("Aussi en français")
    axe("Dutch module page offering the French version")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    member_side.close()
