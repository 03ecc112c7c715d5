import pytest

from members.models import MemberProfile
from notifications.models import MessagePreference
from notifications.preferences import preference_enabled
from notifications.services import preference_set

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
    "notify_session_material": "on",
    "notify_session_messages": "on",
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
    assert preference_enabled(member_user, "session_reminders")
    assert not preference_enabled(member_user, "surveys")
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


# --- Which messages the member receives (kept by notifications) -------------------------


def choices(user) -> dict[str, bool]:
    return dict(MessagePreference.objects.filter(user=user).values_list("category", "enabled"))


def test_the_page_shows_each_switch_as_it_stands(client, member_user):
    preference_set(user=member_user, category="session_reminders", enabled=False)
    client.force_login(member_user)
    response = client.get(PROFILE)
    form = response.context["form"]
    assert {name: form[name].value() for name in form.preference_fields} == {
        "notify_session_reminders": False,
        "notify_surveys": True,
        "notify_session_material": True,
        "notify_session_messages": True,
        "notify_programme_news": False,
        "notify_changes_made": True,
        "notify_reassessment": False,
    }
    assert "Enquêtes de satisfaction après une séance" in response.content.decode()


def test_saving_the_page_records_only_the_choices_that_changed(client, member_user):
    client.force_login(member_user)
    client.post(PROFILE, {**VALID, "notify_programme_news": "on"})
    # Reminders ticked and programme news ticked; surveys and news of changes unticked
    # (on by default); re-assessment invitations left off as they were: no row for what
    # did not change.
    assert choices(member_user) == {
        "surveys": False,
        "programme_news": True,
        "changes_made": False,
    }
    assert preference_enabled(member_user, "programme_news")

    client.post(PROFILE, {**VALID, "notify_surveys": "on"})
    assert choices(member_user) == {
        "surveys": True,
        "programme_news": False,
        "changes_made": False,
    }


def test_an_invalid_profile_changes_no_switch(client, member_user):
    client.force_login(member_user)
    response = client.post(PROFILE, {**VALID, "postcode": "99"})
    assert response.status_code == 200
    assert choices(member_user) == {}
