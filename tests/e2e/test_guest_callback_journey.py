"""A visitor in distress, on a phone, without an account: from the home page to a
confirmed callback in three screens (home, "Talk to someone", confirmation). Every
page is checked with axe and for CSP."""

import re

import pytest
from playwright.sync_api import expect

from members.roles import Role
from referrals.models import Case
from tests.e2e.conftest import AxeChecker
from tests.e2e.journeys import log_in
from tests.factories import member, staff

PHONE = {"width": 390, "height": 844}


def control_on_first_screen(page) -> None:
    control = page.locator("header").get_by_role("link", name="Talk to someone")
    expect(control).to_be_visible()
    box = control.bounding_box()
    viewport = page.viewport_size
    assert box is not None
    assert box["y"] + box["height"] <= viewport["height"]
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]


def test_a_visitor_is_called_back_in_three_screens(live_server, browser, settings):
    settings.LISTENING_CELL_PHONE = "02 000 12 34"
    context = browser.new_context(viewport=PHONE, is_mobile=True, locale="en-GB")
    page = context.new_page()
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    axe = AxeChecker(page)

    # Screen 1: the public home page.
    page.goto(f"{live_server.url}/en/")
    control_on_first_screen(page)
    axe("home")
    page.locator("header").get_by_role("link", name="Talk to someone").click()

    # Screen 2: the lines, the cell, the form.
    expect(page).to_have_url(re.compile(r"/en/listening-cell/talk/$"))
    expect(page.locator("h1")).to_have_text("Talk to someone")
    expect(page.locator("main a[href='tel:080032123']")).to_be_visible()
    expect(page.locator("main a[href='tel:020001234']")).to_be_visible()
    axe("talk page")
    page.get_by_label("Your first name or a pseudonym").fill("Alex")
    page.get_by_label("Phone", exact=True).fill("12345")
    page.get_by_label("A short note for whoever calls you (optional)").fill("After 6 pm")
    page.get_by_label("It is urgent for me").check()
    page.get_by_role("button", name="Call me back").click()
    # A mistake keeps what was typed, and says what to change beside the field.
    expect(page.locator("#id_phone")).to_have_class(re.compile("is-invalid"))
    expect(page.get_by_label("Your first name or a pseudonym")).to_have_value("Alex")
    expect(page.get_by_label("It is urgent for me")).to_be_checked()
    axe("talk page with an error")
    page.get_by_label("Phone", exact=True).fill("0470 12 34 56")
    page.get_by_role("button", name="Call me back").click()

    # Screen 3: the confirmation.
    expect(page).to_have_url(re.compile(r"/en/listening-cell/talk/sent/$"))
    case = Case.objects.get()
    expect(page.locator("main")).to_contain_text(case.reference)
    expect(page.locator("main a[href='tel:1813']")).to_be_visible()
    axe("confirmation")
    assert len(set(axe.pages_checked)) == 3
    assert (case.source, case.member, case.contact_phone, case.urgency) == (
        "guest",
        None,
        "+32470123456",
        3,
    )
    assert violations == []
    context.close()


@pytest.mark.parametrize("size", [{"width": 360, "height": 640}, {"width": 1280, "height": 800}])
def test_the_control_is_on_the_first_screen_signed_in_or_not(live_server, browser, size):
    advisor = staff(Role.ADVISOR)
    context = browser.new_context(viewport=size, locale="en-GB")
    page = context.new_page()
    for url in ("/en/", "/en/programme/", "/en/listening-cell/partners/"):
        page.goto(live_server.url + url)
        control_on_first_screen(page)
    for person in (member(), advisor):
        log_in(page, live_server, person)
        control_on_first_screen(page)
        page.goto(f"{live_server.url}/en/me/profile/")
        control_on_first_screen(page)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0
        context.clear_cookies()
    context.close()
