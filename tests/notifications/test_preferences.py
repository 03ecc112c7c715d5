"""Message preferences: one table of choices, the registered default where there is none,
one service that writes them, and a filter that asks for a whole audience at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.models import User
from notifications.models import MessagePreference
from notifications.preferences import (
    SERVICE,
    STAFF_ALERTS,
    accepting,
    categories_managed_at,
    preference_enabled,
    preferences_of,
)
from notifications.registry import register_category, unregister
from notifications.services import preference_set, preferences_set
from tests.notifications.factories import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def opt_in():
    """A category off by default, like programme news."""
    register_category("tests.opt_in", label="test news", default=False)
    yield "tests.opt_in"
    unregister(category="tests.opt_in")


def test_without_a_row_the_registered_default_holds(opt_in):
    user = person()
    assert preference_enabled(user, "session_reminders") is True
    assert preference_enabled(user, "programme_news") is False
    assert preference_enabled(user, "reassessment") is False
    assert preference_enabled(user, opt_in) is False
    assert not MessagePreference.objects.filter(user=user).exists()


def test_a_choice_overrides_the_default_either_way(opt_in):
    user = person()
    assert preference_set(user=user, category="session_reminders", enabled=False)
    assert preference_set(user=user, category=opt_in, enabled=True)
    assert preference_enabled(user, "session_reminders") is False
    assert preference_enabled(user, opt_in) is True
    assert dict(MessagePreference.objects.filter(user=user).values_list("category", "enabled")) == {
        "session_reminders": False,
        opt_in: True,
    }


def test_a_choice_already_in_force_writes_nothing():
    user = person()
    # On by default: saying "on" again is no choice to record.
    assert preferences_set(user=user, choices={"session_reminders": True}) == []
    assert not MessagePreference.objects.exists()
    preference_set(user=user, category="surveys", enabled=False)
    row = MessagePreference.objects.get(user=user)
    assert preference_set(user=user, category="surveys", enabled=False) is False
    assert MessagePreference.objects.get(user=user).updated_at == row.updated_at
    # Turning it back on keeps the row, now saying on: the member chose it.
    assert preference_set(user=user, category="surveys", enabled=True) is True
    assert MessagePreference.objects.filter(user=user).count() == 1
    assert MessagePreference.objects.get(user=user).enabled is True


def test_one_person_s_choice_is_not_another_s():
    first, second = person(), person()
    preference_set(user=first, category="surveys", enabled=False)
    assert preference_enabled(second, "surveys") is True


def test_service_messages_cannot_be_turned_off():
    user = person()
    assert preference_enabled(user, SERVICE) is True
    with pytest.raises(ValueError):
        preference_set(user=user, category=SERVICE, enabled=False)
    with pytest.raises(LookupError):
        preference_set(user=user, category="no-such-category", enabled=False)
    assert not MessagePreference.objects.exists()


def test_all_of_a_person_s_choices_in_one_query(django_assert_num_queries):
    user = person()
    preferences_set(user=user, choices={"surveys": False, "programme_news": True})
    with django_assert_num_queries(1):
        choices = preferences_of(user)
    assert choices["surveys"] is False and choices["programme_news"] is True
    assert choices["session_reminders"] is True and choices["reassessment"] is False
    assert choices[STAFF_ALERTS] is True
    assert SERVICE not in choices


def test_the_profile_page_offers_the_members_categories_in_order():
    codes = [category.code for category in categories_managed_at("members:profile")]
    assert codes == [
        "session_reminders",
        "surveys",
        "programme_news",
        "session_material",
        "session_messages",
        "changes_made",
        "reassessment",
    ]


def accepting_users(category: str) -> set[User]:
    return set(User.objects.filter(accepting(category)))


def test_the_bulk_filter_agrees_with_each_person_s_answer(opt_in):
    silent, off, on = person(), person(), person()
    for code in ("session_reminders", opt_in):
        preference_set(user=off, category=code, enabled=False)
        preference_set(user=on, category=code, enabled=True)
    assert accepting_users("session_reminders") == {silent, on}
    assert accepting_users(opt_in) == {on}
    for user in (silent, off, on):
        for code in ("session_reminders", opt_in):
            assert (user in accepting_users(code)) == preference_enabled(user, code)


@pytest.mark.parametrize("category", ["session_reminders", "programme_news"])
def test_the_bulk_filter_is_one_query_whatever_the_audience(category):
    counts = []
    for size in (2, 12):
        people = [person() for _ in range(size)]
        for user in people[::2]:
            preference_set(user=user, category=category, enabled=False)
        for user in people[1::2]:
            preference_set(user=user, category=category, enabled=True)
        with CaptureQueriesContext(connection) as queries:
            found = list(
                User.objects.filter(pk__in=[u.pk for u in people]).filter(accepting(category))
            )
        assert set(found) == set(people[1::2])
        counts.append(len(queries))
    assert counts == [1, 1]


def test_the_filter_follows_a_path_to_the_person():
    user, other = person(), person()
    preference_set(user=user, category="programme_news", enabled=True)
    profiles = type(user.profile).objects.filter(accepting("programme_news", user="user"))
    assert [profile.user for profile in profiles] == [user]
    assert other.profile not in profiles
