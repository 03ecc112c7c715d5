"""Statistics a board asks for (issue 17): new members by month, language and province,
members by format of the catalogue, each with small counts hidden; charts with a title,
axis labels and a table; CSV columns in the page's order; queries that do not grow."""

import csv
import io
import re
from datetime import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from common.belgium import BRUSSELS
from common.periods import Period
from members.roles import Role
from members.statistics import new_members
from programme.models import Attendance, EnrolmentStatus, SavedModule, ToolOpening
from programme.statistics_use import format_use
from tests.factories import MemberProfileFactory, UserFactory, member, staff
from tests.programme.factories import EnrolmentFactory, ModuleFactory, SessionFactory

pytestmark = pytest.mark.django_db

URL = "/en/dashboard/manager/statistics/"
REPORT = "/en/dashboard/manager/report/"
SPRING = Period(start=datetime(2026, 3, 1).date(), end=datetime(2026, 5, 1).date())


@pytest.fixture(autouse=True)
def june(time_machine):
    time_machine.move_to(datetime(2026, 6, 15, 10, 0, tzinfo=BRUSSELS), tick=False)


def at(day: int, month: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=BRUSSELS)


def joined(when: datetime, province: str = "WLG", language: str = "fr", n: int = 1) -> None:
    for _ in range(n):
        MemberProfileFactory(province=province, preferred_language=language, user__date_joined=when)


@pytest.fixture
def spring_members():
    """March: 6 of Liège reading French, 1 of Namur reading Dutch, 1 without a province;
    one more just after midnight on 1 April (still March in UTC); a staff account."""
    joined(at(10, 3), n=6)
    joined(at(12, 3), province="WNA", language="nl")
    joined(at(20, 3), province="")
    joined(at(1, 4, 0, 30), language="en")
    staff(Role.ADVISOR, date_joined=at(10, 3))
    joined(at(10, 2), n=2)  # before the period


def shown(figures) -> list[str]:
    return [str(figure) for figure in figures]


def test_new_members_by_month_language_and_province(spring_members):
    with translation.override("en"):
        joined_ = new_members(SPRING)
    march, april = joined_.months
    assert (march.month.month, april.month.month) == (3, 4)
    assert (march.total.value, april.total.value, joined_.total.total.value) == (8, 1, 9)
    assert [c.label for c in joined_.languages] == ["French", "Dutch", "English", "Not given"]
    assert [figure.value for figure in march.by_language] == [7, 1, 0, 0]
    assert shown(march.by_language) == ["5", "<5", "0", "0"]
    assert shown(april.by_language) == ["0", "0", "<5", "0"]
    provinces = {c.key: i for i, c in enumerate(joined_.provinces)}
    assert len(provinces) == 12 and joined_.provinces[-1].label == "Not given"
    assert march.by_province[provinces["WLG"]].value == 6
    assert str(march.by_province[provinces["WLG"]]) == "5"
    assert str(march.by_province[provinces["WNA"]]) == "<5"
    assert str(march.by_province[provinces[""]]) == "<5"
    assert str(joined_.total.total) == "10"  # 9 rounded to the nearest 5


def test_an_empty_period_has_every_month_at_zero():
    joined_ = new_members(SPRING)
    assert [str(row.total) for row in joined_.months] == ["0", "0"]
    assert set(shown(joined_.total.by_province)) == {"0"}


@pytest.fixture
def spring_use():
    """March: a workshop taken by 3 members (2 attended, one of them twice), a webinar by
    8; a partner's digital tool saved by 6 members, 1 more in February."""
    workshop = ModuleFactory(format="workshop")
    first, second = (
        SessionFactory(module=workshop, starts_at=at(d, 3), ends_at=at(d, 3, 12), capacity=20)
        for d in (10, 20)
    )
    regular, once, absent = member(), member(), member()
    for session in (first, second):
        EnrolmentFactory(
            session=session,
            user=regular,
            status=EnrolmentStatus.CONFIRMED,
            attendance=Attendance.ATTENDED,
        )
    EnrolmentFactory(
        session=first, user=once, status=EnrolmentStatus.CONFIRMED, attendance="attended"
    )
    EnrolmentFactory(
        session=first, user=absent, status=EnrolmentStatus.CONFIRMED, attendance="no_show"
    )
    EnrolmentFactory(session=first, status=EnrolmentStatus.WAITLISTED)
    EnrolmentFactory(session=first, status=EnrolmentStatus.CANCELLED)
    webinar = SessionFactory(
        module=ModuleFactory(format="webinar"), starts_at=at(5, 4), ends_at=at(5, 4, 11)
    )
    for _ in range(8):
        EnrolmentFactory(session=webinar, status=EnrolmentStatus.CONFIRMED)
    tool = ModuleFactory(format="digital_tool", external_url="https://evoluno.example/")
    other_tool = ModuleFactory(format="digital_tool", external_url="https://amarok.example/")
    for _ in range(6):
        SavedModule.objects.create(user=member(), module=tool)
    SavedModule.objects.create(user=regular, module=other_tool)
    SavedModule.objects.create(user=regular, module=tool)  # the same member, once
    SavedModule.objects.update(created_at=at(2, 3))
    early = SavedModule.objects.create(user=member(), module=tool)
    SavedModule.objects.filter(pk=early.pk).update(created_at=at(20, 2))
    # Openings of the tools: 9 in March, 3 in April; February and May are outside.
    for module, month, count in (
        (tool, 3, 5),
        (other_tool, 3, 4),
        (tool, 4, 3),
        (tool, 2, 40),
        (other_tool, 5, 40),
    ):
        ToolOpening.objects.create(module=module, month=at(1, month).date(), count=count)


def test_members_by_format(spring_use):
    rows = {row.format: row for row in format_use(SPRING)}
    assert list(rows) == ["webinar", "workshop", "digital_tool", "practical_content", "elearning"]
    workshop, webinar, tool = rows["workshop"], rows["webinar"], rows["digital_tool"]
    assert (workshop.enrolled.value, workshop.attended.value) == (3, 2)
    assert (str(workshop.enrolled), str(workshop.attended)) == ("<5", "<5")
    assert (webinar.enrolled.value, str(webinar.enrolled), str(webinar.attended)) == (8, "10", "0")
    assert tool.enrolled is None and tool.attended is None
    assert (tool.saved.value, str(tool.saved)) == (7, "5")
    assert str(rows["practical_content"].saved) == "0"
    assert (tool.openings.value, str(tool.openings)) == (12, "10")
    assert all(row.openings is None for row in rows.values() if row.format != "digital_tool")


# --- The page, its files and the report ------------------------------------------------------


def headers(page: str, table_id: str) -> list[str]:
    table = page.split(f'id="{table_id}"')[1].split("</thead>")[0]
    return [
        re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<th[^>]*>(.*?)</th>", table)
    ]


def csv_rows(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_page_and_its_files_have_the_same_columns(client, spring_members, spring_use):
    client.force_login(staff(Role.PROGRAMME_MANAGER))
    period = {"start": "2026-03", "end": "2026-04"}
    page = client.get(URL, period).content.decode()
    for table in ("new-members", "new-members-provinces", "content-use"):
        export = client.get(URL, {**period, "export": table})
        assert f'filename="statistics-{table}-2026-03-2026-04.csv"' in export["Content-Disposition"]
        rows = csv_rows(export)
        assert rows[0] == headers(page, table), table
        assert f"export={table}" in page
    languages = csv_rows(client.get(URL, {**period, "export": "new-members"}))
    assert languages[1:] == [
        ["2026-03", "10", "5", "<5", "0", "0"],
        ["2026-04", "<5", "0", "0", "<5", "0"],
        ["Total", "10", "5", "<5", "<5", "0"],
    ]
    use = csv_rows(client.get(URL, {**period, "export": "content-use"}))
    assert use[1] == ["Webinar", "10", "0", "0", ""]
    assert use[3] == ["Digital tool", "", "", "5", "10"]
    assert headers(page, "content-use")[-1] == "Openings of the tool"
    assert "<td>&lt;5</td>" in page.split('id="content-use"')[1].split("</table>")[0]


def test_each_chart_has_a_title_axis_labels_and_a_table(client, spring_members):
    client.force_login(staff(Role.PROGRAMME_MANAGER))
    page = client.get(URL, {"start": "2026-03", "end": "2026-04"}).content.decode()
    for chart_id, title, unit, table in (
        ("seats-chart", "Confirmed seats per month", "Confirmed seats", "by-month"),
        ("new-members-chart", "New members per month", "New members (people)", "new-members"),
    ):
        figure = page.split(f'id="{chart_id}"')[1].split("</figure>")[0]
        assert f'<figcaption class="h5" id="{chart_id}-title">{title}</figcaption>' in figure
        assert f'aria-labelledby="{chart_id}-title" aria-describedby="{chart_id}-desc"' in figure
        assert re.search(rf'<desc id="{chart_id}-desc">[^<]*The table “[^”]+” gives', figure)
        assert f">{unit}</text>" in figure and ">Month (Belgian time)</text>" in figure
        assert f'href="#{table}">See the figures as a table</a>' in figure
        assert f'id="{table}"' in page
    joined_chart = page.split('id="new-members-chart"')[1].split("</figure>")[0]
    assert "<title>March 2026: 10</title>" in joined_chart
    assert "<title>April 2026: &lt;5</title>" in joined_chart
    # The reach beside it rounds too, or its exact totals would give the months away.
    reach = page.split('id="reach-summary"')[1].split("</dl>")[0]
    assert 'New members</dt><dd class="col-sm-6 col-lg-2">10</dd>' in reach  # 9 joined


def test_the_report_has_new_members_and_the_formats(client, spring_members, spring_use):
    client.force_login(staff(Role.PROGRAMME_MANAGER))
    page = client.get(REPORT, {"quarter": "2026-Q1"}).content.decode()
    assert 'id="report-new-members"' in page and 'id="report-content-use"' in page
    march = page.split('id="new-members"')[1].split("</table>")[0]
    assert "March 2026</th><td>10</td><td>5</td><td>&lt;5</td>" in march
    assert 'id="new-members-provinces"' not in page
    assert "export=" not in page.split('id="report-content-use"')[1]


def page_queries(client) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as context:
        assert client.get(URL, {"start": "2026-01", "end": "2026-06"}).status_code == 200
    return len(context.captured_queries)


def test_the_new_figures_add_no_query_per_member_or_format(client):
    client.force_login(staff(Role.PROGRAMME_MANAGER))

    def grow(n):
        for i in range(n):
            joined(at(1 + i % 28, 1 + i % 6), province="WNA" if i % 2 else "BRU")
            session = SessionFactory(
                module=ModuleFactory(format=("webinar", "workshop")[i % 2]),
                starts_at=at(1 + i % 28, 1 + i % 6),
                ends_at=at(1 + i % 28, 1 + i % 6, 12),
            )
            EnrolmentFactory(session=session, status=EnrolmentStatus.CONFIRMED)
            SavedModule.objects.create(
                user=UserFactory(roles=[Role.MEMBER]), module=ModuleFactory(format="elearning")
            )
            ToolOpening.objects.create(
                module=ModuleFactory(format="digital_tool", external_url="https://t.example/"),
                month=at(1, 1 + i % 6).date(),
                count=i + 1,
            )

    grow(1)
    few = page_queries(client)
    grow(12)
    assert page_queries(client) == few
