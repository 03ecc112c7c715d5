"""History, trend, deletion and re-assessment invitations: the member's own results only."""

from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone

from assessments.models import AssessmentResult, ReassessmentPlan
from members.consents import ConsentKind
from members.models import Consent
from members.services import consent_give
from notifications.preferences import preference_enabled
from notifications.services import preference_set
from tests.assessments.factories import ANSWERS, keep_result
from tests.assessments.helpers import submit

pytestmark = pytest.mark.django_db

HISTORY = "/en/self-assessments/history/"


def days_ago(n: int):
    return timezone.now() - timedelta(days=n)


def test_history_shows_a_trend_and_a_table_per_instrument(client, member_user, other_member):
    keep_result(member_user, "who-5", "very-low", when=days_ago(90))
    keep_result(member_user, "who-5", "low", when=days_ago(45))
    keep_result(member_user, "who-5", "good", when=days_ago(1))
    keep_result(member_user, "pss-10", "moderate", when=days_ago(3))
    keep_result(other_member, "bat-12", "at-risk")
    client.force_login(member_user)
    page = client.get(HISTORY).content.decode()
    assert 'id="history-who-5"' in page and 'id="history-pss-10"' in page
    assert 'id="history-bat-12"' not in page  # someone else's
    who5 = page[page.index('id="history-who-5"') : page.index('id="history-pss-10"')]
    assert who5.count("<circle") == 3
    assert "<polyline" in who5
    assert "3 results from" in who5  # the chart's text description
    assert who5.count("<caption ") == 1
    # Newest first in the table: 68 %, 40 %, 20 %.
    rows = who5[who5.index("<tbody>") :]
    assert rows.index("68 %") < rows.index("40 %") < rows.index("20 %")
    # Two dashed lines: the two WHO-5 cut-offs.
    assert who5.count('stroke-dasharray="6 4"') == 2


def test_an_empty_history_says_how_to_fill_it(client, member_user):
    client.force_login(member_user)
    page = client.get(HISTORY).content.decode()
    assert 'id="empty-history"' in page
    assert "<svg viewBox" not in page


def test_a_member_deletes_one_result_after_confirming(client, member_user):
    keep = keep_result(member_user, "who-5", "good", when=days_ago(10))
    other = keep_result(member_user, "who-5", "low")
    client.force_login(member_user)
    url = f"/en/self-assessments/results/{other.pk}/delete/"
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Delete this result?" in confirm.content.decode()
    assert AssessmentResult.objects.count() == 2  # a GET deletes nothing
    response = client.post(url)
    assert response["Location"] == HISTORY
    assert list(AssessmentResult.objects.all()) == [keep]
    assert client.post(url).status_code == 404


def test_a_member_deletes_everything_and_may_withdraw_consent(client, member_user, other_member):
    consent_give(user=member_user, kind=ConsentKind.HEALTH_DATA)
    for band in ANSWERS["sci-8"]:
        keep_result(member_user, "sci-8", band)
    theirs = keep_result(other_member, "sci-8")
    client.force_login(member_user)
    page = client.get(HISTORY + "delete/").content.decode()
    assert "2 kept results will be deleted" in page
    response = client.post(HISTORY + "delete/", {"withdraw_consent": "on"})
    assert response["Location"] == "/en/self-assessments/"
    assert list(AssessmentResult.objects.all()) == [theirs]
    consent = Consent.objects.get(user=member_user)
    assert consent.withdrawn_at is not None


def test_deleting_everything_keeps_the_consent_unless_asked(client, member_user):
    consent_give(user=member_user, kind=ConsentKind.HEALTH_DATA)
    keep_result(member_user)
    client.force_login(member_user)
    client.post(HISTORY + "delete/")
    assert not AssessmentResult.objects.exists()
    assert Consent.objects.get(user=member_user).withdrawn_at is None


@time_machine.travel("2026-11-24 10:00 +01:00", tick=False)
def test_opting_in_to_invitations_computes_the_next_date_from_the_latest_result(
    client, member_user
):
    preference_set(user=member_user, category="reassessment", enabled=False)
    keep_result(member_user, "pss-10", "high", when=days_ago(40))
    keep_result(member_user, "pss-10", "moderate", when=days_ago(10))  # 14 November
    client.force_login(member_user)
    response = client.post(
        "/en/self-assessments/pss-10/invitations/", {"interval": "30", "next": HISTORY}
    )
    assert response["Location"] == HISTORY
    plan = ReassessmentPlan.objects.get(user=member_user)
    assert (plan.instrument, plan.interval_days) == ("pss-10", 30)
    assert plan.next_due_on == date(2026, 12, 14)
    # Asking for invitations turns the member's global switch on.
    assert preference_enabled(member_user, "reassessment")
    page = client.get(HISTORY).content.decode()
    assert '<option value="30" selected>' in page
    assert "Next invitation around 14 December 2026" in page


@time_machine.travel("2026-11-24 10:00 +01:00", tick=False)
def test_a_new_kept_result_moves_the_next_invitation(client, member_user):
    client.force_login(member_user)
    client.post("/en/self-assessments/who-5/invitations/", {"interval": "91"})
    assert ReassessmentPlan.objects.get().next_due_on == date(2027, 2, 23)  # from today
    with time_machine.travel("2026-12-01 09:00 +01:00", tick=False):
        submit(client, "who-5", ANSWERS["who-5"]["good"], keep="keep")
    assert ReassessmentPlan.objects.get().next_due_on == date(2027, 3, 2)
    # Deleting that result puts the date back on the day of opting in.
    client.post(f"/en/self-assessments/results/{AssessmentResult.objects.get().pk}/delete/")
    assert ReassessmentPlan.objects.get().next_due_on == date(2027, 2, 23)


def test_opting_out_removes_the_plan(client, member_user):
    ReassessmentPlan.objects.create(
        user=member_user, instrument="bat-12", interval_days=30, next_due_on=date(2027, 1, 1)
    )
    client.force_login(member_user)
    client.post("/en/self-assessments/bat-12/invitations/", {"interval": "off"})
    assert not ReassessmentPlan.objects.exists()


@pytest.mark.parametrize("interval", ["7", "abc", "", "30; DROP TABLE"])
def test_an_unknown_interval_is_refused_with_a_message(client, member_user, interval):
    client.force_login(member_user)
    response = client.post("/en/self-assessments/who-5/invitations/", {"interval": interval})
    assert response.status_code == 302
    assert not ReassessmentPlan.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "Please choose one of the intervals offered." in page


def test_invitations_for_an_unknown_instrument_are_404(client, member_user):
    client.force_login(member_user)
    assert (
        client.post("/en/self-assessments/nope/invitations/", {"interval": "30"}).status_code == 404
    )


def test_invitations_never_redirect_off_site(client, member_user):
    client.force_login(member_user)
    response = client.post(
        "/en/self-assessments/who-5/invitations/",
        {"interval": "30", "next": "https://evil.example/phish"},
    )
    assert response["Location"] == HISTORY


def test_a_result_page_of_a_retired_instrument_version_is_404_not_500(client, member_user):
    result = keep_result(member_user)
    AssessmentResult.objects.filter(pk=result.pk).update(instrument_version="0")
    client.force_login(member_user)
    assert client.get(f"/en/self-assessments/results/{result.pk}/").status_code == 404
    # The history leaves it out rather than failing.
    assert client.get(HISTORY).status_code == 200


def test_the_messages_sweep_finds_due_plans_once(member_user, other_member):
    from assessments.selectors import reassessment_plans_due
    from assessments.services import reassessment_invitations_record

    preference_set(user=member_user, category="reassessment", enabled=True)
    consent_give(user=member_user, kind=ConsentKind.HEALTH_DATA)
    keep_result(member_user, "who-5", when=days_ago(60))
    keep_result(member_user, "pss-10", when=days_ago(60))
    due = ReassessmentPlan.objects.create(
        user=member_user, instrument="who-5", interval_days=30, next_due_on=date(2026, 12, 1)
    )
    ReassessmentPlan.objects.create(
        user=member_user, instrument="pss-10", interval_days=30, next_due_on=date(2026, 12, 2)
    )
    # Switched off globally: never invited.
    consent_give(user=other_member, kind=ConsentKind.HEALTH_DATA)
    keep_result(other_member, "who-5", when=days_ago(60))
    ReassessmentPlan.objects.create(
        user=other_member, instrument="who-5", interval_days=30, next_due_on=date(2026, 11, 1)
    )
    assert list(reassessment_plans_due(date(2026, 12, 1))) == [due]
    reassessment_invitations_record(plans=[due], on=date(2026, 12, 1))
    assert list(reassessment_plans_due(date(2026, 12, 1))) == []
    # Recorded, the plan moved on by its interval, and becomes due again in its time.
    due.refresh_from_db()
    assert (due.last_invited_for, due.next_due_on) == (date(2026, 12, 1), date(2026, 12, 31))
    assert due not in reassessment_plans_due(date(2026, 12, 30))
    assert due in reassessment_plans_due(date(2026, 12, 31))
