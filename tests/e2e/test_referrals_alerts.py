"""Listening-cell e-mails in the browser: an advisor follows an overdue alert to the case,
stops the alerts from the e-mail's link, finds them off in their own space and turns
them back on. Every page is checked with axe and for CSP, also at phone width."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from members.roles import Role
from notifications.preferences import STAFF_ALERTS, preference_enabled
from notifications.sending import send_inline, sweep
from referrals.choices import CaseStatus
from referrals.emails import CASE_OVERDUE
from tests.emails import sent
from tests.factories import staff
from tests.referrals.helpers import case_in

from .journeys import sign_in


@pytest.fixture(autouse=True)
def links_to_the_live_server(settings, live_server, in_process_tasks):
    settings.PORTAL_BASE_URL = live_server.url


def test_advisor_follows_an_alert_stops_alerts_and_turns_them_back_on(
    live_server, page, axe, csp_violations
):
    anne = staff(Role.ADVISOR, first_name="Anne")
    sign_in(page, live_server, anne)  # also makes her read English
    case = case_in(
        CaseStatus.IN_PROGRESS,
        advisor=anne,
        first_contact_due=timezone.now() - timedelta(hours=3),
    )
    sweep(dispatch=send_inline)
    [alert] = sent(CASE_OVERDUE, anne)
    assert case.reference in alert.subject

    # The button of the e-mail opens the case.
    case_link = re.search(r"(\S+/listening-cell/cases/\d+/)", alert.body).group(1)
    page.goto(case_link)
    expect(page.locator("h1")).to_contain_text(case.reference)

    # The e-mail's unsubscribe link, then the advisor's own page says they are off.
    unsubscribe = alert.extra_headers["List-Unsubscribe"].strip("<>")
    page.goto(unsubscribe)
    axe("unsubscribe from staff alerts")
    page.get_by_role("button", name=re.compile("^Stop receiving")).click()
    expect(page.locator(".alert-success")).to_be_visible()
    assert not preference_enabled(anne, STAFF_ALERTS)

    page.goto(live_server.url + "/en/dashboard/advisor/")
    page.get_by_role("link", name="Listening-cell e-mails").click()
    expect(page.locator("h1")).to_have_text("Listening-cell e-mails")
    expect(page.get_by_label("Send me the listening cell's e-mails")).not_to_be_checked()
    axe("alert settings, off")

    page.get_by_label("Send me the listening cell's e-mails").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".alert-success")).to_have_text(
        "You will receive the listening cell's e-mails."
    )
    expect(page.get_by_label("Send me the listening cell's e-mails")).to_be_checked()
    axe("alert settings, on")
    assert preference_enabled(anne, STAFF_ALERTS)

    page.set_viewport_size({"width": 375, "height": 740})
    page.reload()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    axe("alert settings on a phone")
    assert csp_violations == []
