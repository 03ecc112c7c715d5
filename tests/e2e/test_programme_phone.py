"""Phone-first pages: the header at 360 and 1280 px for every role."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from members.roles import Role
from programme import services
from programme.models import Enrolment, EnrolmentStatus
from tests.assessments.factories import keep_result
from tests.e2e.conftest import AxeChecker
from tests.e2e.journeys import sign_in
from tests.factories import member, staff
from tests.programme.factories import ModuleFactory, SessionFactory, ThemeFactory


@pytest.fixture(autouse=True)
def _tasks_in_process(in_process_tasks):
    """Cancelling hands e-mails to a worker after commit: here they run in-process."""


PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 800}

# Everything in the header a person may need to reach: nothing may sit past the right edge.
HEADER_OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const late = [];
  for (const el of document.querySelectorAll('.portal-header a, .portal-header button')) {
    const box = el.getBoundingClientRect();
    if (box.width && box.right > width + 0.5) late.push((el.textContent || '').trim() + ' @' + Math.round(box.right));
  }
  return {width, scroll: document.documentElement.scrollWidth, late};
}"""


def csp_violations_for(page) -> list[str]:
    seen: list[str] = []
    page.on(
        "console",
        lambda message: (
            seen.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return seen


def _header_fits(page, label: str) -> None:
    seen = page.evaluate(HEADER_OVERFLOW)
    assert seen["late"] == [], f"{label}: header past {seen['width']} px: {seen['late']}"
    assert seen["scroll"] <= seen["width"], f"{label}: page {seen['scroll']} px wide"


def _open_menu_if_collapsed(page) -> None:
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()
        page.locator("#main-nav.show").wait_for()


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["360px", "1280px"])
@pytest.mark.parametrize("language", ["fr", "nl"])
def test_the_header_fits_for_every_role(live_server, browser, size, language):
    people = [
        ("visitor", None),
        ("member", member()),
        ("ambassador", staff(Role.AMBASSADOR)),
        ("advisor", staff(Role.ADVISOR)),
        ("programme manager", staff(Role.PROGRAMME_MANAGER)),
    ]
    for role, user in people:
        context = browser.new_context(viewport=size, locale="fr-BE")
        page = context.new_page()
        if user is None:
            page.goto(f"{live_server.url}/{language}/")
        else:
            sign_in(page, live_server, user, language=language)
        label = f"{role}, {language}, {size['width']} px"
        _header_fits(page, label)
        _open_menu_if_collapsed(page)
        _header_fits(page, label + ", menu open")
        if user is not None:
            # Log out is on screen (in the top bar, or in the opened menu on a phone).
            assert page.locator(".portal-header form[action*=logout] button:visible").count() == 1
        AxeChecker(page)(label)
        context.close()


IPHONE = {"width": 390, "height": 844}


def _catalogue_modules():
    sleep = ThemeFactory(slug="sleep", name_fr="Sommeil", name_en="Sleep")
    for n in range(4):
        ModuleFactory(title=f"Atelier sommeil {n}", themes=[sleep])
    ModuleFactory(title="Fiche pratique : dormir", format="practical_content", themes=[sleep])


def test_the_catalogue_on_a_phone_shows_the_first_result_on_the_first_screen(live_server, browser):
    _catalogue_modules()
    for javascript in (True, False):
        context = browser.new_context(
            viewport=IPHONE, locale="fr-BE", java_script_enabled=javascript
        )
        page = context.new_page()
        seen = csp_violations_for(page)
        page.goto(f"{live_server.url}/fr/programme/")
        first = page.locator("#module-list > li").first
        box = first.bounding_box()
        assert box is not None and box["y"] < IPHONE["height"], box
        # The filters wait folded above the results; a tap opens them, script or not.
        panel = page.locator("#filter-panel")
        assert panel.get_attribute("open") is None
        expect(page.get_by_label("Sommeil", exact=True)).to_be_hidden()
        if javascript:  # axe runs as a script: only where the page allows scripts
            AxeChecker(page)("catalogue at 390 px, filters folded")
        page.locator("#filter-panel > summary").click()
        page.get_by_label("Sommeil", exact=True).check()
        page.get_by_label("Contenu pratique", exact=True).check()
        page.get_by_role("button", name="Afficher les modules").click()
        expect(page.locator("#results-title")).to_contain_text("1 module")
        expect(page.locator("#active-filters")).to_contain_text("2")
        box = page.locator("#module-list > li").first.bounding_box()
        assert box is not None and box["y"] < IPHONE["height"], box
        if javascript:
            AxeChecker(page)("filtered catalogue at 390 px")
        assert seen == []
        context.close()


def test_the_catalogue_on_a_desktop_shows_the_filters_beside_the_results(live_server, page, axe):
    _catalogue_modules()
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/fr/programme/")
    expect(page.locator("#filter-panel")).to_have_attribute("open", "")
    expect(page.get_by_label("Sommeil", exact=True)).to_be_visible()
    filters = page.locator("#filter-panel").bounding_box()
    first = page.locator("#module-list > li").first.bounding_box()
    assert filters and first and filters["x"] + filters["width"] <= first["x"]
    axe("catalogue at 1280 px")


@pytest.mark.parametrize("size", [IPHONE, DESKTOP], ids=["390px", "1280px"])
def test_a_member_adds_the_feed_to_a_calendar_app_or_copies_it(live_server, browser, size):
    user = member()
    context = browser.new_context(viewport=size, locale="fr-BE")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    # What the page hands the clipboard, read back without the clipboard (headless reads hang).
    context.add_init_script(
        "if (navigator.clipboard) { const write = navigator.clipboard.writeText.bind("
        "navigator.clipboard); navigator.clipboard.writeText = (text) => "
        "{ window.copiedText = text; return write(text); }; }"
    )
    page = context.new_page()
    sign_in(page, live_server, user, language="fr")
    page.goto(f"{live_server.url}/fr/programme/calendar/")
    feed_url = page.locator("#feed-url").input_value()
    apple = page.get_by_role("link", name="Calendrier Apple (iPhone, Mac)")
    expect(apple).to_have_attribute("href", "webcal://" + feed_url.split("://", 1)[1])
    expect(page.locator("#add-google")).to_have_attribute("href", re.compile(r"\?cid=webcal"))
    expect(page.locator("#add-outlook")).to_have_attribute("href", re.compile(r"addfromweb\?url="))
    for name in ("Google Agenda", "Calendrier Apple (iPhone, Mac)", "Outlook"):
        box = page.get_by_role("link", name=re.compile("^" + re.escape(name))).bounding_box()
        assert box is not None and box["y"] + box["height"] <= size["height"], name
    page.get_by_role("button", name="Copier").click()
    expect(page.locator("#copy-status")).to_have_text("L’adresse est copiée.")
    assert page.evaluate("window.copiedText") == feed_url
    AxeChecker(page)(f"calendar page at {size['width']} px")
    context.close()


def _on_first_screen(locator, size) -> None:
    box = locator.bounding_box()
    assert box is not None and box["y"] + box["height"] <= size["height"], box


@pytest.mark.parametrize("size", [IPHONE, DESKTOP], ids=["390px", "1280px"])
def test_a_member_saves_a_sheet_and_finds_it_on_their_home(live_server, browser, size):
    guide = ModuleFactory(
        title="Fiche : dire non à un client",
        format="practical_content",
        content_kind="guide",
        summary="Quelques phrases prêtes à l’emploi pour poser tes limites.",
    )
    user = member()
    context = browser.new_context(viewport=size, locale="fr-BE")
    page = context.new_page()
    seen = csp_violations_for(page)
    axe = AxeChecker(page)
    sign_in(page, live_server, user, language="fr")
    page.goto(f"{live_server.url}/fr/programme/modules/{guide.slug}/")
    keep = page.get_by_role("button", name="Garder cette fiche pour plus tard")
    _on_first_screen(keep, size)
    axe(f"sheet page at {size['width']} px")
    keep.click()
    expect(page.locator(".alert-success")).to_contain_text("La fiche est dans ta bibliothèque")
    # Saving again (a second tab, a double tap) keeps one row and says so.
    page.goto(f"{live_server.url}/fr/programme/modules/{guide.slug}/")
    expect(page.get_by_role("button", name="Retirer de ma bibliothèque")).to_be_visible()

    page.goto(f"{live_server.url}/fr/dashboard/")
    library = page.locator("#my-library")
    expect(library.locator("#library-sheets")).to_contain_text("Fiche : dire non à un client")
    axe(f"member home with the library at {size['width']} px")
    library.get_by_role("button", name=re.compile("^Retirer")).click()
    expect(page.locator(".alert-success")).to_contain_text("La fiche ne figure plus")
    expect(page.locator("#my-library")).not_to_contain_text("Fiche : dire non à un client")
    axe(f"member home, library emptied at {size['width']} px")
    assert seen == []
    context.close()


@pytest.mark.parametrize("size", [IPHONE, DESKTOP], ids=["390px", "1280px"])
def test_a_member_cancels_an_enrolment_after_reading_what_happens(live_server, browser, size):
    session = SessionFactory(module=ModuleFactory(title="Atelier : mieux dormir"), capacity=1)
    user, waiting = member(), member()
    services.enrolment_create(session_id=session.pk, user=user)
    services.enrolment_create(session_id=session.pk, user=waiting)
    context = browser.new_context(viewport=size, locale="fr-BE")
    page = context.new_page()
    seen = csp_violations_for(page)
    axe = AxeChecker(page)
    sign_in(page, live_server, user, language="fr")
    page.goto(f"{live_server.url}/fr/programme/sessions/{session.pk}/")
    page.get_by_role("link", name=re.compile("^Annuler mon inscription")).click()
    expect(page.locator("h1")).to_have_text("Annuler ton inscription ?")
    expect(page.locator("#what-happens")).to_contain_text("1 personne en attente")
    confirm = page.get_by_role("button", name="Oui, annuler mon inscription")
    _on_first_screen(confirm, size)
    axe(f"cancel confirmation at {size['width']} px")
    # Changing one's mind changes nothing.
    page.get_by_role("link", name="Garder ma place").click()
    expect(page).to_have_url(re.compile(rf"/sessions/{session.pk}/$"))
    assert Enrolment.objects.get(user=user).status == EnrolmentStatus.CONFIRMED

    page.get_by_role("link", name=re.compile("^Annuler mon inscription")).click()
    page.get_by_role("button", name="Oui, annuler mon inscription").click()
    expect(page).to_have_url(re.compile(rf"/sessions/{session.pk}/$"))
    expect(page.locator(".alert-success")).to_contain_text("Ton inscription est annulée")
    axe(f"session page after cancelling at {size['width']} px")
    assert Enrolment.objects.get(user=user).status == EnrolmentStatus.CANCELLED
    assert Enrolment.objects.get(user=waiting).status == EnrolmentStatus.CONFIRMED
    assert seen == []
    context.close()


def test_the_self_assessment_history_reads_as_cards_on_a_phone(live_server, browser):
    user = member()
    for days, band in ((60, "very-low"), (30, "low"), (1, "good")):
        keep_result(user, "who-5", band, when=timezone.now() - timedelta(days=days))
    context = browser.new_context(viewport=IPHONE, locale="fr-BE")
    page = context.new_page()
    sign_in(page, live_server, user, language="fr")
    page.goto(f"{live_server.url}/fr/self-assessments/history/")
    rows = page.locator("#history-who-5 table tbody tr")
    expect(rows).to_have_count(3)
    assert rows.first.evaluate("row => getComputedStyle(row).display") == "block"
    table = page.locator("#history-who-5 table").bounding_box()
    assert table is not None and table["x"] + table["width"] <= IPHONE["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= IPHONE["width"]
    # Each value says which column it belongs to.
    expect(rows.first.locator("td[data-label]").first).to_have_attribute("data-label", "Score")
    AxeChecker(page)("self-assessment history at 390 px")
    context.close()
