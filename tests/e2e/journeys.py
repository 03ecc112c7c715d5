"""Steps the browser journeys share."""

import re
import time

from allauth.mfa import app_settings as mfa_settings
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from members.models import MemberProfile
from tests.factories import PASSWORD, current_totp_code
from tests.waiting import wait_until


def log_in(page, live_server, user, *, language: str = "en", axe=None) -> None:
    """Log in through the real login page, with the two-factor step staff roles have.

    The portal lands people in their own language: the journeys read English unless
    they ask for another.
    """
    MemberProfile.objects.filter(user=user).update(preferred_language=language)
    page.goto(f"{live_server.url}/{language}/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").click()
    if getattr(user, "totp_secret", None):
        expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
        if axe is not None:
            axe("two-factor code")
        page.fill("input[name=code]", fresh_totp_code(user))
        page.locator("main button.btn-primary[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/{language}/dashboard/"))


def sign_in(page, live_server, user, *, language: str = "en") -> None:
    """Signed in without the login page, for journeys about something else: the browser
    gets the cookies a login would have given it (the session, the language) and opens
    the home a login lands on. A second or so less than log_in, which each role still
    walks through in the journeys that are about signing in (two-factor step included).

    A page that was already used as a visitor loses that session: a journey that carries
    something from before the login (a guest's answers) logs in with log_in.
    """
    MemberProfile.objects.filter(user=user).update(preferred_language=language)
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session,
                "url": live_server.url,
                "httpOnly": True,
                "sameSite": "Lax",
            },
            {
                "name": settings.LANGUAGE_COOKIE_NAME,
                "value": language,
                "url": live_server.url,
                "sameSite": "Lax",
            },
        ]
    )
    page.goto(f"{live_server.url}/{language}/dashboard/")
    expect(page).to_have_url(re.compile(rf"/{language}/dashboard/"))


def fresh_totp_code(user) -> str:
    """The current code, with time left in its window: allauth accepts no drift
    (MFA_TOTP_TOLERANCE 0), so a code read in a window's last moment may be refused."""
    period = mfa_settings.TOTP_PERIOD
    wait_until(
        lambda: period - time.time() % period >= 3,
        timeout=5,
        what="a two-factor code window with three seconds left",
    )
    return current_totp_code(user)
