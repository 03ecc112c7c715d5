"""The statistics a board asks for, in the browser at 1280 and 390 px: each chart shows
what it plots above it, names both axes, is named for screen readers by its title and a
sentence pointing to its table, and that table holds the figures. Checked with axe."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from members.roles import Role
from programme.models import EnrolmentStatus, SavedModule
from tests.e2e.conftest import AxeChecker
from tests.e2e.journeys import sign_in
from tests.factories import MemberProfileFactory, staff
from tests.programme.factories import EnrolmentFactory, ModuleFactory, SessionFactory

CHARTS = [
    ("seats-chart", "Confirmed seats per month", "Confirmed seats", "by-month"),
    ("new-members-chart", "New members per month", "New members (people)", "new-members"),
]


def _programme() -> None:
    soon = timezone.now() + timedelta(days=3)
    session = SessionFactory(starts_at=soon, ends_at=soon + timedelta(hours=2), capacity=20)
    for _ in range(6):
        EnrolmentFactory(session=session, status=EnrolmentStatus.CONFIRMED)
    for _ in range(7):
        MemberProfileFactory(province="WNA", preferred_language="nl")
    tool = ModuleFactory(format="digital_tool", external_url="https://evoluno.example/")
    for profile in MemberProfileFactory.create_batch(3):
        SavedModule.objects.create(user=profile.user, module=tool)


@pytest.mark.parametrize("width", [1280, 390], ids=["1280px", "390px"])
def test_the_charts_have_a_title_axis_labels_and_a_table(live_server, browser, width):
    _programme()
    manager = staff(Role.PROGRAMME_MANAGER)
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="fr-BE")
    page = context.new_page()
    seen: list[str] = []
    page.on("console", lambda m: seen.append(m.text) if "Content Security" in m.text else None)
    sign_in(page, live_server, manager)
    page.goto(f"{live_server.url}/en/dashboard/manager/statistics/")
    expect(page.locator("h1")).to_have_text("Programme statistics")
    for chart_id, title, unit, table_id in CHARTS:
        figure = page.locator(f"#{chart_id}")
        expect(figure.locator("figcaption")).to_have_text(title)
        expect(figure.locator("figcaption")).to_be_visible()
        chart = figure.get_by_role("img")
        expect(chart).to_have_accessible_name(title)
        expect(chart).to_have_accessible_description(
            re.compile(r"The table “.+” gives the same figures\.$")
        )
        expect(figure.locator("svg text.chart-axis-y")).to_have_text(unit)
        expect(figure.locator("svg text.chart-axis-x")).to_have_text("Month (Belgian time)")
        figure.get_by_role("link", name="See the figures as a table").click()
        expect(page).to_have_url(re.compile(rf"#{table_id}$"))
        expect(page.locator(f"#{table_id} tbody tr").first).to_be_visible()
    expect(page.locator("#new-members tfoot td").first).to_have_text(re.compile(r"^\d*[05]$"))
    expect(page.locator("#content-use")).to_contain_text("<5")  # 3 saves of a tool
    AxeChecker(page)(f"statistics with charts at {width} px")
    page.goto(f"{live_server.url}/en/dashboard/manager/report/")
    expect(page.locator("#content-use")).to_be_visible()
    AxeChecker(page)(f"quarterly report at {width} px")
    assert seen == []
    context.close()
