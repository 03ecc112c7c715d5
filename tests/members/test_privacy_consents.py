"""The privacy page: consents with their text and version, withdrawing (and deleting what
was kept under it) and giving again, each recorded once whatever the clicks."""

import pytest
from django.utils import timezone

from assessments.models import AssessmentResult, ReassessmentPlan
from members.consents import CONSENT_TEXTS, ConsentKind
from members.models import Consent
from members.services import consent_give
from tests.assessments.factories import keep_result

pytestmark = pytest.mark.django_db

PAGE = "/en/me/privacy/"
HEALTH = ConsentKind.HEALTH_DATA
SHARING = ConsentKind.PARTNER_SHARING


def withdraw_url(kind) -> str:
    return f"/en/me/privacy/consents/{kind}/withdraw/"


def give_url(kind) -> str:
    return f"/en/me/privacy/consents/{kind}/give/"


@pytest.fixture
def member_client(client, member_user):
    client.force_login(member_user)
    return client


def test_the_page_shows_each_consent_with_its_current_text(member_client, member_user):
    consent_give(user=member_user, kind=HEALTH)
    response = member_client.get(PAGE)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    for kind in ConsentKind:
        assert f'id="consent-{kind}"' in html
        assert f"(version {CONSENT_TEXTS[kind].version})" in html
    assert "only I can see it" in html  # the health-data text
    assert "You gave this consent on" in html
    assert "You have not given this consent." in html
    assert 'id="consent-history"' in html
    assert withdraw_url(HEALTH) in html and give_url(HEALTH) not in html
    assert give_url(SHARING) not in html  # given with a request, never from here
    assert "You give this consent with a request to the listening cell." in html
    assert 'href="/en/me/profile/"' in html  # the e-mails settings


def test_the_settings_nav_and_the_profile_lead_here(member_client):
    html = member_client.get("/en/me/profile/").content.decode()
    assert html.count('href="/en/me/privacy/"') == 2  # nav and profile page
    page = member_client.get(PAGE).content.decode()
    assert 'href="/en/me/privacy/"\n           aria-current="page"' in page


def test_a_consent_to_an_older_text_can_be_renewed(member_client, member_user):
    Consent.objects.create(user=member_user, kind=HEALTH, text_version="2025-01")
    html = member_client.get(PAGE).content.decode()
    assert "to an earlier version of the text (2025-01)" in html
    assert "Agree to today's text" in html
    member_client.post(give_url(HEALTH))
    versions = set(Consent.objects.filter(user=member_user).values_list("text_version", flat=True))
    assert versions == {"2025-01", CONSENT_TEXTS[HEALTH].version}


def test_giving_again_is_recorded_once_with_its_version(member_client, member_user):
    consent_give(user=member_user, kind=HEALTH)
    Consent.objects.update(withdrawn_at=timezone.now())
    response = member_client.post(give_url(HEALTH), follow=True)
    assert "your consent is recorded" in response.content.decode()
    again = member_client.post(give_url(HEALTH), follow=True)  # replayed
    assert "You had already given this consent." in again.content.decode()
    standing = Consent.objects.filter(user=member_user, withdrawn_at__isnull=True)
    assert list(standing.values_list("kind", "text_version")) == [
        (HEALTH, CONSENT_TEXTS[HEALTH].version)
    ]
    assert Consent.objects.filter(user=member_user).count() == 2  # the history stays


def test_giving_is_a_post_and_only_for_consents_given_here(member_client, member_user):
    assert member_client.get(give_url(HEALTH)).status_code == 405
    assert member_client.post(give_url(SHARING)).status_code == 404
    assert member_client.post(give_url("marketing")).status_code == 404
    assert member_client.get(withdraw_url("marketing")).status_code == 404
    assert not Consent.objects.filter(user=member_user).exists()


def test_withdrawing_asks_what_becomes_of_the_kept_results(member_client, member_user):
    consent_give(user=member_user, kind=HEALTH)
    keep_result(member_user)
    keep_result(member_user, "pss-10")
    page = member_client.get(withdraw_url(HEALTH)).content.decode()
    assert "Also delete the 2 self-assessment results I keep" in page
    assert "stops inviting you" in page  # what withdrawing changes
    response = member_client.post(withdraw_url(HEALTH), {})
    assert response.status_code == 200
    assert "Choose whether to delete what you keep." in response.content.decode()
    assert Consent.objects.get(user=member_user).withdrawn_at is None


def test_withdrawing_and_deleting_goes_through_the_assessments_service(member_client, member_user):
    consent_give(user=member_user, kind=HEALTH)
    keep_result(member_user)
    ReassessmentPlan.objects.create(
        user=member_user, instrument="who-5", interval_days=30, next_due_on="2027-01-01"
    )
    response = member_client.post(withdraw_url(HEALTH), {"kept_data": "delete"}, follow=True)
    html = response.content.decode()
    assert "Your consent is withdrawn." in html and "was deleted" in html
    assert Consent.objects.get(user=member_user).withdrawn_at is not None
    assert not AssessmentResult.objects.filter(user=member_user).exists()
    # As the "delete my history" page does: the invitation waits for a new result.
    assert ReassessmentPlan.objects.filter(user=member_user).exists()


def test_withdrawing_may_keep_the_results(member_client, member_user):
    consent_give(user=member_user, kind=HEALTH)
    keep_result(member_user)
    member_client.post(withdraw_url(HEALTH), {"kept_data": "keep"})
    assert Consent.objects.get(user=member_user).withdrawn_at is not None
    assert AssessmentResult.objects.filter(user=member_user).count() == 1


def test_a_replayed_withdrawal_changes_nothing(member_client, member_user):
    consent_give(user=member_user, kind=SHARING)
    member_client.post(withdraw_url(SHARING))
    withdrawn_at = Consent.objects.get(user=member_user).withdrawn_at
    response = member_client.post(withdraw_url(SHARING), follow=True)
    assert "This consent was already withdrawn." in response.content.decode()
    assert Consent.objects.get(user=member_user).withdrawn_at == withdrawn_at


def test_withdrawing_partner_sharing_stops_warm_handoffs(member_client, member_user):
    from referrals.services import _standing_consent
    from tests.referrals.factories import CaseFactory

    consent = consent_give(user=member_user, kind=SHARING)
    case = CaseFactory(member=member_user, sharing_consent=consent)
    assert _standing_consent(case)
    page = member_client.get(withdraw_url(SHARING)).content.decode()
    assert "without asking you first" in page and 'name="kept_data"' not in page
    member_client.post(withdraw_url(SHARING))
    assert not _standing_consent(case)


def test_nothing_to_withdraw_is_said_so(member_client):
    html = member_client.get(withdraw_url(HEALTH)).content.decode()
    assert "there is nothing to withdraw" in html


def test_visitors_are_sent_to_log_in(client):
    for method, url in (("get", PAGE), ("get", withdraw_url(HEALTH)), ("post", give_url(HEALTH))):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("size", [1, 6])
def test_the_page_runs_a_fixed_number_of_queries(
    member_client, member_user, django_assert_num_queries, size
):
    for _n in range(size):
        consent_give(user=member_user, kind=HEALTH)
        consent_give(user=member_user, kind=SHARING)
    # The session, the account with its roles (for the header), the consents.
    with django_assert_num_queries(3):
        assert member_client.get(PAGE).status_code == 200


@pytest.mark.parametrize("size", [1, 6])
def test_the_withdrawal_page_runs_a_fixed_number_of_queries(
    member_client, member_user, django_assert_num_queries, size
):
    consent_give(user=member_user, kind=HEALTH)
    for _n in range(size):
        keep_result(member_user)
    with django_assert_num_queries(4):
        assert member_client.get(withdraw_url(HEALTH)).status_code == 200
