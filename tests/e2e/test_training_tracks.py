"""A new ambassador completes a step of their onboarding track; the manager sees it."""

import re

import pytest
from playwright.sync_api import expect

from members.roles import Role
from programme.models import StepCompletion, TrackAudience
from programme.services.tracks import track_create, track_step_add
from tests.e2e.conftest import AxeChecker
from tests.e2e.journeys import sign_in
from tests.factories import staff
from tests.programme.factories import ModuleFactory


@pytest.mark.parametrize("width", [390, 1280])
def test_new_ambassador_completes_an_onboarding_step_and_the_manager_sees_it(
    live_server, browser, width
):
    track = track_create(
        audience=TrackAudience.AMBASSADORS,
        language="en",
        title="Ambassador onboarding",
        introduction="Spot weak signals and pass them on.",
        is_published=True,
    )
    for title in ("Spotting weak signals", "Talking about the programme"):
        track_step_add(track_id=track.pk, module=ModuleFactory(title=title, language="en"))
    ambassador = staff(Role.AMBASSADOR, first_name="Karim", last_name="Benali")
    manager = staff(Role.PROGRAMME_MANAGER)
    viewport = {"width": width, "height": 900}

    context = browser.new_context(viewport=viewport, locale="en-BE")
    page = context.new_page()
    axe = AxeChecker(page)
    sign_in(page, live_server, ambassador)
    expect(page).to_have_url(re.compile(r"/dashboard/ambassador/$"))
    training = page.locator("#training-home")
    expect(training).to_contain_text("Ambassador onboarding")
    expect(training).to_contain_text("0 of 2 steps done")
    axe("ambassador home with the onboarding track")
    training.get_by_role("button", name="Mark as done — Spotting weak signals").click()
    expect(page.locator(".alert-success")).to_contain_text("Step marked as done")
    expect(page.locator("#training-home")).to_contain_text("1 of 2 steps done")
    axe("ambassador home, one step done")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    context.close()
    assert StepCompletion.objects.filter(user=ambassador).count() == 1

    context = browser.new_context(viewport=viewport, locale="en-BE")
    page = context.new_page()
    axe = AxeChecker(page)
    sign_in(page, live_server, manager)
    page.goto(f"{live_server.url}/en/programme/manage/")
    page.get_by_role("link", name="Training tracks").click()
    row = page.locator("#tracks tr", has_text="Ambassador onboarding")
    expect(row).to_contain_text("Published")
    axe("training tracks, per track")
    row.get_by_role("link", name="Ambassador onboarding").click()
    person = page.locator("#track-people tr", has_text="Karim Benali")
    expect(person).to_contain_text("1 / 2")
    axe("training track, per person")
    context.close()
