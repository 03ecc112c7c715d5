"""The advisors' desk in the browser: someone phones the cell, the advisor opens a case for
them from the queue's first screen, corrects what the form refused, and finds the case in
their own queue, its source in words; on a phone and on a desktop, axe clean."""

import re

import pytest
from playwright.sync_api import expect

from members.roles import Role
from referrals.models import Case
from tests.factories import staff

from .journeys import sign_in

VIEWPORTS = {"390": {"width": 390, "height": 844}, "1280": {"width": 1280, "height": 800}}


@pytest.mark.parametrize("width", VIEWPORTS)
def test_an_advisor_opens_a_case_for_a_caller_and_finds_it_in_their_queue(
    live_server, browser, axe, width
):
    advisor = staff(Role.ADVISOR, first_name="Camille", last_name="Renard")
    context = browser.new_context(viewport=VIEWPORTS[width], locale="en-GB")
    page = context.new_page()
    axe.page = page
    sign_in(page, live_server, advisor)
    page.goto(f"{live_server.url}/en/listening-cell/queue/")

    button = page.get_by_role("link", name="Open a case for a caller")
    expect(button).to_be_visible()
    # On the first screen, without scrolling, on a phone too.
    box = button.bounding_box()
    assert box is not None and box["y"] + box["height"] <= VIEWPORTS[width]["height"]
    axe("queue with the button")

    button.click()
    page.wait_for_url(re.compile(r"/listening-cell/cases/new/$"))
    expect(page.get_by_role("heading", name="Open a case for a caller")).to_be_visible()
    axe("empty form")

    # Sent without the person's agreement nor a way to reach them: told why, nothing opened.
    page.locator("#id_name").fill("Sofie Peeters")
    page.get_by_role("button", name="Open the case").click()
    page.wait_for_load_state("load")
    expect(page.locator("#div_id_agreement_confirmed")).to_contain_text("agreed to it")
    expect(page.locator("#div_id_phone")).to_contain_text(
        "Give a phone number or an e-mail address."
    )
    assert not Case.objects.exists()
    axe("form with errors")

    page.get_by_label(re.compile("The person agreed, during our conversation")).check()
    page.get_by_role("group", name="How did the person come in?").get_by_label("Phone call").check()
    page.get_by_label("Sleep").check()
    page.get_by_label("Within the week would be good").check()
    page.locator("#id_phone").fill("0470 12 34 56")
    page.locator("#id_language").select_option(value="nl")
    page.locator("#id_region").select_option(value="VAN")
    page.locator("#id_message").fill("Calls back after 6 pm.")
    page.get_by_role("button", name="Open the case").click()
    page.wait_for_url(re.compile(r"/listening-cell/cases/\d+/$"))
    case = Case.objects.get()
    expect(page.locator(".alert-success")).to_contain_text("The case is open, and it is yours.")
    expect(page.locator("#case-source")).to_have_text("Opened by an advisor — phone call")
    expect(page.get_by_text("Held by Camille Renard")).to_be_visible()
    axe("the new case")

    page.get_by_role("link", name="Back to the queue").click()
    page.wait_for_url(re.compile(r"/listening-cell/queue/$"))
    page.get_by_label("Advisor").select_option(label="Mine")
    page.get_by_role("button", name="Filter", exact=True).click()
    page.wait_for_url(re.compile(r"assignment=mine"))
    row = page.locator("tr", has=page.get_by_role("link", name=re.compile(case.reference)))
    expect(row).to_contain_text("Sofie Peeters")
    expect(row).to_contain_text("Opened by an advisor — phone call")
    expect(row).to_contain_text("Camille Renard")
    axe("my queue with the case")
    context.close()
