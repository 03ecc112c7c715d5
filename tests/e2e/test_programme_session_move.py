"""A manager cancels a session, moves its people to another date of the module in one
step, then writes to the new session's people."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from members.roles import Role
from programme import services
from programme.models import Enrolment, SessionMessage
from tests.e2e.conftest import AxeChecker
from tests.e2e.journeys import sign_in
from tests.factories import staff
from tests.programme.factories import ModuleFactory, SessionFactory
from tests.programme.helpers import person


@pytest.fixture(autouse=True)
def _tasks_in_process(in_process_mail):
    """The notices run in-process after commit instead of waiting for a worker."""


@pytest.mark.parametrize("width", [390, 1280])
def test_manager_cancels_moves_the_people_and_writes_to_them(live_server, browser, width):
    module = ModuleFactory(title="Mieux dormir", slug="mieux-dormir")
    old = SessionFactory(module=module, capacity=3)
    starts = timezone.now() + timedelta(days=21)
    new = SessionFactory(module=module, capacity=2, starts_at=starts, venue="")
    # Bert reads his e-mails in Dutch.
    people = [
        person(
            first_name=name,
            last_name="Martin",
            email=f"{name.lower()}@example.org",
            language="nl" if name == "Bert" else "fr",
        )
        for name in ("Anne", "Bert", "Chloe", "Dirk")
    ]
    for user in people:
        services.enrolment_create(session_id=old.pk, user=user)
    manager = staff(Role.PROGRAMME_MANAGER, first_name="Mira", last_name="Leroy")

    context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-BE")
    page = context.new_page()
    axe = AxeChecker(page)
    sign_in(page, live_server, manager)

    # Cancel: the people stay listed on the session's page.
    page.goto(f"{live_server.url}/en/programme/manage/sessions/{old.pk}/")
    page.get_by_role("link", name="Cancel the session").click()
    page.wait_for_url(re.compile(rf"/sessions/{old.pk}/cancel/$"))
    page.get_by_label("Reason, shown to the people enrolled").fill("La salle n'est plus libre.")
    page.get_by_role("button", name="Cancel the session").click()
    page.wait_for_url(re.compile(rf"/manage/sessions/{old.pk}/$"))
    expect(page.locator("#participants")).to_contain_text("anne@example.org")
    expect(page.locator("#waitlist")).to_contain_text("dirk@example.org")
    axe(f"cancelled session keeps its roster, {width} px")

    # Move: choose the new date, read who gets a seat, confirm.
    page.get_by_role("link", name="Move these people to another date").click()
    page.wait_for_url(re.compile(rf"/sessions/{old.pk}/move/$"))
    axe(f"move, choose a session, {width} px")
    page.get_by_label("New session").select_option(str(new.pk))
    page.get_by_role("button", name="See who gets a seat").click()
    page.wait_for_url(re.compile(rf"/sessions/{old.pk}/move/\?target={new.pk}$"))
    plan = page.locator("#move-plan")
    expect(plan).to_contain_text("2 people get a seat")
    expect(plan).to_contain_text("2 people go to its waitlist")
    expect(page.locator("#target-full")).to_contain_text("not have enough seats")
    axe(f"move, the plan, {width} px")
    page.get_by_role("button", name="Move 4 people").click()
    page.wait_for_url(re.compile(rf"/manage/sessions/{new.pk}/$"))
    expect(page.locator(".alert-success")).to_contain_text(
        "4 people moved: 2 with a seat, 2 on the waitlist."
    )
    expect(page.locator("#participants")).to_contain_text("anne@example.org")
    expect(page.locator("#waitlist")).to_contain_text("dirk@example.org")
    expect(page.locator("#session-moves")).to_contain_text("moved here from the cancelled session")
    axe(f"new session after the move, {width} px")
    moved = {m.to[0]: m for m in mail.outbox if "Mieux dormir, " in m.subject}
    assert set(moved) == {u.email for u in people}
    assert moved["bert@example.org"].subject.startswith("Een nieuwe datum voor jou")

    # Write to the new session's people: a preview with the count, then send.
    page.get_by_role("link", name="Write to the people of this session").click()
    page.wait_for_url(re.compile(rf"/sessions/{new.pk}/message/$"))
    expect(page.get_by_label("The confirmed participants (2)")).to_be_checked()
    page.get_by_label("The people on the waitlist (2)").check()
    page.get_by_label("Subject").fill("Ce qu'il faut prévoir")
    page.get_by_label("Text").fill("Prends de quoi écrire.\nÀ bientôt !")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#recipient-count")).to_contain_text("This message goes to 4 people.")
    axe(f"message, preview, {width} px")
    page.get_by_role("button", name="Send the message").click()
    page.wait_for_url(re.compile(rf"/manage/sessions/{new.pk}/$"))
    expect(page.locator(".alert-success")).to_contain_text("on its way to 4 people")
    expect(page.locator("#session-messages")).to_contain_text("Ce qu'il faut prévoir")
    expect(page.locator("#session-messages")).to_contain_text("Mira Leroy")
    axe(f"new session with its message, {width} px")
    context.close()

    assert SessionMessage.objects.get().recipient_count == 4
    written = [m for m in mail.outbox if "Ce qu'il faut prévoir" in m.subject]
    assert sorted(m.to[0] for m in written) == sorted(u.email for u in people)
    assert Enrolment.objects.filter(session=new, status="confirmed").count() == 2
