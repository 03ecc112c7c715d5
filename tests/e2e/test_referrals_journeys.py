"""Listening-cell journeys in the browser: a member asks, an ambassador signals, an advisor
claims, routes, follows up and closes. Every page is checked with axe and for CSP."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from members.roles import Role
from referrals.models import Case, CaseAccess, Referral
from tests.e2e.journeys import log_in, sign_in
from tests.factories import member, staff
from tests.referrals.factories import CaseFactory, PartnerFactory, attached_result


def partners():
    PartnerFactory(
        name="Centre de Prévention du Suicide",
        needs=["crisis", "low_mood"],
        is_crisis_line=True,
        phone="0800 32 123",
    )
    return PartnerFactory(
        name="Un pass dans l'impasse",
        needs=["stress", "business"],
        areas=["WLG", "WNA"],
        phone="0800 300 25",
    )


def test_member_asks_for_contact_with_an_attached_result(live_server, page, axe, csp_violations):
    partners()
    sophie = member()
    result = attached_result(sophie)
    log_in(page, live_server, sophie)
    axe("member home")

    page.get_by_role("link", name="Help lines and partners").first.click()
    expect(page.locator("h1")).to_have_text("Help lines and partner organisations")
    axe("directory")
    page.select_option("select[name=need]", "business")
    page.get_by_role("button", name="Show partners").click()
    expect(page.locator("main article")).to_have_count(1)
    expect(page.locator("main article h3")).to_have_text("Un pass dans l'impasse")
    axe("directory filtered")

    # The result page of the assessments app links here with ?result=<id>.
    page.goto(f"{live_server.url}/en/listening-cell/request/?result={result.pk}")
    axe("request form")
    # Opt-in: the result page opens the choice, "Don't attach a result" stays chosen.
    expect(page.locator("#tell-us-more")).to_have_attribute("open", "")
    expect(page.get_by_label("Don't attach a result")).to_be_checked()
    page.locator(f"input[name=result][value='{result.pk}']").check()
    page.get_by_label("Stress, pressure, exhaustion").check()
    page.get_by_label("Business in difficulty").check()
    page.get_by_label("Within the week would be good").check()
    page.get_by_label("Phone call").check()
    page.get_by_label("Early evening (17:00–19:00)").check()
    page.fill("input[name=phone]", "12345")
    page.fill("textarea[name=message]", "<b>Mon comptable</b> m'a conseillé de vous appeler.")
    page.get_by_role("button", name="Send my request").click()
    expect(page.locator("#id_phone")).to_have_class(re.compile("is-invalid"))
    axe("request form with an error")
    assert not Case.objects.exists()

    page.fill("input[name=phone]", "0470 12 34 56")
    page.locator("input[name=share_with_partner]").check()
    page.get_by_role("button", name="Send my request").click()
    expect(page).to_have_url(re.compile(r"/en/listening-cell/request/\d+/sent/$"))
    expect(page.locator("main")).to_contain_text("within 2 working days")
    axe("request sent")
    page.get_by_role("link", name="See my requests").click()
    expect(page.locator("main article .badge")).to_have_text("New")
    axe("my requests")

    case = Case.objects.get()
    assert case.assessment_result == result and case.sharing_consent is not None
    assert case.contact_phone == "+32470123456"
    page.goto(live_server.url + "/en/dashboard/member/")
    expect(page.locator("#referrals-member")).to_be_visible()
    axe("member home with a request")
    assert csp_violations == []


def test_ambassador_passes_on_a_signal(live_server, page, axe, csp_violations):
    karim = staff(Role.AMBASSADOR)
    log_in(page, live_server, karim)
    axe("ambassador home")
    page.locator("main").get_by_role("link", name="Pass on a signal").click()
    axe("signal form")

    page.fill("input[name=name]", "Luc Martin")
    page.fill("input[name=phone]", "not a phone")
    page.select_option("select[name=need]", "business")
    page.get_by_role("button", name="Pass on the signal").click()
    # Two errors: the agreement is required, the phone is invalid.
    expect(page.locator("#id_phone")).to_have_class(re.compile("is-invalid"))
    expect(page.locator("#id_agreement_confirmed")).to_have_class(re.compile("is-invalid"))
    axe("signal form with errors")
    assert not Case.objects.exists()

    page.get_by_label("This person agreed that the listening cell contacts them.").check()
    page.fill("input[name=phone]", "0478 11 22 33")
    page.fill("textarea[name=note]", "Parle de déposer le bilan.")
    page.get_by_role("button", name="Pass on the signal").click()
    expect(page).to_have_url(re.compile(r"/en/listening-cell/my-signals/$"))
    row = page.locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Luc Martin")
    expect(row).to_contain_text("Received, waiting for an advisor")
    expect(page.locator("main")).not_to_contain_text("déposer le bilan")
    axe("my signals")
    case = Case.objects.get()
    assert (case.raised_by, case.contact_phone) == (karim, "+32478112233")
    assert csp_violations == []


def test_advisor_claims_routes_follows_up_and_closes(live_server, page, axe, csp_violations):
    partner = partners()
    owner = member()
    result = attached_result(owner)
    case = CaseFactory(
        member=owner,
        needs=["stress", "business"],
        region="WLG",
        assessment_result=result,
        message="<script>alert('x')</script>Je n'en dors plus.",
        created_at=timezone.now() - timedelta(days=5),
        first_contact_due=timezone.now() - timedelta(days=1),
    )
    anne = staff(Role.ADVISOR)
    sign_in(page, live_server, anne)
    axe("advisor home")

    page.locator("main").get_by_role("link", name="Open the queue").click()
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody tr")).to_have_class(re.compile("table-danger"))
    axe("queue")
    page.get_by_role("button", name=re.compile(f"Claim {case.reference}")).click()
    expect(page).to_have_url(re.compile(rf"/en/listening-cell/cases/{case.pk}/$"))
    expect(page.locator(".alert-success")).to_have_text("The case is yours.")
    expect(page.locator(".case-message")).to_contain_text("<script>alert('x')</script>")
    axe("case page")

    page.get_by_role("link", name="Read the attached self-assessment result").click()
    expect(page.locator("h1")).to_have_text("Attached self-assessment result")
    axe("attached result")
    page.get_by_role("link", name=re.compile("Back to case")).click()

    contact = page.locator("#action-contact").locator("xpath=..")
    contact.get_by_label("Yes, we talked").check()
    contact.get_by_label("Note (optional)").fill("Rappel demain pour les suites.")
    contact.get_by_role("button", name="Record the attempt").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator(".alert-danger")).to_have_count(0)  # no longer overdue

    refer = page.locator("#action-refer").locator("xpath=..")
    # Nothing ticked: the page says so.
    refer.get_by_role("button", name="Record the referral").click()
    expect(page.locator("#refer-partners-errors")).to_be_visible()
    axe("referral error")
    refer = page.locator("#action-refer").locator("xpath=..")
    refer.get_by_label(re.compile("Un pass dans l'impasse")).check()
    refer.get_by_label("Information given to the member").check()
    refer.get_by_role("button", name="Record the referral").click()
    expect(page.locator("#case-referrals")).to_be_visible()
    expect(page.locator("main .badge").first).to_have_text("Oriented")

    follow = page.locator("#action-follow-up").locator("xpath=..")
    follow.get_by_label("Follow up on").fill((timezone.localdate() + timedelta(days=7)).isoformat())
    follow.get_by_role("button", name="Save the follow-up date").click()
    expect(page.locator(".alert-success")).to_have_text("The follow-up date is saved.")

    page.get_by_role("group", name="Did the person reach the partner?").get_by_label("Yes").check()
    page.get_by_role("button", name="Record for Un pass dans l'impasse").click()
    expect(page.locator(".alert-success")).to_have_text("The closed loop is recorded.")
    axe("case with a referral")

    close = page.locator("#action-close").locator("xpath=..")
    close.get_by_label("Referred, and the member reached the partner").check()
    close.get_by_role("button", name="Close the case").click()
    expect(page.locator(".alert-success")).to_have_text("The case is closed.")
    expect(page.locator("ol.timeline > li")).to_have_count(7)
    axe("closed case")

    case.refresh_from_db()
    assert (case.status, case.outcome, case.assigned_to) == ("closed", "referred_reached", anne)
    assert Referral.objects.get().partner == partner
    assert CaseAccess.objects.filter(accessed_by=anne, subject="assessment_result").count() == 1
    assert CaseAccess.objects.filter(accessed_by=anne, subject="case").exists()
    assert csp_violations == []


def test_the_case_page_fits_a_phone(live_server, browser):
    owner = member()
    anne = staff(Role.ADVISOR)
    partners()
    case = CaseFactory(member=owner, assigned_to=anne, status="in_progress")
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    sign_in(page, live_server, anne)
    for url in (
        f"/en/listening-cell/cases/{case.pk}/",
        "/en/listening-cell/queue/",
        "/en/listening-cell/partners/",
    ):
        page.goto(live_server.url + url)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, url
    context.close()
