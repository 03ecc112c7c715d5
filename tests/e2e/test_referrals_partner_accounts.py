"""A partner organisation's staff account in the browser: the partner signs in, lands on
"Referrals sent to <partner>", opens a referral (what the member agreed to share, as
through the signed link) and answers "taken on"; the advisor's case timeline shows it.
At 390 px and 1280 px, axe-clean."""

import re

import pytest
from playwright.sync_api import expect

from members.models import MemberProfile
from members.roles import Role
from referrals.models import CaseAccess, PartnerMembership, Referral
from tests.e2e.conftest import AxeChecker
from tests.e2e.journeys import log_in
from tests.factories import PASSWORD, member, staff
from tests.referrals.factories import PartnerFactory
from tests.referrals.partner_side import NOTE, referred

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_a_partner_signs_in_and_answers_taken_on(live_server, browser, browser_context_args, size):
    partner = PartnerFactory(name="Un pass dans l'impasse", email="orientation@pass.example.org")
    sophie = member(first_name="Sophie", last_name="Lambotte")
    anne = staff(Role.ADVISOR)
    referral = referred(sophie, anne, partner=partner)
    reference = referral.case.reference
    lea = staff(Role.PARTNER, first_name="Léa")
    PartnerMembership.objects.create(user=lea, partner=partner)
    MemberProfile.objects.filter(user=lea).update(preferred_language="en")

    context = browser.new_context(**{**browser_context_args, "viewport": size})
    page = context.new_page()
    axe = AxeChecker(page)
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.fill("input[name=login]", lea.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(re.compile(r"/en/listening-cell/partner-space/$"))
    expect(page.locator("h1")).to_have_text("Referrals sent to Un pass dans l'impasse")
    expect(page.locator("main")).not_to_contain_text("Sophie")
    axe("partner space")

    page.get_by_role("link", name=f"Referral {reference}").click()
    page.wait_for_url(re.compile(rf"/en/listening-cell/partner-space/{referral.pk}/$"))
    main = page.locator("main")
    expect(main).to_contain_text("Sophie")
    expect(main).to_contain_text(NOTE)
    expect(main).not_to_contain_text("Lambotte")
    axe("partner space referral")
    page.get_by_role("radio", name="Taken on", exact=True).check()
    page.get_by_role("button", name="Send the answer").click()
    expect(page.locator(".alert-success")).to_have_text("Thank you: your answer is recorded.")
    expect(page.locator("#current-answer")).to_contain_text("Taken on")
    axe("partner space referral answered")
    if size == PHONE:
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0
    context.close()

    assert Referral.objects.get(pk=referral.pk).partner_answer == "taken_on"
    assert CaseAccess.objects.filter(referral=referral, accessed_by=lea).count() >= 2

    advisor_context = browser.new_context(**{**browser_context_args, "viewport": size})
    advisor_page = advisor_context.new_page()
    advisor_axe = AxeChecker(advisor_page)
    log_in(advisor_page, live_server, anne, axe=advisor_axe)
    advisor_page.goto(f"{live_server.url}/en/listening-cell/cases/{referral.case_id}/")
    expect(advisor_page.locator("ol.timeline")).to_contain_text("The partner answered")
    advisor_axe("case with the partner's answer")
    advisor_context.close()
