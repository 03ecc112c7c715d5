"""A manager attaches a replay to a session that took place; a participant finds it."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from members.roles import Role
from programme.models import SessionMaterial
from tests.e2e.conftest import AxeChecker
from tests.e2e.journeys import sign_in
from tests.factories import member, staff
from tests.programme.factories import EnrolmentFactory, ModuleFactory, SessionFactory


@pytest.fixture(autouse=True)
def _tasks_in_process(in_process_tasks):
    """The notices run in-process after commit instead of waiting for a worker."""


@pytest.mark.parametrize("width", [390, 1280])
def test_manager_attaches_a_replay_and_the_participant_sees_it(
    live_server, browser, settings, tmp_path, width
):
    settings.MEDIA_ROOT = tmp_path
    start = timezone.now() - timedelta(days=1)
    session = SessionFactory(
        module=ModuleFactory(title="Mieux dormir", slug="mieux-dormir"),
        starts_at=start,
        ends_at=start + timedelta(hours=1),
    )
    participant = member(first_name="Camille")
    EnrolmentFactory(session=session, user=participant, attendance="no_show")
    manager = staff(Role.PROGRAMME_MANAGER)
    viewport = {"width": width, "height": 900}

    staff_side = browser.new_context(viewport=viewport, locale="en-BE")
    page = staff_side.new_page()
    axe = AxeChecker(page)
    sign_in(page, live_server, manager)
    page.goto(f"{live_server.url}/en/programme/manage/sessions/{session.pk}/")
    page.get_by_role("link", name="Replays and material").click()
    expect(page).to_have_url(re.compile(rf"/sessions/{session.pk}/material/$"))
    axe("session material, empty")
    page.get_by_label("Kind").select_option("replay")
    page.get_by_label("Title").fill("Le replay de la séance")
    page.get_by_label("Link").fill("javascript:alert(1)")
    page.get_by_role("button", name="Attach").click()
    expect(page.locator("main")).to_contain_text("must start with http:// or https://")
    axe("session material, a refused link")
    page.get_by_label("Link").fill("https://video.example.org/replay/42")
    page.get_by_label("Visible to everyone later").check()
    page.get_by_role("button", name="Attach").click()
    expect(page.locator(".alert-success")).to_contain_text("The material is attached")
    expect(page.locator("#material-list")).to_contain_text("Le replay de la séance")
    axe("session material, one replay")
    staff_side.close()

    assert SessionMaterial.objects.get().visible_later
    [notice] = [m for m in mail.outbox if m.to == [participant.email]]
    assert "Mieux dormir" in notice.subject

    member_side = browser.new_context(viewport=viewport, locale="fr-BE")
    page = member_side.new_page()
    axe = AxeChecker(page)
    sign_in(page, live_server, participant, language="fr")
    page.goto(f"{live_server.url}/fr/programme/sessions/{session.pk}/")
    material = page.locator("#session-material")
    expect(material).to_contain_text("Replay et supports")
    link = material.get_by_role("link", name="Le replay de la séance")
    expect(link).to_have_attribute("href", "https://video.example.org/replay/42")
    axe("session page with its replay")
    page.goto(f"{live_server.url}/fr/programme/modules/mieux-dormir/")
    expect(page.locator("#session-material")).to_contain_text("Le replay de la séance")
    axe("module page keeps the replay")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    member_side.close()
