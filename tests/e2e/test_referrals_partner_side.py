"""The closed loop in the browser: an advisor refers a member to a partner and sends the
referral; the partner opens its signed link (no account) and answers "taken on"; the
member says on their requests page that they were helped; the advisor closes the case
with the outcome the answers point to. Every page is checked with axe and for CSP."""

import re

from playwright.sync_api import expect

from members.roles import Role
from referrals import services
from referrals.choices import Channel, Urgency
from referrals.models import Case, CaseAccess, Referral
from referrals.partner_links import partner_token
from tests.e2e.conftest import AxeChecker
from tests.e2e.journeys import log_in, sign_in
from tests.factories import member, staff
from tests.referrals.factories import PartnerFactory


def test_advisor_refers_partner_takes_on_member_confirms_advisor_closes(
    live_server, page, browser, browser_context_args, axe, csp_violations
):
    partner = PartnerFactory(
        name="Un pass dans l'impasse",
        needs=["stress", "business"],
        email="orientation@pass.example.org",
    )
    sophie = member(first_name="Sophie", last_name="Lambotte")
    case = services.request_create(
        member=sophie,
        needs=["stress", "business"],
        channel=Channel.PHONE,
        time_slots=["evening"],
        language="fr",
        urgency=Urgency.MEDIUM,
        message="Mon comptable m'a conseillé de vous appeler.",
        phone="0470 12 34 56",
        share_with_partner=True,
    )
    anne = staff(Role.ADVISOR)

    # The advisor refers with a warm handoff (the member consented online) and sends it.
    log_in(page, live_server, anne, axe=axe)
    page.goto(f"{live_server.url}/en/listening-cell/cases/{case.pk}/")
    page.get_by_role("button", name="Claim this case").click()
    expect(page.locator(".alert-success")).to_have_text("The case is yours.")
    refer = page.locator("#action-refer").locator("xpath=..")
    refer.get_by_label(re.compile("Un pass dans l'impasse")).check()
    refer.get_by_label("Warm handoff: the cell contacts the partner").check()
    refer.get_by_label("What was given or shared (optional)").fill(
        "Préfère être appelée en fin de journée."
    )
    refer.get_by_role("button", name="Record the referral").click()
    expect(page.locator(".alert-success")).to_have_text("The referral is recorded.")
    axe("case with a referral to send")
    page.get_by_role("button", name="Send to Un pass dans l'impasse by e-mail").click()
    expect(page.locator(".alert-success")).to_have_text("The referral is sent to the partner.")
    expect(page.locator("section[aria-labelledby=case-referrals]")).to_contain_text(
        "Waiting for the partner"
    )
    axe("case with a referral sent")

    referral = Referral.objects.get()
    assert referral.sent_to_address == "orientation@pass.example.org"
    token = partner_token(referral_id=referral.pk, sent_at=referral.sent_to_partner_at)

    # The partner, with no account, opens the link from its e-mail.
    partner_context = browser.new_context(**browser_context_args)
    partner_page = partner_context.new_page()
    partner_axe = AxeChecker(partner_page)
    partner_page.goto(f"{live_server.url}/en/listening-cell/partner/{token}/")
    expect(partner_page.locator("h1")).to_have_text(f"Referral {case.reference}")
    shared = partner_page.locator("main")
    expect(shared).to_contain_text("Sophie")
    expect(shared).to_contain_text("Préfère être appelée en fin de journée.")
    expect(shared).not_to_contain_text("Lambotte")
    expect(shared).not_to_contain_text("Mon comptable")
    assert partner_page.locator("header, footer, nav").count() == 0
    partner_axe("partner page")
    partner_page.get_by_role("radio", name="Not taken on").check()
    partner_page.get_by_role("button", name="Send the answer").click()
    expect(partner_page.locator("#id_reason")).to_have_class(re.compile("is-invalid"))
    partner_axe("partner page with an error")
    partner_page.get_by_role("radio", name="Taken on", exact=True).check()
    partner_page.get_by_role("button", name="Send the answer").click()
    expect(partner_page.locator(".alert-success")).to_have_text(
        "Thank you: your answer is recorded."
    )
    expect(partner_page.locator("#current-answer")).to_contain_text("Taken on")
    partner_axe("partner page answered")
    # A forged link: a clear page, not an error.
    partner_page.goto(f"{live_server.url}/en/listening-cell/partner/{token[:-3]}abc/")
    expect(partner_page.locator("h1")).to_have_text("This referral link cannot be used")
    partner_axe("forged partner link")
    partner_context.close()

    # The member says they reached the partner and it helped.
    member_context = browser.new_context(**browser_context_args)
    member_page = member_context.new_page()
    member_axe = AxeChecker(member_page)
    sign_in(member_page, live_server, sophie)
    member_page.goto(f"{live_server.url}/en/listening-cell/my-requests/")
    answer = member_page.locator(f"#referral-{referral.pk}")
    answer.get_by_role(
        "group", name="Did you get in touch with Un pass dans l'impasse?"
    ).get_by_label("Yes").check()
    answer.get_by_label("If you did, did it help?").select_option("yes")
    member_axe("my requests with a question")
    answer.get_by_role("button", name="Send my answer").click()
    expect(member_page.locator(".alert-success")).to_have_text(
        "Thank you! The listening cell sees your answer."
    )
    expect(member_page.locator(f"#referral-{referral.pk}")).to_contain_text("Yes, it helped")
    member_axe("my requests answered")
    member_context.close()

    # The advisor sees both answers and closes with the outcome they point to.
    page.reload()
    expect(page.locator("ol.timeline")).to_contain_text("The partner answered")
    expect(page.locator("ol.timeline")).to_contain_text("The member answered")
    close = page.locator("#action-close").locator("xpath=..")
    expect(close.get_by_label("Referred, and the partner took the member on")).to_be_checked()
    axe("case with both answers")
    close.get_by_role("button", name="Close the case").click()
    expect(page.locator(".alert-success")).to_have_text("The case is closed.")
    axe("closed case")

    case = Case.objects.get()
    assert (case.status, case.outcome) == ("closed", "referred_taken_on")
    referral.refresh_from_db()
    assert (referral.partner_answer, referral.reached, referral.member_helped) == (
        "taken_on",
        True,
        "yes",
    )
    assert CaseAccess.objects.filter(subject="partner_page", referral=referral).count() >= 3
    assert partner.referrals.count() == 1
    assert csp_violations == []


def test_the_partner_page_fits_a_phone(live_server, browser):
    partner = PartnerFactory(email="orientation@pass.example.org")
    sophie = member(first_name="Sophie")
    case = services.request_create(
        member=sophie,
        needs=["stress"],
        channel=Channel.PHONE,
        time_slots=["morning", "evening"],
        language="fr",
        urgency=Urgency.MEDIUM,
        message="",
        phone="0470 12 34 56",
        share_with_partner=True,
    )
    anne = staff(Role.ADVISOR)
    services.case_claim(case_id=case.pk, advisor=anne)
    [referral] = services.referral_create(
        case=case, actor=anne, partners=[partner], mode="warm_handoff", note="x" * 300
    )
    referral = services.referral_send_to_partner(referral=referral, actor=anne)
    token = partner_token(referral_id=referral.pk, sent_at=referral.sent_to_partner_at)
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/fr/listening-cell/partner/{token}/")
    expect(page.locator("h1")).to_have_text(f"Orientation {case.reference}")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    AxeChecker(page)("partner page on a phone")
    context.close()
