"""A programme manager runs the team: invites an ambassador, who joins on a phone."""

import re

from playwright.sync_api import expect

from members.models import User
from members.roles import Role, roles_of
from tests.factories import PASSWORD, staff

from .journeys import sign_in

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def test_a_manager_invites_an_ambassador_who_joins_on_a_phone(
    live_server, browser, axe, mailoutbox
):
    manager = staff(Role.PROGRAMME_MANAGER)
    desk = browser.new_context(viewport=DESKTOP, locale="en-GB")
    page = desk.new_page()
    sign_in(page, live_server, manager)
    page.get_by_role("link", name="Programme team").click()
    expect(page.locator("h1")).to_have_text("Programme team")
    axe.page = page
    axe("team list")

    page.get_by_role("link", name="Invite someone").click()
    axe("invitation form")
    page.fill("input[name=email]", "sam.ambassador@example.org")
    page.check("input[name=role][value=ambassador]")
    page.check("input[name=language][value=en]")
    page.locator("main button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("sam.ambassador@example.org")
    expect(page.locator(".alert-success")).to_contain_text("The invitation was sent")
    axe("team list with the invitation waiting")

    link = re.search(r"https?://\S+/team/join/\S+/", mailoutbox[-1].body).group(0)
    phone = browser.new_context(viewport=PHONE, is_mobile=True, locale="en-GB")
    mobile = phone.new_page()
    axe.page = mobile
    mobile.goto(link)
    expect(mobile.locator("h1")).to_have_text("Join the programme team")
    axe("invitation accepted on a phone")
    mobile.fill("input[name=first_name]", "Sam")
    mobile.fill("input[name=last_name]", "Peeters")
    mobile.fill("input[name=password1]", PASSWORD)
    mobile.fill("input[name=password2]", PASSWORD)
    mobile.locator("main button[type=submit]").click()
    expect(mobile).to_have_url(re.compile(r"/en/dashboard/ambassador/$"))
    expect(mobile.locator("h1")).to_contain_text("Sam Peeters")
    axe("ambassador home")
    assert roles_of(User.objects.get(email="sam.ambassador@example.org")) == {Role.AMBASSADOR}

    # The link served once.
    mobile.goto(link)
    expect(mobile.locator("h1")).to_have_text("This invitation cannot be used")
    axe("invitation used twice")
    phone.close()
    desk.close()


def test_a_manager_reads_the_history_of_a_partner_s_phone_number(live_server, browser, axe):
    from tests.referrals.factories import PartnerFactory

    partner = PartnerFactory(name="Crisis line", phone="02 648 40 14", is_crisis_line=True)
    colleague = staff(Role.PROGRAMME_MANAGER, first_name="Lea", last_name="Janssens")
    manager = staff(Role.PROGRAMME_MANAGER, first_name="Tom", last_name="Maes")

    desk = browser.new_context(viewport=DESKTOP, locale="en-GB")
    page = desk.new_page()
    axe.page = page
    sign_in(page, live_server, colleague)
    page.goto(f"{live_server.url}/en/listening-cell/staff/partners/{partner.pk}/edit/")
    page.fill("input[name=phone]", "0800 32 123")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/en/listening-cell/staff/partners/$"))
    desk.close()

    phone = browser.new_context(viewport=PHONE, is_mobile=True, locale="en-GB")
    mobile = phone.new_page()
    axe.page = mobile
    sign_in(mobile, live_server, manager)
    mobile.goto(f"{live_server.url}/en/listening-cell/staff/partners/")
    mobile.get_by_role("link", name="Edit Crisis line").click()
    history = mobile.locator("section[aria-labelledby=history-title]")
    expect(history.get_by_role("heading", name="History")).to_be_visible()
    first = history.locator("tbody tr").first
    expect(first).to_contain_text("Lea Janssens")
    expect(first).to_contain_text("Phone: 02 648 40 14 → 0800 32 123")
    axe("partner history on a phone")
    phone.close()
