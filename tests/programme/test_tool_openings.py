"""Opening a partner's digital tool (issue 17, content and digital-tool use): the portal
counts the openings per tool and month, keeps no one's name, and sends the browser on."""

from datetime import date, datetime

import pytest
from django.db.models import QuerySet

from common.belgium import BRUSSELS
from members.roles import Role
from programme.models import ToolOpening
from programme.services import tool_opened
from tests.factories import member, staff
from tests.programme.factories import ModuleFactory

pytestmark = pytest.mark.django_db

EVOLUNO = "https://evoluno.example/start"


@pytest.fixture
def tool():
    return ModuleFactory(
        slug="evoluno", format="digital_tool", external_url=EVOLUNO, provider="Evoluno"
    )


def move_to(time_machine, month: int, day: int = 15) -> None:
    time_machine.move_to(datetime(2026, month, day, 10, 0, tzinfo=BRUSSELS), tick=False)


def test_each_opening_counts_and_sends_the_browser_to_the_tool(client, tool, time_machine):
    move_to(time_machine, 3)
    for _ in range(2):
        response = client.get("/fr/programme/modules/evoluno/open/")
        assert response.status_code == 302
        assert response["Location"] == EVOLUNO
        assert response["Referrer-Policy"] == "no-referrer"
        assert "no-cache" in response["Cache-Control"]
    move_to(time_machine, 4, 1)
    client.force_login(member())
    assert client.get("/fr/programme/modules/evoluno/open/")["Location"] == EVOLUNO
    rows = ToolOpening.objects.order_by("month").values_list("module_id", "month", "count")
    assert list(rows) == [(tool.pk, date(2026, 3, 1), 2), (tool.pk, date(2026, 4, 1), 1)]


def test_the_count_keeps_no_one(tool):
    columns = {field.name for field in ToolOpening._meta.get_fields()}
    assert columns == {"id", "module", "month", "count"}


def test_the_first_opening_of_a_month_written_by_another_request_still_counts(tool, monkeypatch):
    """Another request created the month's row after our update missed it: the unique
    constraint refuses a second row and the count is raised instead."""
    ToolOpening.objects.create(module=tool, month=date(2026, 5, 1), count=3)
    real_update = QuerySet.update
    calls = []

    def first_one_misses(self, **kwargs):
        calls.append(kwargs)
        return 0 if len(calls) == 1 else real_update(self, **kwargs)

    monkeypatch.setattr(QuerySet, "update", first_one_misses)
    tool_opened(module=tool, day=date(2026, 5, 20))
    assert len(calls) == 2
    assert ToolOpening.objects.get(module=tool, month=date(2026, 5, 1)).count == 4
    assert ToolOpening.objects.count() == 1


@pytest.mark.parametrize(
    "kind",
    ["unknown", "unpublished", "no link", "not a tool"],
)
def test_only_a_published_tool_with_a_link_opens(client, kind):
    modules = {
        "unpublished": {"is_published": False},
        "no link": {"external_url": ""},
        "not a tool": {"format": "elearning"},
    }
    if kind != "unknown":
        defaults = {"format": "digital_tool", "external_url": EVOLUNO}
        ModuleFactory(slug="amarok", **(defaults | modules[kind]))
    assert client.get("/fr/programme/modules/amarok/open/").status_code == 404
    assert client.get("/fr/programme/modules/no%20such%20tool/open/").status_code == 404
    assert not ToolOpening.objects.exists()


def test_the_module_page_links_to_the_tool_through_the_portal(client, tool):
    page = client.get("/en/programme/modules/evoluno/").content.decode()
    link = page.split('id="external-link"')[0].rsplit("<a ", 1)[1]
    assert 'href="/en/programme/modules/evoluno/open/"' in link
    assert 'rel="noopener noreferrer"' in link
    assert "Open the tool of Evoluno" in page.split('id="external-link"')[1].split("</a>")[0]
    assert "(external site, you leave the portal)" in page
    assert not ToolOpening.objects.exists()  # showing the page opens nothing


def test_other_links_and_a_managers_preview_go_straight(client):
    ModuleFactory(slug="course", format="elearning", external_url="https://course.example/")
    ModuleFactory(slug="draft", format="digital_tool", external_url=EVOLUNO, is_published=False)
    assert (
        'href="https://course.example/"'
        in client.get("/en/programme/modules/course/").content.decode()
    )
    client.force_login(staff(Role.PROGRAMME_MANAGER))
    assert f'href="{EVOLUNO}"' in client.get("/en/programme/modules/draft/").content.decode()
