"""A visitor becomes a member: sign up, confirm, switch language, fill in the profile."""

import re

from playwright.sync_api import expect

from members.models import MemberProfile


def test_sign_up_confirm_switch_language_and_edit_profile(
    live_server, page, axe, csp_violations, mailoutbox
):
    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("footer")).to_contain_text("0800 32 123")
    axe("home")

    page.get_by_role("link", name="Créer un compte").first.click()
    axe("sign-up")
    # A mismatched password first: the page says what is wrong.
    page.fill("input[name=email]", "nouvelle@example.org")
    page.fill("input[name=password1]", "Un-mot-de-passe-solide-7")
    page.fill("input[name=password2]", "Un-autre-mot-de-passe-8")
    page.locator("main button[type=submit]").click()
    expect(page.locator("main .invalid-feedback").first).to_be_visible()
    axe("sign-up with errors")

    page.fill("input[name=password1]", "Un-mot-de-passe-solide-7")
    page.fill("input[name=password2]", "Un-mot-de-passe-solide-7")
    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/fr/accounts/confirm-email/$"))
    axe("verification sent")

    link = re.search(r"https?://\S+/confirm-email/\S+/", mailoutbox[0].body).group(0)
    page.goto(link)
    axe("confirm e-mail")
    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/fr/dashboard/member/$"))
    expect(page.locator("h1")).to_contain_text("nouvelle@example.org")
    axe("member home")

    page.get_by_role("link", name=re.compile(r"^NL\b")).click()
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page).to_have_url(re.compile(r"/nl/dashboard/member/$"))
    axe("member home in Dutch")

    page.goto(live_server.url + "/nl/me/profile/")
    axe("profile form")
    page.fill("input[name=first_name]", "Nadia")
    page.fill("input[name=last_name]", "Claes")
    page.select_option("select[name=province]", "VAN")
    page.fill("input[name=postcode]", "20")
    page.select_option("select[name=activity_sector]", "creative")
    page.check("input[name=self_employment][value=complementary]")
    page.locator("main button[type=submit]").click()
    expect(page.locator("#id_postcode")).to_have_attribute("aria-invalid", "true")
    axe("profile form with an error")
    page.fill("input[name=postcode]", "2000")
    page.select_option("select[name=preferred_language]", "nl")
    page.locator("main button[type=submit]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    axe("profile saved")

    profile = MemberProfile.objects.get(user__email="nouvelle@example.org")
    assert (profile.province, profile.postcode, profile.self_employment) == (
        "VAN",
        "2000",
        "complementary",
    )
    assert csp_violations == []


def test_log_in_wrong_password_then_reset(live_server, page, axe, csp_violations, mailoutbox):
    from tests.factories import PASSWORD, member

    user = member()
    page.goto(live_server.url + "/fr/accounts/login/")
    axe("login")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", "pas-le-bon")
    page.locator("main button[type=submit]").click()
    expect(page.locator("main .alert, main .invalid-feedback").first).to_be_visible()
    axe("login error")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/fr/dashboard/member/$"))

    page.get_by_role("button", name="Se déconnecter").click()
    page.goto(live_server.url + "/fr/accounts/password/reset/")
    axe("password reset")
    page.fill("input[name=email]", user.email)
    page.locator("main button[type=submit]").click()
    axe("password reset sent")
    assert "/password/reset/key/" in mailoutbox[-1].body
    assert csp_violations == []


def test_the_home_page_fits_a_phone(live_server, browser):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    page.goto(live_server.url + "/fr/")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    page.get_by_role("button", name=re.compile("menu", re.I)).click()
    expect(page.locator("#main-nav").get_by_role("link", name="Se connecter")).to_be_visible()
    context.close()
