"""Research consent to impact in the browser: a member gives the research consent, takes
the WHO-5 twice three months apart, and the manager's impact page shows the change only
once 10 people have both measures. Every page is checked with axe and for CSP violations."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from assessments.models import EvaluationMeasure, ReassessmentPlan, Wave
from members.roles import Role
from tests.assessments.factories import ANSWERS
from tests.assessments.research import participant
from tests.e2e.journeys import log_in, sign_in
from tests.factories import member, staff

RESEARCH = "Using my self-assessment scores to evaluate the programme"


def take_who5(page, live_server, band: str) -> None:
    page.goto(f"{live_server.url}/en/self-assessments/who-5/")
    for code, value in ANSWERS["who-5"][band].items():
        page.locator(f"input[name='{code}'][value='{value}']").check()
    page.get_by_label("Keep it in my history — I give my consent:").check()
    page.get_by_role("button", name="See my result").click()
    expect(page).to_have_url(re.compile(r"/en/self-assessments/results/\d+/$"))


def test_research_consent_two_measures_and_the_impact_from_10_people(
    live_server, page, axe, csp_violations, time_machine
):
    time_machine.move_to(timezone.now(), tick=True)
    sophie = member()
    log_in(page, live_server, sophie)
    page.locator("#main-nav").get_by_role("link", name="Self-assessments").click()
    expect(page.locator("#research-offer")).to_contain_text("groups of 10 people or more")
    page.get_by_role("link", name="See the research consent").click()
    expect(page.locator("h1")).to_have_text("My data and consents")
    expect(page.locator("#consent-research .consent-text")).to_contain_text(
        "groups of at least 10 people"
    )
    page.get_by_role("button", name=re.compile(rf"^Give my consent\s*: {RESEARCH}")).click()
    expect(page.locator(".alert-success").first).to_contain_text("your consent is recorded")
    axe("privacy page with the research consent")

    take_who5(page, live_server, "low")
    axe("first WHO-5 result")
    baseline = EvaluationMeasure.objects.get(participant__user=sophie)
    assert (baseline.wave, baseline.score) == (Wave.BASELINE, 40)
    plan = ReassessmentPlan.objects.get(user=sophie, instrument="who-5")
    assert plan.next_due_on == baseline.taken_on + timedelta(days=91)

    time_machine.move_to(timezone.now() + timedelta(days=92), tick=True)
    page.context.clear_cookies()
    sign_in(page, live_server, sophie)
    take_who5(page, live_server, "good")
    axe("WHO-5 result three months later")
    later = EvaluationMeasure.objects.get(participant__user=sophie, wave=Wave.THREE_MONTHS)
    assert later.score == 68

    for _ in range(8):
        participant("low", "good")
    page.context.clear_cookies()
    manager = staff(Role.PROGRAMME_MANAGER)
    log_in(page, live_server, manager, axe=axe)
    page.get_by_role("link", name="Impact", exact=True).first.click()
    expect(page.locator("h1")).to_have_text("Impact of the programme")
    who5 = page.locator("#impact-who-5")
    expect(who5.locator("[data-figure=paired]")).to_have_text("<10")
    expect(who5.locator("[data-impact=suppressed]")).to_be_visible()
    expect(who5.locator("svg")).to_have_count(0)
    axe("impact page under the threshold")

    participant("low", "good")  # the tenth
    page.reload()
    expect(who5.locator("[data-figure=paired]")).to_have_text("10")
    expect(who5.locator("table tbody tr").first).to_contain_text("28.0 (28.0 – 28.0)")
    expect(who5.locator("svg circle")).to_have_count(2)
    axe("impact page with the change")
