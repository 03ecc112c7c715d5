"""The quarterly programme report: the last full quarter by default, a bad or empty
quarter, figures from every app, the PDF read back, who may read it, and queries that
do not grow with the data."""

import io
from datetime import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from pypdf import PdfReader

from common.belgium import BRUSSELS
from dashboards import kept
from dashboards.kept import reach_kept
from dashboards.report import Quarter
from members.roles import Role
from surveys.models import FeedbackItem, FeedbackStatus
from tests.assessments.research import participant
from tests.dashboards.programme import summer_programme
from tests.factories import member, staff

pytestmark = pytest.mark.django_db

URL = "/en/dashboard/manager/report/"


@pytest.fixture(autouse=True)
def november(time_machine):
    time_machine.move_to(datetime(2026, 11, 20, 10, tzinfo=BRUSSELS), tick=False)


@pytest.fixture
def manager(client):
    client.force_login(staff(Role.PROGRAMME_MANAGER))
    cache.clear()
    return client


def test_quarters():
    assert Quarter.of(datetime(2026, 11, 20).date()).previous() == Quarter(2026, 3)
    assert Quarter(2026, 1).previous() == Quarter(2025, 4)
    period = Quarter(2026, 3).period
    assert (period.start.isoformat(), period.end.isoformat()) == ("2026-07-01", "2026-10-01")


def test_only_programme_managers_read_the_report(client):
    assert client.get(URL).status_code == 302
    for role in (Role.AMBASSADOR, Role.ADVISOR):
        client.force_login(staff(role))
        assert client.get(URL).status_code == 403
        assert client.get(URL, {"format": "pdf"}).status_code == 403
    client.force_login(member())
    assert client.get(URL).status_code == 403


def test_the_last_full_quarter_by_default(manager):
    summer_programme()
    response = manager.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Q3 2026: from 1 July 2026 up to 1 October 2026" in html
    assert '<option value="2026-Q3" selected>' in html
    reach = html.split('id="report-reach-summary"')[1].split("</dl>")[0]
    assert '<dd class="col-sm-6 col-lg-2">&lt;5</dd>' in reach  # 3, a small count
    formats = html.split('id="report-formats"')[1].split("</table>")[0]
    assert "Workshop" in formats and "<td>75%</td>" in formats  # 3 of 4 seats


def test_an_empty_or_unknown_quarter_never_fails(manager):
    response = manager.get(URL, {"quarter": "2024-Q1"})  # offered, nothing in it
    assert response.status_code == 200
    assert "No session in this period." in response.content.decode()
    for bad in ("2031-Q2", "nonsense", "2026-Q9", ""):
        response = manager.get(URL, {"quarter": bad})
        assert response.status_code == 200
        assert "the last full quarter is shown" in response.content.decode()
    assert manager.get(URL, {"quarter": "nonsense", "format": "pdf"})["Content-Type"].startswith(
        "text/html"
    )


def test_feedback_by_status_counts_the_quarter(manager):
    for status in (FeedbackStatus.NEW, FeedbackStatus.DONE, FeedbackStatus.DONE):
        item = FeedbackItem.objects.create(
            kind="suggestion", text="x", language="fr", status=status
        )
        FeedbackItem.objects.filter(pk=item.pk).update(
            created_at=datetime(2026, 8, 1, tzinfo=BRUSSELS)
        )
    FeedbackItem.objects.create(kind="suggestion", text="later", language="fr")  # November
    html = manager.get(URL).content.decode()
    table = html.split('id="report-feedback-table"')[1].split("</table>")[0]
    assert "New</th><td>1</td>" in table
    assert "Done</th><td>2</td>" in table


def test_the_changes_made_in_the_quarter_are_listed(manager):
    from datetime import date

    from tests.surveys.test_roundtables import decision, idea, publish, round_table

    table = round_table(held_on=date(2026, 7, 2))
    publish(decision(table, items=[idea()]), done_on=date(2026, 8, 20))
    publish(
        decision(table, text="Plus tard"),
        done_on=date(2026, 10, 5),
        public_text_fr="Un changement d'octobre.",
        public_text_nl="Een wijziging van oktober.",
    )
    html = manager.get(URL, {"quarter": "2026-Q3"}).content.decode()
    section = html.split('id="report-changes"')[1].split("</section>")[0]
    assert "Un atelier trésorerie le soir." in section
    assert "octobre" not in section
    assert "<td>&lt;5</td>" in section  # one message: a small count stays small
    empty = manager.get(URL, {"quarter": "2026-Q2"}).content.decode()
    assert "No change was published as done in this quarter." in empty


def pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="programme-report-2026-Q3.pdf"' in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_the_pdf_reads_back_with_the_page_figures(manager):
    summer_programme()
    for _ in range(10):
        participant("low", "good", start=datetime(2026, 3, 2).date())
    text = pdf_text(manager.get(URL, {"quarter": "2026-Q3", "format": "pdf"}))
    for expected in (
        "Quarterly programme report",
        "Q3 2026",
        "Reach",
        "Sessions and fill rates",
        "Satisfaction",
        "Listening cell",
        "Feedback handled",
        "Impact",
        "Workshop",
        "75%",
        "28.0 (28.0 – 28.0)",
    ):
        assert expected in text, expected


def test_the_pdf_of_an_empty_quarter(manager):
    text = pdf_text(manager.get(URL, {"quarter": "2026-Q3", "format": "pdf"}))
    assert "No session in this period." in text
    assert "Suppressed" in text


def queries(client) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as context:
        assert client.get(URL, {"quarter": "2026-Q3"}).status_code == 200
    return len(context.captured_queries)


def test_the_report_runs_the_same_queries_whatever_the_data(manager):
    summer_programme()
    participant(start=datetime(2026, 3, 2).date())
    few = queries(manager)
    for _ in range(5):
        summer_programme()
        participant(start=datetime(2026, 3, 2).date())
    assert queries(manager) == few


def test_the_reach_of_a_quarter_that_is_over_is_kept(manager):
    summer_programme()
    q3 = Quarter(2026, 3).period

    def count() -> int:
        with CaptureQueriesContext(connection) as context:
            assert manager.get(URL, {"quarter": "2026-Q3"}).status_code == 200
        return len(context.captured_queries)

    queries(manager)  # everything else the report keeps is now kept
    with translation.override("en"):  # the page's language, part of the key
        cache.delete(kept.kept_key("reach", q3))
    counted = count()
    assert count() == counted - 2  # who took part, who joined: kept
    summer_programme()  # 3 more members, joined today and active in Q3
    assert reach_kept(q3)[0].total == 3  # kept for PERIOD_OVER_SECONDS
    assert reach_kept(Quarter(2026, 4).period)[1].total == 6  # running, not yet kept


def test_a_running_period_is_kept_a_minute_and_one_that_is_over_ten(monkeypatch):
    kept_for: dict[str, int] = {}
    monkeypatch.setattr(
        kept.cache, "set", lambda key, value, seconds: kept_for.__setitem__(key, seconds)
    )
    over, running = Quarter(2026, 3).period, Quarter(2026, 4).period
    for period in (over, running):
        assert kept.kept("figures", period, lambda p: p.start) == period.start
    assert kept_for == {
        kept.kept_key("figures", over): kept.PERIOD_OVER_SECONDS,
        kept.kept_key("figures", running): kept.RUNNING_SECONDS,
    }
