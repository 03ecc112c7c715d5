"""Check-in on the day: a manager at the door finds names on a phone and taps people in."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from members.roles import Role
from programme import services
from programme.models import Enrolment, Session
from tests.e2e.conftest import AxeChecker
from tests.e2e.journeys import sign_in
from tests.factories import member, staff
from tests.programme.factories import ModuleFactory, SessionFactory

IPHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture(autouse=True)
def _tasks_in_process(in_process_tasks):
    """Enrolling hands e-mails to a worker after commit: here they run in-process."""


def csp_violations_for(page) -> list[str]:
    seen: list[str] = []
    page.on(
        "console",
        lambda message: (
            seen.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return seen


def _workshop_under_way() -> tuple[Session, dict[str, Enrolment]]:
    """Four people enrolled last week; the workshop began ten minutes ago."""
    session = SessionFactory(
        module=ModuleFactory(title="Atelier : tenir le cap"),
        mode="in_person",
        join_url="",
        venue="Maison de l'entreprise",
        province="WNA",
    )
    people = {}
    for first, last in (
        ("Marie", "Dupont"),
        ("Hélène", "Dupuis"),
        ("Jan", "Peeters"),
        ("Luc", "Martin"),
    ):
        user = member(first_name=first, last_name=last)
        people[first] = services.enrolment_create(session_id=session.pk, user=user).enrolment
    now = timezone.now()
    Session.objects.filter(pk=session.pk).update(
        starts_at=now - timedelta(minutes=10), ends_at=now + timedelta(hours=2)
    )
    return session, people


def _tap_target(locator, size) -> None:
    box = locator.bounding_box()
    assert box is not None and box["height"] >= 44 and box["width"] >= 44, box
    assert box["y"] + box["height"] <= size["height"], box  # on the first screen


@pytest.mark.parametrize("size", [IPHONE, DESKTOP], ids=["390px", "1280px"])
def test_a_manager_searches_names_and_checks_people_in(live_server, browser, size):
    session, people = _workshop_under_way()
    context = browser.new_context(viewport=size, locale="fr-BE")
    page = context.new_page()
    seen = csp_violations_for(page)
    axe = AxeChecker(page)
    sign_in(page, live_server, staff(Role.PROGRAMME_MANAGER), language="fr")
    page.goto(f"{live_server.url}/fr/programme/manage/sessions/{session.pk}/")
    page.get_by_role("link", name="Accueil le jour même").click()
    page.wait_for_url(re.compile(rf"/sessions/{session.pk}/check-in/$"))
    expect(page.locator("h1")).to_have_text(
        "Accueil des participants\u00a0: Atelier : tenir le cap"
    )
    count = page.locator("#checkin-count")
    expect(count).to_have_text("0 présent sur 4")
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
    _tap_target(page.get_by_role("button", name="Pointer l’arrivée de Hélène Dupuis"), size)
    axe(f"check-in list at {size['width']} px")

    # Typing filters at once; Enter searches on the server, as without a script.
    search = page.get_by_role("searchbox", name="Chercher un nom")
    search.fill("pee")
    expect(page.locator("#checkin-list > li:visible")).to_have_count(1)
    expect(page.locator("#checkin-shown")).to_have_text("Personnes affichées\u00a0: 1")
    search.fill("dup")
    search.press("Enter")
    page.wait_for_url(re.compile(r"\?q=dup$"))
    rows = page.locator("#checkin-list > li")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Marie Dupont")

    marie = page.get_by_role("button", name="Pointer l’arrivée de Marie Dupont")
    _tap_target(marie, size)
    marie.click()
    page.wait_for_url(re.compile(rf"\?q=dup#person-{people['Marie'].pk}$"))
    expect(count).to_have_text("1 présent sur 4")
    row = page.locator(f"#person-{people['Marie'].pk}")
    expect(row).to_contain_text(re.compile(r"Arrivé·e à \d\d:\d\d"))
    expect(page.locator(".messages[role=status]")).to_contain_text(
        "L’arrivée de Marie Dupont est enregistrée."
    )
    page.get_by_role("button", name="Pointer l’arrivée de Hélène Dupuis").click()
    page.wait_for_url(re.compile(rf"#person-{people['Hélène'].pk}$"))
    expect(count).to_have_text("2 présents sur 4")
    axe(f"two people checked in at {size['width']} px")

    page.get_by_role("button", name="Annuler l’arrivée de Marie Dupont").click()
    page.wait_for_url(re.compile(rf"#person-{people['Marie'].pk}$"))
    expect(count).to_have_text("1 présent sur 4")
    expect(page.get_by_role("button", name="Pointer l’arrivée de Marie Dupont")).to_be_visible()
    expect(page.get_by_role("button", name="Annuler l’arrivée de Hélène Dupuis")).to_be_visible()
    axe(f"one check-in undone at {size['width']} px")

    attendance = dict(
        Enrolment.objects.filter(session=session).values_list("user__first_name", "attendance")
    )
    assert attendance == {"Marie": "", "Hélène": "attended", "Jan": "", "Luc": ""}
    expect(page.get_by_role("link", name="Feuille de présence (PDF)")).to_have_attribute(
        "href", f"/fr/programme/manage/sessions/{session.pk}/sign-in-sheet.pdf"
    )
    assert seen == []
    context.close()


def test_without_a_script_the_search_and_the_taps_still_work(live_server, browser):
    session, people = _workshop_under_way()
    context = browser.new_context(viewport=IPHONE, locale="fr-BE", java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, staff(Role.PROGRAMME_MANAGER), language="fr")
    page.goto(f"{live_server.url}/fr/programme/manage/sessions/{session.pk}/check-in/")
    page.get_by_role("searchbox", name="Chercher un nom").fill("hel")
    page.get_by_role("button", name="Rechercher").click()
    page.wait_for_url(re.compile(r"\?q=hel$"))
    expect(page.locator("#checkin-list > li")).to_have_count(1)
    page.get_by_role("button", name="Pointer l’arrivée de Hélène Dupuis").click()
    page.wait_for_url(re.compile(rf"\?q=hel#person-{people['Hélène'].pk}$"))
    expect(page.locator("#checkin-count")).to_have_text("1 présent sur 4")
    # A reload sends nothing again; the page is the same.
    page.reload()
    expect(page.locator("#checkin-count")).to_have_text("1 présent sur 4")
    assert Enrolment.objects.get(pk=people["Hélène"].pk).attendance == "attended"
    context.close()
