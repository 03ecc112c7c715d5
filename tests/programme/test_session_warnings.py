"""Managers are warned about a session on a Belgian public holiday or of a draft module, and
find a module by title or provider (issue 17, session operations)."""

from datetime import datetime

import pytest
from django.utils import translation

from common.belgium import BRUSSELS, public_holiday
from programme.selectors import session_warnings

from .factories import ModuleFactory, SessionFactory

pytestmark = pytest.mark.django_db


def test_belgian_public_holidays_are_named_in_the_reader_s_language():
    national_day = datetime(2027, 7, 21).date()
    with translation.override("fr"):
        assert public_holiday(national_day) == "Fête nationale"
    with translation.override("nl"):
        assert public_holiday(national_day) == "Nationale feestdag"
    assert public_holiday(datetime(2027, 7, 22).date()) is None


def test_a_session_on_a_holiday_of_a_draft_module_says_both():
    session = SessionFactory(
        module=ModuleFactory(is_published=False),
        starts_at=datetime(2027, 7, 21, 10, tzinfo=BRUSSELS),
        ends_at=datetime(2027, 7, 21, 12, tzinfo=BRUSSELS),
    )
    with translation.override("en"):
        warnings = [str(w) for w in session_warnings(session)]
    assert len(warnings) == 2
    assert "public holiday" in warnings[0] and "draft" in warnings[1]


def test_an_ordinary_session_has_no_warning(client, manager_user):
    session = SessionFactory(
        module=ModuleFactory(is_published=True),
        starts_at=datetime(2027, 7, 22, 10, tzinfo=BRUSSELS),
        ends_at=datetime(2027, 7, 22, 12, tzinfo=BRUSSELS),
    )
    assert session_warnings(session) == []
    client.force_login(manager_user)
    page = client.get(f"/en/programme/manage/sessions/{session.pk}/").content.decode()
    assert 'id="session-warnings"' not in page


def test_the_roster_shows_the_warnings(client, manager_user):
    session = SessionFactory(
        module=ModuleFactory(is_published=False),
        starts_at=datetime(2027, 12, 25, 10, tzinfo=BRUSSELS),
        ends_at=datetime(2027, 12, 25, 12, tzinfo=BRUSSELS),
    )
    client.force_login(manager_user)
    page = client.get(f"/en/programme/manage/sessions/{session.pk}/").content.decode()
    assert 'id="session-warnings"' in page
    assert "Christmas" in page and "still a draft" in page


def test_managers_find_a_module_by_title_or_provider(client, manager_user):
    ModuleFactory(title="Atelier sommeil", provider="Evoluno")
    ModuleFactory(title="Webinaire stress", provider="Amarok")
    client.force_login(manager_user)
    url = "/en/programme/manage/modules/"
    page = client.get(url, {"q": "SOMMEIL"}).content.decode()
    assert "Atelier sommeil" in page and "Webinaire stress" not in page
    page = client.get(url, {"q": "amarok"}).content.decode()
    assert "Webinaire stress" in page and "Atelier sommeil" not in page
    for junk in ("%", "_", "' OR 1=1 --", "x" * 500):
        response = client.get(url, {"q": junk})
        assert response.status_code == 200
        assert 'id="module-search-empty"' in response.content.decode()
