"""On a 390 × 844 phone: a request about a crisis is confirmed with the crisis lines
first; a member detaches a result from an open request. Every page is checked with axe
and for CSP."""

import re

from playwright.sync_api import expect

from referrals.models import Case, CaseEvent
from tests.e2e.journeys import sign_in
from tests.factories import member, staff
from tests.referrals.factories import CaseFactory, attached_result

PHONE = {"width": 390, "height": 844}


def test_a_crisis_request_shows_the_crisis_lines_first(live_server, page, axe, csp_violations):
    page.set_viewport_size(PHONE)
    staff("advisor")
    sophie = member()
    attached_result(sophie)
    sign_in(page, live_server, sophie)
    page.goto(f"{live_server.url}/en/listening-cell/request/")
    axe("request form on a phone")
    # The optional part is folded away; attaching a result is not chosen for the member.
    expect(page.locator("#tell-us-more")).not_to_have_attribute("open", "")
    page.get_by_text("Tell us more (optional)").click()
    expect(page.get_by_label("Don't attach a result")).to_be_checked()
    axe("request form, optional part open")

    page.get_by_label("Crisis, dark thoughts").check()
    page.get_by_label("Phone call").check()
    page.fill("input[name=phone]", "0470 12 34 56")
    page.get_by_role("button", name="Send my request").click()
    expect(page).to_have_url(re.compile(r"/en/listening-cell/request/\d+/sent/$"))
    axe("crisis request sent")

    lines = page.locator("#crisis-lines")
    expect(lines).to_be_visible()
    expect(lines.get_by_role("link", name=re.compile("0800 32 123"))).to_have_attribute(
        "href", "tel:080032123"
    )
    # The lines come first, and on the first screen.
    lines_box, sent_box = lines.bounding_box(), page.locator("#request-sent").bounding_box()
    assert lines_box["y"] < sent_box["y"]
    assert lines_box["y"] < PHONE["height"]
    expect(page.locator("main")).not_to_contain_text("working day")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0

    case = Case.objects.get()
    assert case.urgent and case.assessment_result is None
    assert csp_violations == []


def test_a_member_detaches_a_result(live_server, page, axe, csp_violations):
    page.set_viewport_size(PHONE)
    sophie = member()
    result = attached_result(sophie)
    case = CaseFactory(member=sophie, assessment_result=result)
    sign_in(page, live_server, sophie)
    page.goto(f"{live_server.url}/en/listening-cell/my-requests/")
    attached = page.locator(f"#attached-result-{case.pk}")
    expect(attached).to_contain_text("Attached result:")
    axe("my requests with a result")

    attached.get_by_role("button", name="Detach this result").click()
    expect(page).to_have_url(re.compile(r"/en/listening-cell/my-requests/$"))
    expect(page.locator(".alert-success")).to_contain_text("The result is detached")
    expect(page.locator(f"#attached-result-{case.pk}")).to_have_count(0)
    axe("my requests, result detached")

    case.refresh_from_db()
    assert case.assessment_result is None
    assert CaseEvent.objects.filter(case=case, kind="case.result_detached").count() == 1
    assert csp_violations == []
