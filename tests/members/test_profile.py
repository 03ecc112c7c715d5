import pytest

from members.models import MemberProfile

pytestmark = pytest.mark.django_db

PROFILE = "/fr/me/profile/"

VALID = {
    "first_name": "Sophie",
    "last_name": "Lambert",
    "preferred_language": "fr",
    "province": "WLG",
    "postcode": "4000",
    "activity_sector": "retail",
    "self_employment": "main",
    "phone": "0470 12 34 56",
    "notify_session_reminders": "on",
}


def test_profile_needs_login(client):
    response = client.get(PROFILE)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_member_fills_in_the_profile(client, member_user):
    client.force_login(member_user)
    assert client.get(PROFILE).status_code == 200
    response = client.post(PROFILE, VALID)
    assert response.status_code == 302
    profile = MemberProfile.objects.get(user=member_user)
    assert (profile.province, profile.postcode, profile.phone) == ("WLG", "4000", "0470 12 34 56")
    assert profile.notify_session_reminders and not profile.notify_surveys
    member_user.refresh_from_db()
    assert member_user.first_name == "Sophie"
    assert profile.is_complete


def test_changing_the_preferred_language_switches_the_portal(client, member_user):
    client.force_login(member_user)
    response = client.post(PROFILE, {**VALID, "preferred_language": "nl"})
    assert response["Location"] == "/nl/me/profile/"
    assert client.cookies["portal_language"].value == "nl"


@pytest.mark.parametrize(
    ("field", "value"),
    [("postcode", "99"), ("postcode", "abcd"), ("phone", "call me"), ("province", "XX")],
)
def test_invalid_profile_data_is_explained_and_nothing_saved(client, member_user, field, value):
    client.force_login(member_user)
    before = MemberProfile.objects.get(user=member_user).province
    response = client.post(PROFILE, {**VALID, field: value})
    assert response.status_code == 200
    assert 'class="invalid-feedback' in response.content.decode()
    profile = MemberProfile.objects.get(user=member_user)
    assert profile.province == before
    member_user.refresh_from_db()
    assert member_user.first_name != "Sophie"
