"""Feedback at any time, in the browser: a visitor on a phone leaves a suggestion from the
footer's link, then a manager finds it in the queue and marks it planned."""

import re

from playwright.sync_api import expect

from members.roles import Role
from surveys.models import FeedbackItem, FeedbackStatus
from tests.e2e.journeys import sign_in
from tests.factories import staff

PHONE = {"width": 390, "height": 844}


def no_overflow(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_a_guest_suggests_from_the_footer_and_a_manager_plans_it(
    live_server, browser, page, axe, csp_violations
):
    context = browser.new_context(viewport=PHONE, is_mobile=True, locale="en-GB")
    phone = context.new_page()
    phone.on(
        "console",
        lambda m: csp_violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    axe.page = phone

    phone.goto(f"{live_server.url}/en/")
    phone.locator("footer").get_by_role("link", name="An idea, a need? Tell us").click()
    expect(phone).to_have_url(re.compile(r"/en/programme/ideas/new/\?from=/en/$"))
    expect(phone.locator("h1")).to_have_text("An idea, a need, a remark?")
    axe("feedback form")
    no_overflow(phone)

    # Nothing written: a clear message, nothing recorded.
    phone.get_by_role("button", name="Send my message").click()
    expect(phone.locator("#error-summary")).to_contain_text("Write a few words")
    axe("feedback form with an error")

    phone.get_by_label("An idea or a suggestion").check()
    phone.get_by_label("Your message").fill("An evening workshop on <b>cash flow</b>, please.")
    phone.get_by_role("button", name="Send my message").click()
    expect(phone.locator("h1")).to_have_text("Thank you for your message")
    expect(phone.locator("main")).to_contain_text("no one will write to you")
    axe("thank-you page")
    no_overflow(phone)
    context.close()

    item = FeedbackItem.objects.get()
    assert (item.kind, item.author, item.page_path, item.language) == (
        "suggestion",
        None,
        "/en/",
        "en",
    )

    manager = staff(Role.PROGRAMME_MANAGER)
    axe.page = page
    sign_in(page, live_server, manager)
    page.goto(f"{live_server.url}/en/programme/manage/ideas/")
    expect(page.locator("h1")).to_have_text("Ideas and needs")
    # The text stays text: the tags are shown, not applied.
    expect(page.locator("#idea-table")).to_contain_text("<b>cash flow</b>")
    axe("feedback queue")
    page.get_by_role("link", name=f"#{item.pk}").click()
    axe("feedback item")
    page.locator("#id_status").select_option("planned")
    page.locator("#id_public_reason").fill("In the autumn programme.")
    page.get_by_role("button", name="Save the status").click()
    expect(page.locator("#idea-status")).to_contain_text("Planned — In the autumn programme.")
    axe("feedback item planned")
    item.refresh_from_db()
    assert (item.status, item.public_reason) == (FeedbackStatus.PLANNED, "In the autumn programme.")
    assert csp_violations == []
