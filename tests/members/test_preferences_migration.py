"""The profile's notification switches and the advisors' opt-outs move into
notifications' message preferences, and back: every member keeps their choice."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from members.models import User
from notifications.preferences import STAFF_ALERTS, preference_enabled

BEFORE = [("members", "0003_consents"), ("notifications", "0001_initial")]
AFTER = [
    ("members", "0005_remove_memberprofile_notify_switches"),
    ("notifications", "0004_delete_categoryoptout"),
]
FIELDS = {
    "notify_session_reminders": "session_reminders",
    "notify_surveys": "surveys",
    "notify_programme_news": "programme_news",
    "notify_reassessment": "reassessment",
}
# Each member's switches as the profile held them (defaults: on, on, off, off).
SWITCHES = {
    "silent@example.org": (True, True, False, False),
    "quiet@example.org": (False, False, False, False),
    "keen@example.org": (True, True, True, True),
    "mixed@example.org": (False, True, True, False),
}


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def seed(apps) -> None:
    OldUser = apps.get_model("members", "User")
    MemberProfile = apps.get_model("members", "MemberProfile")
    CategoryOptOut = apps.get_model("notifications", "CategoryOptOut")
    for email, values in SWITCHES.items():
        user = OldUser.objects.create(email=email, password="!")
        MemberProfile.objects.create(user=user, **dict(zip(FIELDS, values, strict=True)))
    advisor = OldUser.objects.create(email="advisor@example.org", password="!")
    CategoryOptOut.objects.create(user=advisor, category=STAFF_ALERTS)


def assert_moved(apps) -> None:
    MessagePreference = apps.get_model("notifications", "MessagePreference")
    rows = {
        (email, category): enabled
        for email, category, enabled in MessagePreference.objects.values_list(
            "user__email", "category", "enabled"
        )
    }
    # Only what differs from the default is a row; the rest follows the default.
    assert rows == {
        ("quiet@example.org", "session_reminders"): False,
        ("quiet@example.org", "surveys"): False,
        ("keen@example.org", "programme_news"): True,
        ("keen@example.org", "reassessment"): True,
        ("mixed@example.org", "session_reminders"): False,
        ("mixed@example.org", "programme_news"): True,
        ("advisor@example.org", STAFF_ALERTS): False,
    }
    for email, values in SWITCHES.items():
        user = User.objects.get(email=email)
        assert [preference_enabled(user, c) for c in FIELDS.values()] == list(values), email
    assert not preference_enabled(User.objects.get(email="advisor@example.org"), STAFF_ALERTS)


def assert_back(apps) -> None:
    MemberProfile = apps.get_model("members", "MemberProfile")
    CategoryOptOut = apps.get_model("notifications", "CategoryOptOut")
    profiles = MemberProfile.objects.values_list("user__email", *FIELDS)
    assert {email: tuple(values) for email, *values in profiles} == SWITCHES
    assert list(CategoryOptOut.objects.values_list("user__email", "category")) == [
        ("advisor@example.org", STAFF_ALERTS)
    ]


@pytest.mark.django_db(transaction=True)
def test_the_switches_move_to_notifications_and_back():
    try:
        seed(migrate(BEFORE))
        assert_moved(migrate(AFTER))
        assert_back(migrate(BEFORE))
        # Forward again after a way back: the same rows, nothing twice.
        assert_moved(migrate(AFTER))
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
