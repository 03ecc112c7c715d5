"""Results are the member's alone: every other person gets 403 or 404, and no admin page shows them."""

from datetime import date

import pytest
from django.contrib import admin

from assessments.models import AssessmentResult, ReassessmentPlan
from members.roles import Role
from tests.assessments.factories import keep_result
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

STAFF_ROLES = [Role.AMBASSADOR, Role.ADVISOR, Role.PROGRAMME_MANAGER]


@pytest.fixture
def owned(member_user):
    result = keep_result(member_user, "bat-12", "very-high-risk")
    ReassessmentPlan.objects.create(
        user=member_user, instrument="bat-12", interval_days=30, next_due_on=date(2027, 1, 1)
    )
    return result


def result_urls(pk: int) -> list[tuple[str, str]]:
    return [
        ("get", f"/en/self-assessments/results/{pk}/"),
        ("get", f"/en/self-assessments/results/{pk}/delete/"),
        ("post", f"/en/self-assessments/results/{pk}/delete/"),
    ]


MEMBER_URLS = [
    ("get", "/en/self-assessments/history/"),
    ("get", "/en/self-assessments/history/delete/"),
    ("post", "/en/self-assessments/history/delete/"),
    ("post", "/en/self-assessments/bat-12/invitations/"),
]


def test_the_owner_reaches_every_url(client, member_user, owned):
    client.force_login(member_user)
    for method, url in result_urls(owned.pk)[:2] + MEMBER_URLS[:2]:
        assert getattr(client, method)(url).status_code == 200, url


def test_another_member_gets_404_on_someone_elses_result(client, other_member, owned):
    client.force_login(other_member)
    for method, url in result_urls(owned.pk):
        assert getattr(client, method)(url).status_code == 404, url
    assert AssessmentResult.objects.filter(pk=owned.pk).exists()


def test_another_member_sees_and_changes_only_their_own_history(client, other_member, owned):
    client.force_login(other_member)
    page = client.get("/en/self-assessments/history/").content.decode()
    assert 'id="empty-history"' in page
    assert f"/results/{owned.pk}/" not in page
    client.post("/en/self-assessments/history/delete/", {"withdraw_consent": "on"})
    client.post("/en/self-assessments/bat-12/invitations/", {"interval": "off"})
    assert AssessmentResult.objects.filter(pk=owned.pk).exists()
    assert ReassessmentPlan.objects.filter(user=owned.user).exists()


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_staff_roles_get_403_on_every_result_url(client, staff_users, owned, role):
    client.force_login(staff_users[role])
    for method, url in result_urls(owned.pk) + MEMBER_URLS:
        assert getattr(client, method)(url).status_code == 403, (role, url)
    assert AssessmentResult.objects.filter(pk=owned.pk).exists()
    assert ReassessmentPlan.objects.filter(user=owned.user).exists()


def test_an_account_without_role_gets_403(client, owned):
    client.force_login(UserFactory())
    for method, url in result_urls(owned.pk) + MEMBER_URLS:
        assert getattr(client, method)(url).status_code == 403, url


def test_visitors_are_sent_to_log_in(client, owned):
    for method, url in result_urls(owned.pk) + MEMBER_URLS:
        response = getattr(client, method)(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_no_admin_page_shows_results_or_answers(client, owned):
    assert AssessmentResult not in admin.site._registry
    assert ReassessmentPlan not in admin.site._registry
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    assert client.get("/admin/assessments/assessmentresult/").status_code == 404
    index = client.get("/admin/").content.decode()
    assert "assessment" not in index.lower()


def test_pages_of_other_people_never_show_results(client, owned, staff_users):
    """The staff home pages render without any trace of the member's result."""
    for role, user in staff_users.items():
        client.force_login(user)
        home = {"ambassador": "ambassador", "advisor": "advisor", "programme_manager": "manager"}
        page = client.get(f"/en/dashboard/{home[role.value]}/").content.decode()
        assert "Burnout Assessment Tool" not in page
        assert f"/results/{owned.pk}/" not in page


def test_no_page_showing_a_result_may_be_cached(client, member_user, owned):
    client.force_login(member_user)
    urls = ["/en/self-assessments/", "/en/self-assessments/history/"]
    urls += [f"/en/self-assessments/results/{owned.pk}/"]
    for url in urls:
        response = client.get(url)
        assert owned.band_label in response.content.decode(), url
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url
