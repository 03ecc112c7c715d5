"""The advisors' desk in the browser: an advisor finds a past case by the phone number a
caller gives, sees the person's other case, and hands it over to a colleague with a note;
on a phone and on a desktop, axe clean."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from members.roles import Role
from tests.factories import member, staff
from tests.referrals.factories import CaseFactory

from .journeys import sign_in

VIEWPORTS = {"390": {"width": 390, "height": 844}, "1280": {"width": 1280, "height": 800}}


@pytest.mark.parametrize("width", VIEWPORTS)
def test_an_advisor_finds_a_case_by_phone_and_hands_it_over(live_server, browser, axe, width):
    advisor = staff(Role.ADVISOR, first_name="Camille", last_name="Renard")
    staff(Role.ADVISOR, first_name="Bart", last_name="Peeters")
    marie = member(first_name="Marie", last_name="Dubois")
    closed = CaseFactory(
        member=marie,
        contact_phone="+32470123456",
        status="closed",
        outcome="handled_by_cell",
        assigned_to=advisor,
        closed_at=timezone.now(),
    )
    current = CaseFactory(
        member=marie, contact_phone="+32470123456", status="in_progress", assigned_to=advisor
    )

    context = browser.new_context(viewport=VIEWPORTS[width], locale="en-GB")
    page = context.new_page()
    axe.page = page
    sign_in(page, live_server, advisor)
    page.goto(f"{live_server.url}/en/listening-cell/queue/")
    search = page.get_by_role("searchbox", name="Find a case")
    search.fill("0470 12 34 56")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page).to_have_url(re.compile(r"/cases/search/\?q="))
    expect(page.locator("#results-title")).to_have_text("2 cases found")
    axe("search results")

    page.get_by_role("link", name=re.compile(current.reference)).click()
    other = page.locator("#other-cases")
    expect(other).to_contain_text(closed.reference)
    axe("case page with the person's other case")

    page.get_by_label("Give the case to").select_option(label="Bart Peeters")
    page.get_by_label("Hand-over note (optional)").fill("She prefers calls after 6 pm.")
    page.get_by_role("button", name="Assign", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("The case is assigned.")
    expect(page.locator(".timeline-body").last).to_contain_text("She prefers calls after 6 pm.")
    axe("case page after the hand-over")
    context.close()
