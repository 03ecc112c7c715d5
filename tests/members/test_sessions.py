"""Sessions that end: members choose to stay signed in, staff are signed out when idle."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from members.roles import Role
from tests.factories import PASSWORD, current_totp_code, member, staff

pytestmark = pytest.mark.django_db

LOGIN = "/fr/accounts/login/"
HOME = "/fr/dashboard/"
FOURTEEN_DAYS = 14 * 24 * 3600


def log_in(client, user, *, remember: bool):
    data = {"login": user.email, "password": PASSWORD}
    if remember:
        data["remember"] = "on"
    response = client.post(LOGIN, data)
    if "/2fa/authenticate/" in response.get("Location", ""):
        response = client.post(response["Location"], {"code": current_totp_code(user)})
    assert response.status_code == 302 and "_auth_user_id" in client.session
    return response


def signed_in(client) -> bool:
    """The role home answers (a page or the role's own home), not the login page."""
    response = client.get(HOME)
    return not response.get("Location", "").startswith(LOGIN) and response.status_code < 400


def test_the_login_page_offers_to_stay_signed_in(client):
    page = client.get(LOGIN).content.decode()
    assert 'name="remember"' in page


def test_a_member_who_stays_signed_in_keeps_the_session_fourteen_days(client):
    log_in(client, member(), remember=True)
    assert not client.session.get_expire_at_browser_close()
    assert client.session.get_expiry_age() == FOURTEEN_DAYS
    assert client.cookies["sessionid"]["max-age"] == FOURTEEN_DAYS
    with time_machine.travel(timezone.now() + timedelta(days=13)):
        assert signed_in(client)


def test_otherwise_a_members_session_ends_with_the_browser(client):
    log_in(client, member(), remember=False)
    assert client.session.get_expire_at_browser_close()
    # No max-age: the browser forgets the cookie when it closes.
    assert client.cookies["sessionid"]["max-age"] == ""


@pytest.mark.parametrize("role", [Role.AMBASSADOR, Role.ADVISOR, Role.PROGRAMME_MANAGER])
def test_a_staff_session_ends_after_thirty_minutes_idle_even_when_remembered(client, role):
    user = staff(role)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        log_in(client, user, remember=True)
        assert client.session.get_expiry_age() == 30 * 60
        assert client.cookies["sessionid"]["max-age"] == 30 * 60
    # Active every 25 minutes: still signed in after an hour and a quarter.
    for minutes in (25, 50, 75):
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            assert signed_in(client)
    # Then 31 minutes without a request: signed out.
    with time_machine.travel(start + timedelta(minutes=75 + 31), tick=False):
        response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


@time_machine.travel(timezone.now(), tick=False)
def test_the_idle_limit_is_a_setting(client, settings):
    settings.STAFF_SESSION_IDLE_MINUTES = 5
    log_in(client, staff(Role.ADVISOR), remember=False)
    assert client.session.get_expiry_age() == 5 * 60
    assert not client.session.get_expire_at_browser_close()


def test_a_staff_session_is_saved_at_most_once_a_minute(client):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        log_in(client, staff(Role.AMBASSADOR), remember=False)
        client.get(HOME)
        with CaptureQueriesContext(connection) as within_the_minute:
            client.get(HOME)
    two_minutes_later = time_machine.travel(start + timedelta(minutes=2), tick=False)
    with two_minutes_later, CaptureQueriesContext(connection) as later:
        client.get(HOME)
    assert not any("UPDATE" in q["sql"] for q in within_the_minute.captured_queries)
    assert len(later) > len(within_the_minute)  # the session's new end, saved
    assert any('UPDATE "django_session"' in q["sql"] for q in later.captured_queries)
