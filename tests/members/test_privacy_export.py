"""The member's data file: every app's part, what it leaves out, the download behind the
password, and a fixed number of queries whatever the member's history."""

import json
import re
from datetime import timedelta

import pytest
import time_machine
from allauth.account import app_settings as account_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from common import privacy
from members.roles import Role
from members.selectors import member_data, member_data_json
from programme.models import CalendarFeed
from tests.factories import PASSWORD, member, staff

from .history import (
    ADVISOR_NOTE,
    AMBASSADOR_NOTE,
    CONTACT_NOTE,
    FEEDBACK_COMMENT,
    MEMBER_MESSAGE,
    REFERRAL_NOTE,
    build_history,
)

pytestmark = pytest.mark.django_db

PAGE = "/en/me/privacy/my-data/"
DOWNLOAD = "/en/me/privacy/my-data/download/"
REAUTHENTICATE = "/en/accounts/reauthenticate/"

# Queries each app's exporter runs, whatever the member's history.
EXPORTER_QUERIES = {
    "account": 5,
    "programme": 8,  # one for the feedback items the member signed, one for training steps
    "messages": 1,
    "message_preferences": 1,
    "self_assessments": 2,
    "research_evaluation": 1,
    "listening_cell": 5,
}


def reauthenticated(client, user):
    client.force_login(user)
    response = client.post(REAUTHENTICATE, {"password": PASSWORD})
    assert response.status_code == 302, response.content
    return client


def test_every_app_contributes_its_part():
    assert set(privacy.exporters()) == set(EXPORTER_QUERIES)


@pytest.mark.parametrize("name", sorted(EXPORTER_QUERIES))
def test_each_exporter_runs_a_fixed_number_of_queries(name, advisor_user, ambassador_user):
    exporter = privacy.exporters()[name]
    counts = []
    for size in (1, 4):
        user = member()
        build_history(user, advisor=advisor_user, ambassador=ambassador_user, size=size)
        user = type(user).objects.get(pk=user.pk)  # nothing cached from the building
        with CaptureQueriesContext(connection) as queries:
            part = exporter(user)
        assert part, f"{name} exported nothing"
        counts.append(len(queries))
    assert counts == [EXPORTER_QUERIES[name]] * 2, counts


def test_the_file_holds_the_members_data(history):
    with translation.override("en"):
        data = json.loads(member_data_json(history.user))
    assert data["account"]["email"] == history.user.email
    assert data["account"]["profile"]["province"] == "Liège"
    assert {c["consent"] for c in data["account"]["consents"]} == {
        "Keeping my self-assessment results",
        "Sharing what is needed with a partner organisation",
    }
    assert all(c["text"] for c in data["account"]["consents"])

    programme = data["programme"]
    statuses = sorted(e["status"] for e in programme["enrolments_and_waitlist_places"])
    assert statuses == ["confirmed", "confirmed", "waitlisted"]
    past = next(e for e in programme["enrolments_and_waitlist_places"] if e["attendance"])
    assert past["attendance"] == "Attended"
    assert past["satisfaction_survey"]["comment"] == FEEDBACK_COMMENT
    assert [step["by"] for step in past["history"]] == ["you", "programme team"]
    assert programme["saved_modules"][0]["module"] == "Déconnecter 0"
    assert programme["private_calendar_feed"]["exists"] is True
    assert programme["survey_answers"][0]["answers"][1]["answer"] == "Plus d'ateliers le soir"

    result = data["self_assessments"]["kept_results"][0]
    assert result["instrument_code"] == "who-5"
    assert len(result["answers"]) == 5
    assert result["answers"][0]["question"] and result["answers"][0]["answer"] == 2
    assert data["self_assessments"]["reassessment_invitations"][0]["every_days"] == 30

    request, signal = data["listening_cell"]
    assert request["message"] == MEMBER_MESSAGE
    assert request["phone"] == "+32470123456"
    assert request["partners_suggested"][0]["partner"] == "Un pass dans l'impasse"
    assert request["consent_to_share_with_a_partner"]["withdrawn_at"] is None
    steps = [step["what"] for step in request["timeline"]]
    assert steps == [
        "Case opened",
        "Claimed",
        "Contact attempt",
        "Referred to a partner",
        "Oriented",
    ]
    assert signal["message"] is None
    # When the cell read the case and why, never who.
    [read] = request["read_by_the_listening_cell"]
    assert (read["what"], read["why"]) == ("Case", "Working a case assigned to them")
    assert request["times_listed_in_the_advisors_queue"] == 2
    assert signal["read_by_the_listening_cell"] == []

    sent = [message for message in data["messages"] if message["status"] == "Sent"]
    assert sent[0]["subject"] == "Votre place est confirmée"
    assert sent[0]["sent_to"] == history.user.email
    # Recorded by the enrolments, still waiting to go out.
    assert {m["kind"] for m in data["messages"]} >= {"programme.waitlist_joined"}


def test_the_file_leaves_out_other_peoples_words_and_secrets(
    history, advisor_user, ambassador_user
):
    text = member_data_json(history.user)
    for withheld in (ADVISOR_NOTE, CONTACT_NOTE, REFERRAL_NOTE, AMBASSADOR_NOTE):
        assert withheld not in text
    for name in (advisor_user.last_name, ambassador_user.last_name, advisor_user.email):
        assert name not in text
    assert CalendarFeed.objects.get(user=history.user).token not in text
    assert history.user.password not in text


def test_times_read_in_brussels_and_accents_stay_readable(history):
    text = member_data_json(history.user)
    assert "Liège" in text and "\\u00e8" not in text
    assert text.startswith('{\n  "portal"')
    generated = json.loads(text)["generated_at"]
    assert generated.endswith(("+01:00", "+02:00"))


def test_the_download_asks_for_the_password_first(client, history):
    client.force_login(history.user)
    for url in (PAGE, DOWNLOAD):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(REAUTHENTICATE)


def test_a_wrong_password_gives_no_file(client, history):
    client.force_login(history.user)
    response = client.post(REAUTHENTICATE, {"password": "not-my-password"})
    assert response.status_code == 200
    assert client.get(DOWNLOAD).status_code == 302


def test_after_the_password_the_member_downloads_one_json_file(client, history):
    reauthenticated(client, history.user)
    page = client.get(PAGE)
    assert page.status_code == 200
    assert DOWNLOAD in page.content.decode()
    response = client.get(DOWNLOAD)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="my-data-')
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content.decode("utf-8"))
    assert data["account"]["email"] == history.user.email


def test_a_page_left_open_too_long_asks_for_the_password_again_then_gives_the_file(client, history):
    """The link is a plain link (Content-Disposition makes it a download): with a
    `download` attribute, a browser would save the password page as the data file."""
    reauthenticated(client, history.user)
    html = client.get(PAGE).content.decode()
    link = re.search(r'<a [^>]*id="download-data"[^>]*>', html).group(0)
    assert " download" not in link
    with time_machine.travel(
        timezone.now() + timedelta(seconds=account_settings.REAUTHENTICATION_TIMEOUT + 60)
    ):
        response = client.get(DOWNLOAD)
        assert response.status_code == 302
        assert response["Location"].startswith(REAUTHENTICATE)
        again = client.post(response["Location"], {"password": PASSWORD})
        assert again["Location"] == DOWNLOAD
        assert client.get(DOWNLOAD)["Content-Disposition"].startswith("attachment;")


def test_the_export_url_serves_only_the_logged_in_account(client, history, other_member):
    """No id in the URL: another member, or staff, get their own data whatever they add."""
    manager = staff(Role.PROGRAMME_MANAGER)
    for user in (other_member, manager):
        reauthenticated(client, user)
        response = client.get(DOWNLOAD, {"user": history.user.pk, "pk": history.user.pk})
        text = response.content.decode()
        assert json.loads(text)["account"]["email"] == user.email
        assert history.user.email not in text and MEMBER_MESSAGE not in text
        client.logout()


def test_visitors_are_sent_to_log_in(client):
    for url in (PAGE, DOWNLOAD):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_an_empty_account_exports_empty_sections(other_member):
    data = member_data(other_member)
    assert data["programme"]["enrolments_and_waitlist_places"] == []
    assert data["programme"]["private_calendar_feed"] == {"exists": False, "created_at": None}
    assert data["listening_cell"] == [] and data["messages"] == []


def test_the_messages_a_person_turned_off_are_in_the_file(advisor_user):
    from notifications.preferences import STAFF_ALERTS
    from notifications.services import preference_set

    preference_set(user=advisor_user, category=STAFF_ALERTS, enabled=False)
    with translation.override("en"):
        data = json.loads(member_data_json(advisor_user))
    rows = {row["category"]: row for row in data["message_preferences"]}
    assert rows[STAFF_ALERTS]["messages"] == "alerts about the listening cell's cases"
    assert rows[STAFF_ALERTS]["receives"] is False
    assert rows[STAFF_ALERTS]["chosen_at"]


def test_the_file_says_which_messages_the_member_receives(other_member):
    from notifications.services import preference_set

    with translation.override("en"):
        rows = {row["category"]: row for row in member_data(other_member)["message_preferences"]}
    # Never chose: every kind of message with its default, and no date of a choice.
    assert rows["session_reminders"] == {
        "messages": "session reminders",
        "category": "session_reminders",
        "receives": True,
        "chosen_at": None,
    }
    assert rows["programme_news"]["receives"] is False
    assert "service" not in rows

    preference_set(user=other_member, category="programme_news", enabled=True)
    with translation.override("fr"):
        data = json.loads(member_data_json(other_member))
    rows = {row["category"]: row for row in data["message_preferences"]}
    assert rows["programme_news"]["receives"] is True
    assert rows["programme_news"]["chosen_at"]
    assert rows["session_reminders"]["messages"] == "rappels de séance"
