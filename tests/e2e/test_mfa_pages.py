"""An advisor looks after their second factor on a 390 px phone: every two-factor page
fits, passes axe and runs without a Content-Security-Policy complaint."""

import re

from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from playwright.sync_api import expect

from members.roles import Role
from tests.e2e.conftest import AxeChecker
from tests.e2e.journeys import log_in
from tests.factories import PASSWORD, staff

PHONE = {"width": 390, "height": 844}


def test_the_two_factor_pages_on_a_phone(live_server, browser):
    advisor = staff(Role.ADVISOR)
    RecoveryCodes.activate(advisor)
    context = browser.new_context(viewport=PHONE, is_mobile=True, locale="fr-BE")
    page = context.new_page()
    csp_violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            csp_violations.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    axe = AxeChecker(page)
    log_in(page, live_server, advisor, language="fr")

    # allauth asks for the password once more before the codes.
    page.goto(f"{live_server.url}/fr/accounts/2fa/recovery-codes/")
    expect(page).to_have_url(re.compile(r"/fr/accounts/reauthenticate/"))
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/fr/accounts/2fa/recovery-codes/$"))

    for path, heading in [
        ("/fr/accounts/2fa/", "Authentification à deux facteurs"),
        ("/fr/accounts/2fa/recovery-codes/", "Codes de secours"),
        ("/fr/accounts/2fa/recovery-codes/generate/", "Nouveaux codes de secours"),
        ("/fr/accounts/2fa/totp/deactivate/", "Désactiver l'application d'authentification"),
        ("/fr/accounts/2fa/reauthenticate/", "Le code de l'application, encore une fois"),
    ]:
        page.goto(live_server.url + path)
        expect(page.locator("main h1")).to_have_text(heading)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, path
        axe(path)

    page.goto(f"{live_server.url}/fr/accounts/2fa/recovery-codes/generate/")
    page.get_by_role("button", name="Créer de nouveaux codes").click()
    expect(page).to_have_url(re.compile(r"/fr/accounts/2fa/recovery-codes/$"))
    expect(page.locator(".alert-success")).to_contain_text("De nouveaux codes de secours")
    expect(page.get_by_label("Codes inutilisés")).to_be_visible()
    axe("new codes")
    assert csp_violations == []
    context.close()
