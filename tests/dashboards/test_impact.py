"""The impact page: who may read it, suppressed groups under 10, the CSV of aggregates,
and queries that do not grow with the data."""

import csv
import io
import re
from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from common.belgium import BRUSSELS
from members.roles import Role
from tests.assessments.research import participant
from tests.factories import member, staff

pytestmark = pytest.mark.django_db

URL = "/en/dashboard/manager/impact/"


@pytest.fixture(autouse=True)
def december(time_machine):
    time_machine.move_to(datetime(2026, 12, 1, 10, tzinfo=BRUSSELS), tick=False)


def test_only_programme_managers_see_the_impact(client):
    assert client.get(URL).status_code == 302  # visitors log in first
    for role in (Role.AMBASSADOR, Role.ADVISOR):
        client.force_login(staff(role))
        assert client.get(URL).status_code == 403
        assert client.get(URL, {"export": "csv"}).status_code == 403
    client.force_login(member())
    assert client.get(URL).status_code == 403
    assert client.get(URL, {"export": "csv"}).status_code == 403
    client.force_login(staff(Role.PROGRAMME_MANAGER))
    assert client.get(URL).status_code == 200
    assert client.post(URL).status_code == 405


def figures_shown(html: str) -> list[int]:
    """Every count of people the page shows (the summaries and the tables' People column)."""
    found = re.findall(r'data-figure="\w+">([^<]*)<', html)
    found += re.findall(r'<th scope="row"[^>]*>.*?</th>\s*<td>([^<]*)</td>', html)
    return [int(value) for value in found if value.strip().isdigit()]


def test_no_data_and_a_small_cohort_show_no_count_under_10(client):
    client.force_login(staff(Role.PROGRAMME_MANAGER))
    response = client.get(URL)
    assert response.status_code == 200
    assert 'data-impact="suppressed"' in response.content.decode()
    for _ in range(9):
        participant()
    html = client.get(URL).content.decode()
    assert 'data-figure="paired">&lt;10<' in html
    assert all(n == 0 or n >= 10 for n in figures_shown(html))
    assert "<svg" not in html.split('id="impact-who-5"')[1].split("</section>")[0]


def test_the_change_shows_from_10_participants(client):
    for _ in range(10):
        participant("low", "good")  # 40 % then 68 %
    client.force_login(staff(Role.PROGRAMME_MANAGER))
    html = client.get(URL).content.decode()
    section = html.split('id="impact-who-5"')[1].split("</section>")[0]
    assert 'data-figure="paired">10<' in section
    assert "28.0 (28.0 – 28.0)" in section
    assert "100 %" in section  # all rose by 10 points or more
    assert section.count("<circle") == 2  # overall and "no module"
    assert all(n == 0 or n >= 10 for n in figures_shown(html))
    assert "40" not in re.sub(r"<[^>]+>", " ", section).split()  # no score of anyone


def test_the_csv_holds_aggregates_only(client):
    people = [participant("low", "good") for _ in range(10)]
    client.force_login(staff(Role.PROGRAMME_MANAGER))
    response = client.get(URL, {"export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["Instrument", "Breakdown", "Group", "Participants (rounded)"]
    overall = next(row for row in rows if row[0] == "WHO-5" and row[2] == "All participants")
    assert overall[3:] == ["10", "28.0", "28.0", "28.0", "100"]
    pss = next(row for row in rows if row[0] == "PSS-10" and row[2] == "All participants")
    assert pss[3:] == ["0", "", "", "", ""]
    text = response.content.decode()
    for person in people:
        assert person.email not in text
        assert str(person.research_participant.pseudonym) not in text


def queries(client) -> list[str]:
    with CaptureQueriesContext(connection) as context:
        assert client.get(URL).status_code == 200
    return [query["sql"] for query in context.captured_queries]


def test_the_page_runs_the_same_queries_whatever_the_data(client):
    client.force_login(staff(Role.PROGRAMME_MANAGER))
    participant()
    few = queries(client)
    for _ in range(12):
        participant(code="pss-10", first="high", later="moderate")
        participant()
    many = queries(client)
    assert len(many) == len(few)
    # Both computed the figures (a new measure forgets them): one query for the sums.
    for sqls in (few, many):
        assert sum("modules_attended" in sql for sql in sqls) == 1
