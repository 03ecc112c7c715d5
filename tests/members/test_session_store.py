"""members.session_store reads sessions as Django's database store does."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.utils import timezone

from members.session_store import SessionStore

pytestmark = pytest.mark.django_db


def saved(**data) -> str:
    store = SessionStore()
    store.update(data)
    store.set_expiry(3600)
    store.save()
    return store.session_key


def test_a_saved_session_reads_back():
    key = saved(_auth_user_id="7", language="nl")
    store = SessionStore(key)
    assert store.load() == {"_auth_user_id": "7", "language": "nl", "_session_expiry": 3600}
    assert store.session_key == key


def test_an_unknown_key_reads_nothing_and_gets_a_new_key_when_saved():
    saved(_auth_user_id="7")
    store = SessionStore("x" * 32)
    assert store.load() == {}
    assert store.session_key is None
    store["language"] = "fr"
    store.save()
    assert store.session_key not in (None, "x" * 32)
    assert Session.objects.filter(session_key="x" * 32).count() == 0


def test_an_expired_session_reads_nothing():
    key = saved(_auth_user_id="7")
    with time_machine.travel(timezone.now() + timedelta(hours=1, seconds=1), tick=False):
        assert SessionStore(key).load() == {}
    assert SessionStore(key).load()["_auth_user_id"] == "7"


def test_a_tampered_session_reads_nothing():
    key = saved(_auth_user_id="7")
    Session.objects.filter(session_key=key).update(session_data="not-signed")
    assert SessionStore(key).load() == {}


def test_reading_a_session_is_one_query(django_assert_num_queries):
    key = saved(_auth_user_id="7")
    with django_assert_num_queries(1):
        SessionStore(key).load()
