"""A programme manager repeats a session weekly, previews the dates, creates the series
and finds it on the session's page; on a phone and on a desktop."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from members.roles import Role
from programme.models import SeriesOccurrence, Session
from tests.e2e.conftest import AxeChecker
from tests.e2e.journeys import sign_in
from tests.factories import staff
from tests.programme.factories import ModuleFactory, SessionFactory

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_a_manager_repeats_a_session_weekly_four_times_and_sees_the_series(
    live_server, page, size, csp_violations
):
    starts = timezone.localtime(timezone.now() + timedelta(days=3)).replace(
        hour=14, minute=0, second=0, microsecond=0
    )
    session = SessionFactory(
        module=ModuleFactory(title="Souffler entre deux clients", format="workshop"),
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        is_published=True,
    )
    page.set_viewport_size(size)
    axe = AxeChecker(page)
    manager = staff(Role.PROGRAMME_MANAGER)
    sign_in(page, live_server, manager)

    page.goto(f"{live_server.url}/en/programme/manage/sessions/{session.pk}/")
    page.get_by_role("link", name="Repeat this session").click()
    page.wait_for_url(re.compile(rf"/manage/sessions/{session.pk}/repeat/$"))
    axe("repeat form")

    # A wrong number first: the page says what it expects.
    page.get_by_label("Every week, on the same weekday").check()
    page.get_by_label("Number of occurrences, this session included").fill("500")
    page.get_by_role("button", name="See the dates").click()
    expect(page.locator("#series-form")).to_contain_text(
        "Enter a number of occurrences between 2 and 52."
    )
    axe("repeat form with an error")

    page.get_by_label("Number of occurrences, this session included").fill("4")
    page.get_by_role("button", name="See the dates").click()
    preview = page.locator("#series-preview li")
    expect(preview).to_have_count(4)
    last = timezone.localtime(session.starts_at) + timedelta(weeks=3)
    expect(preview.nth(3)).to_contain_text(f"{last:%A} {last.day} {last:%B %Y}, 14:00–16:00")
    assert Session.objects.count() == 1  # the preview creates nothing
    axe("preview")

    page.get_by_role("button", name="Create the series of 4 sessions").click()
    page.wait_for_url(re.compile(rf"/manage/sessions/{session.pk}/$"))
    expect(page.locator(".alert-success")).to_contain_text("The series is created")
    series = page.locator("#series")
    expect(series.get_by_role("heading")).to_have_text("Part of a series (1 of 4)")
    expect(series.locator("li")).to_have_count(4)
    axe("session page with its series")

    # Another date of the series, from the list: its own page, its place in the series.
    series.get_by_role("link").nth(1).click()
    third = SeriesOccurrence.objects.get(position=3).session_id
    page.wait_for_url(re.compile(rf"/manage/sessions/{third}/$"))
    expect(page.locator("#series").get_by_role("heading")).to_have_text("Part of a series (3 of 4)")
    expect(page.locator("#session-status")).to_contain_text("Draft")
    axe("third session of the series")
    assert not csp_violations
