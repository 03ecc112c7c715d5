"""Self-assessment journeys in the browser: a member keeps a result and follows the trend,
a visitor sees one once. Every page is checked with axe and for CSP violations."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from assessments.models import AssessmentResult, ReassessmentPlan
from members.models import Consent
from tests.assessments.factories import ANSWERS, keep_result
from tests.e2e.journeys import log_in
from tests.factories import member
from tests.programme.factories import ModuleFactory, SessionFactory


def answer(page, answers: dict[str, int]) -> None:
    for code, value in answers.items():
        page.locator(f"input[name='{code}'][value='{value}']").check()


def test_member_keeps_a_result_sees_recommendations_and_history(
    live_server, page, axe, csp_violations
):
    module = ModuleFactory(title="Reprendre de l'énergie", themes=["stress"])
    SessionFactory(module=module, starts_at=timezone.now() + timedelta(days=9))
    sophie = member()
    keep_result(sophie, "who-5", "very-low", when=timezone.now() - timedelta(days=60))
    log_in(page, live_server, sophie)

    page.locator("#main-nav").get_by_role("link", name="Self-assessments").click()
    expect(page.locator("h1")).to_have_text("Take stock of your resources")
    axe("hub")
    page.get_by_role("link", name=re.compile(r"^Take it again\s*: WHO-5")).click()
    expect(page.locator("main fieldset")).to_have_count(6)  # five items and the keep choice
    axe("WHO-5 form")

    # Sending with two answers missing: the page says which, and keeps the others.
    answer(page, {"q1": 2, "q2": 2, "q3": 2})
    page.get_by_role("button", name="See my result").click()
    expect(page.locator("#error-summary")).to_contain_text("Question 4")
    expect(page.locator("#error-summary")).to_contain_text("Question 5")
    expect(page.locator("input[name='q1'][value='2']")).to_be_checked()
    axe("WHO-5 form with errors")
    assert AssessmentResult.objects.count() == 1

    answer(page, {"q4": 2, "q5": 2})
    expect(page.locator("#consent-text")).to_contain_text("only I can see it")
    page.get_by_label("Keep it in my history — I give my consent:").check()
    page.get_by_role("button", name="See my result").click()
    expect(page).to_have_url(re.compile(r"/en/self-assessments/results/\d+/$"))
    expect(page.locator("h1")).to_contain_text("WHO-5 Well-Being Index")
    expect(page.locator("#score-value")).to_have_text("40")
    expect(page.locator("#recommended-modules")).to_contain_text("Reprendre de l'énergie")
    expect(page.locator("#listening-cell-link")).to_have_attribute(
        "href", re.compile(r"/en/listening-cell/request/\?result=\d+$")
    )
    expect(page.locator("#help-lines")).to_contain_text("0800 32 123")
    axe("result")
    assert Consent.objects.filter(user=sophie, kind="health_data").count() == 1

    page.get_by_label("Invite me by e-mail to take the WHO-5 again").select_option("61")
    page.get_by_role("button", name=re.compile(r"^Save\s*: invitations for the WHO-5")).click()
    expect(page.locator(".alert-success")).to_contain_text("We will invite you")
    assert ReassessmentPlan.objects.get(user=sophie).interval_days == 61
    axe("result after opting in")

    page.get_by_role("link", name="See my history and trend").click()
    expect(page.locator("#history-who-5 svg circle")).to_have_count(2)
    expect(page.locator("#history-who-5 table tbody tr")).to_have_count(2)
    axe("history")

    page.locator("#history-who-5 tbody tr").first.get_by_role(
        "link", name=re.compile("^Delete")
    ).click()
    expect(page.locator("h1")).to_have_text("Delete this result?")
    axe("delete confirmation")
    page.get_by_role("button", name="Yes, delete this result").click()
    expect(page.locator("#history-who-5 table tbody tr")).to_have_count(1)
    assert AssessmentResult.objects.filter(user=sophie).count() == 1
    assert csp_violations == []


def test_an_acute_result_puts_the_crisis_lines_first(live_server, page, axe, csp_violations):
    page.goto(live_server.url + "/en/self-assessments/bat-12/")
    axe("BAT-12 form")
    answer(page, ANSWERS["bat-12"]["very-high-risk"])
    page.get_by_role("button", name="See my result").click()
    expect(page.locator("main section").first).to_have_id("crisis-lines")
    expect(page.locator("#subscales h3")).to_have_count(4)
    axe("acute result")
    assert csp_violations == []


def test_a_visitor_takes_one_without_saving(live_server, page, axe, csp_violations):
    page.goto(live_server.url + "/en/self-assessments/")
    axe("hub for a visitor")
    page.get_by_role("link", name=re.compile(r"^Start\s*: Perceived Stress Scale")).click()
    expect(page.locator("input[name=keep]")).to_have_count(0)
    answer(page, ANSWERS["pss-10"]["moderate"])
    page.get_by_role("button", name="See my result").click()
    expect(page.locator("h2#score-title")).to_have_text("Your perceived stress is moderate")
    expect(page.locator("main header")).to_contain_text("this result was not kept")
    axe("result seen once")
    assert AssessmentResult.objects.count() == 0
    assert Consent.objects.count() == 0
    assert csp_violations == []


def test_the_form_and_the_result_fit_a_phone(live_server, browser):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    page.goto(live_server.url + "/en/self-assessments/sci-8/")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    answer(page, ANSWERS["sci-8"]["sleep-under-pressure"])
    page.get_by_role("button", name="See my result").click()
    expect(page.locator("#score-value")).to_have_text("8")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    context.close()
