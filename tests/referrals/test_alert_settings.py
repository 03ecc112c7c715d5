"""Advisors turn the listening cell's e-mails off and back on from their own space."""

import pytest

from notifications.models import MessagePreference
from notifications.preferences import STAFF_ALERTS, preference_enabled
from notifications.services import preference_set

pytestmark = pytest.mark.django_db

URL = "/en/listening-cell/alerts/"


def test_the_page_says_what_the_emails_are_and_that_they_are_on(advisor_client):
    page = advisor_client.get(URL).content.decode()
    assert "You receive the listening cell's e-mails." in page
    assert 'name="staff_alerts"' in page
    assert "checked" in page
    assert "08:00" in page


def test_unticking_turns_them_off_and_ticking_back_on(advisor_client, advisor_user, other_advisor):
    # An unticked box sends no field at all: the empty POST is what turns them off.
    response = advisor_client.post(URL, {})
    assert response.status_code == 302
    assert response["Location"] == URL
    assert not preference_enabled(advisor_user, STAFF_ALERTS)
    assert preference_enabled(other_advisor, STAFF_ALERTS)
    page = advisor_client.get(URL).content.decode()
    assert "You will no longer receive the listening cell&#x27;s e-mails." in page
    assert "You do not receive the listening cell's e-mails." in page
    assert "checked" not in page

    advisor_client.post(URL, {"staff_alerts": "on"})
    assert preference_enabled(advisor_user, STAFF_ALERTS)
    assert MessagePreference.objects.get(user=advisor_user, category=STAFF_ALERTS).enabled


def test_saving_the_same_choice_twice_changes_nothing(advisor_client, advisor_user):
    advisor_client.post(URL, {})
    advisor_client.post(URL, {})
    assert MessagePreference.objects.filter(user=advisor_user, category=STAFF_ALERTS).count() == 1


def test_the_page_shows_a_choice_made_from_an_email(advisor_client, advisor_user):
    preference_set(user=advisor_user, category=STAFF_ALERTS, enabled=False)
    page = advisor_client.get(URL).content.decode()
    assert "You do not receive the listening cell's e-mails." in page


def test_reading_the_page_changes_nothing(advisor_client, advisor_user):
    advisor_client.get(URL, {"staff_alerts": ""})
    assert preference_enabled(advisor_user, STAFF_ALERTS)


def test_the_digest_time_shown_is_the_configured_one(settings, advisor_client):
    settings.REFERRALS_DIGEST_TIME = "07:30"
    assert "07:30" in advisor_client.get(URL).content.decode()


def test_advisors_find_it_from_their_home(advisor_client):
    assert (
        'href="/en/listening-cell/alerts/"'
        in advisor_client.get("/en/dashboard/advisor/").content.decode()
    )


@pytest.mark.parametrize("role_user", ["member_user", "ambassador_user", "manager_user"])
def test_other_roles_cannot_change_an_advisors_switch(client, request, role_user):
    user = request.getfixturevalue(role_user)
    client.force_login(user)
    assert client.post(URL, {}).status_code == 403
    assert preference_enabled(user, STAFF_ALERTS)
