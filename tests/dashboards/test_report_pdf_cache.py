"""The quarterly report's PDF: a quarter that is over is made once and kept (per
language) for a while, the current quarter is made every time, and a Redis outage only
costs the rendering."""

from datetime import datetime
from socket import socket
from unittest import mock

import pytest
from django.core.cache import cache

from common.belgium import BRUSSELS
from dashboards import report
from members.roles import Role
from tests.dashboards.programme import summer_programme
from tests.factories import staff

pytestmark = pytest.mark.django_db

URL = "/{language}/dashboard/manager/report/"


@pytest.fixture(autouse=True)
def november(time_machine):
    time_machine.move_to(datetime(2026, 11, 20, 10, tzinfo=BRUSSELS), tick=False)


@pytest.fixture
def manager(client):
    client.force_login(staff(Role.PROGRAMME_MANAGER))
    cache.clear()
    return client


@pytest.fixture
def renders():
    with mock.patch.object(report, "report_pdf", wraps=report.report_pdf) as spy:
        yield spy


def pdf(client, quarter: str, language: str = "en") -> bytes:
    response = client.get(URL.format(language=language), {"quarter": quarter, "format": "pdf"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response.content


def test_a_quarter_that_is_over_is_rendered_once(manager, renders):
    summer_programme()
    first = pdf(manager, "2026-Q3")
    assert renders.call_count == 1
    summer_programme()  # a late edit shows once the kept PDF expires
    assert pdf(manager, "2026-Q3") == first
    assert renders.call_count == 1
    cache.delete(report.report_pdf_cache_key(report.Quarter(2026, 3), "en"))
    assert pdf(manager, "2026-Q3") == first  # made again, from the figures kept beside it
    assert renders.call_count == 2
    cache.clear()  # the PDF and its figures expire together (kept.PERIOD_OVER_SECONDS)
    assert pdf(manager, "2026-Q3") != first
    assert renders.call_count == 3


def test_the_current_quarter_is_rendered_every_time(manager, renders):
    pdf(manager, "2026-Q4")
    pdf(manager, "2026-Q4")
    assert renders.call_count == 2


def test_each_language_has_its_own_pdf(manager, renders):
    english, french = pdf(manager, "2026-Q3", "en"), pdf(manager, "2026-Q3", "fr")
    assert renders.call_count == 2
    assert english != french
    assert pdf(manager, "2026-Q3", "fr") == french
    assert pdf(manager, "2026-Q3", "en") == english
    assert renders.call_count == 2


def test_the_page_itself_is_not_kept(manager, renders):
    url = URL.format(language="en")
    assert manager.get(url, {"quarter": "2026-Q3"}).status_code == 200
    assert renders.call_count == 0
    pdf(manager, "2026-Q3")
    assert renders.call_count == 1


def test_without_redis_the_pdf_is_still_made_and_kept_in_memory(manager, renders, settings):
    with socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CACHES = {
        "default": {
            "BACKEND": "common.cache.FailSoftRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    first = pdf(manager, "2026-Q3")
    assert pdf(manager, "2026-Q3") == first
    assert renders.call_count == 1
