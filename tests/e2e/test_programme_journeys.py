"""Programme journeys in the browser: enrol, waitlist promotion, a manager's session."""

import re
from datetime import timedelta

import icalendar
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from programme import services
from programme.models import Enrolment, Module, ModuleFormat, Session
from tests.e2e.conftest import AxeChecker
from tests.e2e.journeys import log_in, sign_in
from tests.factories import member, staff
from tests.programme.factories import ModuleFactory, SessionFactory, ThemeFactory


@pytest.fixture(autouse=True)
def _tasks_in_process(in_process_tasks):
    """Enrolling hands e-mails to a worker after commit: here they run in-process instead
    of waiting in CI's Redis for a worker that never comes."""


def test_member_finds_a_dutch_sleep_workshop_enrols_downloads_ics_and_cancels(
    live_server, browser, page, axe, csp_violations, tmp_path
):
    sleep = ThemeFactory(slug="sleep", name_en="Sleep")
    stress = ThemeFactory(slug="stress", name_en="Stress")
    workshop = ModuleFactory(
        title="Beter slapen als zelfstandige",
        language="nl",
        themes=[sleep],
        description="Een **praktische** workshop. [Meer info](https://partner.example/slaap)",
    )
    ModuleFactory(title="Mieux dormir", language="fr", themes=[sleep])
    ModuleFactory(title="Stress webinar", language="nl", format="webinar", themes=[stress])
    session = SessionFactory(
        module=workshop,
        capacity=1,
        mode="in_person",
        venue="Ondernemershuis",
        address="Kortrijksesteenweg 1104, 9051 Gent",
        province="VOV",
        join_url="",
    )
    first, waiting = member(), member()

    sign_in(page, live_server, first)
    page.goto(live_server.url + "/en/programme/")
    axe("catalogue")
    filters = page.locator("form.catalogue-filters")
    filters.get_by_label("Sleep", exact=True).check()
    filters.get_by_label("Dutch", exact=True).check()
    filters.get_by_label("Workshop", exact=True).check()
    filters.get_by_role("button", name="Show the modules").click()
    expect(page).to_have_url(re.compile(r"\?theme=sleep&format=workshop&language=nl"))
    expect(page.locator("#results-title")).to_contain_text("1 module found")
    axe("filtered catalogue")

    page.get_by_role("link", name="Beter slapen als zelfstandige").click()
    expect(page.locator("h1")).to_have_text("Beter slapen als zelfstandige")
    expect(page.locator(".module-description strong")).to_have_text("praktische")
    axe("module page")

    page.get_by_role("button", name=re.compile(r"^Enrol")).click()
    expect(page.locator(".alert-success")).to_contain_text("You are enrolled")
    expect(page.locator(".enrolment-state")).to_contain_text("You are enrolled")
    axe("module page, enrolled")
    # The only seat is taken: the next member joins the waitlist.
    queued = services.enrolment_create(session_id=session.pk, user=waiting).enrolment
    assert queued.status == "waitlisted"

    page.goto(live_server.url + f"/en/programme/sessions/{session.pk}/")
    axe("session page, enrolled")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"Add to my calendar")).click()
    path = tmp_path / "session.ics"
    download_info.value.save_as(path)
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    event = calendar.events[0]
    assert str(event["UID"]).startswith(f"session-{session.pk}@")
    assert "Ondernemershuis" in str(event["LOCATION"])
    assert calendar.timezones[0]["TZID"] == "Europe/Brussels"

    page.get_by_role("link", name=re.compile(r"^Cancel my enrolment")).click()
    expect(page.locator("#what-happens")).to_contain_text("first person on the waitlist")
    axe("cancel confirmation")
    page.get_by_role("button", name="Yes, cancel my enrolment").click()
    expect(page.locator(".alert-success")).to_contain_text("Your enrolment is cancelled")
    axe("session page, cancelled")
    assert Enrolment.objects.get(user=first).status == "cancelled"
    assert csp_violations == []

    # The member who was waiting now holds the seat, and sees it in their parcours.
    context = browser.new_context(locale="en-BE", timezone_id="Europe/Brussels")
    other = context.new_page()
    sign_in(other, live_server, waiting)
    other.get_by_role("link", name="My path").first.click()
    expect(other.locator("h1")).to_have_text("My path")
    expect(other.locator("#parcours-upcoming")).to_contain_text("Beter slapen als zelfstandige")
    expect(other.locator("#parcours-waitlist")).to_contain_text("You are not waiting for a seat")
    AxeChecker(other)("parcours after promotion")

    other.get_by_role("link", name="Follow my sessions in my own calendar").click()
    feed_url = other.locator("#feed-url").input_value()
    AxeChecker(other)("calendar feed page")
    other.get_by_role("button", name="Create a new address").click()
    expect(other.locator(".alert-success")).to_contain_text("The previous one no longer works")
    assert other.locator("#feed-url").input_value() != feed_url
    assert other.request.get(feed_url).status == 404
    context.close()
    assert Enrolment.objects.get(user=waiting).status == "confirmed"


def test_manager_creates_a_module_and_a_session_then_marks_attendance(
    live_server, page, axe, csp_violations, time_machine
):
    from members.roles import Role

    ThemeFactory(slug="client-pressure", name_en="Client pressure")
    manager = staff(Role.PROGRAMME_MANAGER)
    log_in(page, live_server, manager, axe=axe)
    page.get_by_role("link", name="Manage the programme").first.click()
    axe("manager session list")

    page.get_by_role("link", name="Modules", exact=True).first.click()
    page.get_by_role("link", name="New module").click()
    axe("new module form")
    page.get_by_label("Title").fill("Négocier avec ses clients")
    page.get_by_label("Summary").fill("Des outils pour garder la main face aux clients exigeants.")
    page.get_by_label("Description (Markdown)").fill("Un atelier **pratique**.")
    page.get_by_label("Workshop", exact=True).check()
    page.get_by_label("French", exact=True).check()
    page.get_by_label("Client pressure", exact=True).check()
    page.get_by_label("Duration (minutes)").fill("120")
    page.get_by_role("button", name="Save the module").click()
    expect(page.locator(".alert-success")).to_contain_text("The module is saved")
    module = Module.objects.get(title="Négocier avec ses clients")
    assert not module.is_published and module.format == ModuleFormat.WORKSHOP
    row = page.locator("#module-table tr", has_text="Négocier avec ses clients")
    row.get_by_role("button", name=re.compile("^Publish")).click()
    expect(page.locator(".alert-success")).to_contain_text("The module is published")
    axe("module list")

    row = page.locator("#module-table tr", has_text="Négocier avec ses clients")
    row.get_by_role("link", name=re.compile("^Add a session")).click()
    axe("new session form")
    starts = timezone.localtime(timezone.now() + timedelta(days=3)).replace(
        hour=14, minute=0, second=0, microsecond=0
    )
    page.get_by_label("Starts at").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Ends at").fill((starts + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("In person", exact=True).check()
    page.get_by_label("Venue").fill("Maison de l'Entreprise")
    page.get_by_label("Address").fill("Rue de Fer 22, 5000 Namur")
    page.get_by_label("Province").select_option("WNA")
    page.get_by_label("Capacity").fill("2")
    page.get_by_role("button", name="Save the session").click()
    expect(page.locator(".alert-success")).to_contain_text("The session is created")
    page.get_by_role("button", name="Publish").click()
    expect(page.locator("#session-status")).to_contain_text("Published")
    axe("session roster before it starts")
    page.get_by_role("link", name="Duplicate").click()
    expect(page).to_have_url(re.compile(r"/sessions/\d+/duplicate/$"))
    axe("duplicate a session")
    page.go_back()
    expect(page).to_have_url(re.compile(r"/sessions/\d+/$"))
    page.get_by_role("link", name="Cancel the session").click()
    expect(page).to_have_url(re.compile(r"/sessions/\d+/cancel/$"))
    axe("cancel a session")
    page.get_by_role("link", name="Keep the session").click()

    session = Session.objects.get(module=module)
    assert session.is_published and timezone.localtime(session.starts_at) == starts
    people = [member(last_name=name) for name in ("Lambert", "Janssens", "Dubois")]
    for person in people:
        services.enrolment_create(session_id=session.pk, user=person)

    time_machine.move_to(starts + timedelta(hours=2, minutes=5))
    # Days later the idle staff session has ended (30 minutes): logged out, log in again.
    page.reload()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    log_in(page, live_server, manager)
    page.goto(f"{live_server.url}/en/programme/manage/sessions/{session.pk}/")
    expect(page.locator("#waitlist")).to_contain_text("Dubois")
    participants = page.locator("#participants")
    participants.locator("tr", has_text="Janssens").get_by_label("Did not attend").check()
    page.get_by_role("button", name="Mark everyone not recorded as attended").click()
    expect(page.locator(".alert-success")).to_contain_text("Attendance saved (2 changed)")
    axe("session roster after attendance")

    marks = dict(
        Enrolment.objects.filter(session=session).values_list("user__last_name", "attendance")
    )
    assert marks == {"Lambert": "attended", "Janssens": "no_show", "Dubois": ""}

    # The statistics read the session: one seat attended of the two marked.
    page.get_by_role("link", name="Statistics").first.click()
    summary = page.locator("#programme-summary")
    expect(summary).to_contain_text("Attendance rate")
    expect(summary.locator("dd").nth(3)).to_have_text("50%")
    expect(page.locator("#by-formats")).to_contain_text("Workshop")
    axe("programme statistics")
    page.get_by_label("From (month)").fill("2020-01")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose at most 36 months")
    axe("programme statistics, a period too long")
    page.set_viewport_size({"width": 375, "height": 740})
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    assert csp_violations == []


def test_catalogue_fits_a_phone(live_server, browser):
    ModuleFactory.create_batch(14, language="nl")
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    for url in ("/en/programme/", "/en/programme/?page=2"):
        page.goto(live_server.url + url)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, url
    AxeChecker(page)("catalogue on a phone")
    context.close()
