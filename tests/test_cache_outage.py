"""Logging in survives a cache outage: the Redis cache falls back to local memory while
Redis is down (common.cache), so allauth's rate limits keep working and every page
answers; it goes back to Redis when Redis returns."""

import logging
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache

from common.cache import FailSoftRedisCache
from members.models import User
from tests.crawl.crawler import Crawler
from tests.factories import PASSWORD, member
from tests.notifications.smtp import free_port
from tests.programme.factories import SessionFactory
from tests.real_stack import HAS_REDIS_SERVER, RedisServer

LOGIN = "/fr/accounts/login/"
SIGNUP = "/fr/accounts/signup/"
RESET = "/fr/accounts/password/reset/"


def fail_soft_cache(url: str) -> FailSoftRedisCache:
    return FailSoftRedisCache(
        url, {"KEY_PREFIX": "tests", "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}
    )


def test_every_method_that_reaches_redis_is_guarded():
    reaching_redis = {
        name
        for name in vars(RedisCache)
        if not name.startswith("_") and callable(vars(RedisCache)[name])
    } - {"get_backend_timeout"}
    assert reaching_redis <= set(vars(FailSoftRedisCache))


def test_without_redis_the_cache_keeps_working_in_local_memory(caplog):
    cache = fail_soft_cache(f"redis://127.0.0.1:{free_port()}/0")  # nobody listens there
    with caplog.at_level(logging.WARNING, logger="common.cache"):
        assert cache.get("missing", "default") == "default"
        cache.set("key", [1, 2])
        assert cache.get("key") == [1, 2]
        assert cache.add("lock", True) is True
        assert cache.add("lock", True) is False  # allauth's rate-limit lock still locks
        cache.add("counter", 1)
        assert cache.incr("counter") == 2
        assert cache.get("counter") == 2
        cache.delete("key")
        assert cache.get_many(["key", "lock"]) == {"lock": True}
    assert cache.is_degraded
    warnings = [r.getMessage() for r in caplog.records if r.name == "common.cache"]
    # Said once for the outage, not once per call.
    assert len(warnings) == 1
    assert "Redis cannot be reached" in warnings[0]


def test_one_redis_client_serves_every_call_of_a_process():
    # Building a redis-py client per call cost a sixth of a page served from the cache.
    backend = fail_soft_cache(f"redis://127.0.0.1:{free_port()}/0")._cache
    reading = backend.get_client("key")
    assert backend.get_client("other") is reading
    assert backend.get_client("key", write=True) is reading  # one server: one pool
    assert reading.connection_pool is backend._get_connection_pool(write=True)


def test_the_fallback_keeps_redis_semantics_for_a_missing_counter():
    cache = fail_soft_cache(f"redis://127.0.0.1:{free_port()}/0")
    with pytest.raises(ValueError, match="not found"):
        cache.incr("nothing-there")


# --- On a real Redis that this module stops and starts --------------------------------


@pytest.fixture
def redis(settings):
    server = RedisServer()
    server.start()
    settings.CACHES = {
        "default": {
            "BACKEND": "common.cache.FailSoftRedisCache",
            "LOCATION": server.url,
            "KEY_PREFIX": "tests",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    yield server
    if server.process is not None:
        server.stop()


@pytest.mark.postgres  # real stack: required in CI, where a skip fails
@pytest.mark.skipif(not HAS_REDIS_SERVER, reason="needs redis-server")
@pytest.mark.django_db
def test_with_redis_stopped_members_log_in_sign_up_and_reset_then_redis_takes_over(
    client, redis, caplog
):
    user = member()
    SessionFactory()
    # Redis up: allauth's rate limiter writes its counters there.
    client.post(LOGIN, {"login": user.email, "password": "wrong"})
    assert redis.command("dbsize") != "0"

    redis.stop()
    with caplog.at_level(logging.WARNING, logger="common.cache"):
        # Every public page answers.
        crawl = Crawler(client, max_pages=60).crawl(["/fr/", LOGIN, SIGNUP, RESET])
        assert crawl.problems == []
        assert len(crawl.opened()) >= 8
        # Logging in.
        response = client.post(LOGIN, {"login": user.email, "password": PASSWORD})
        assert response.status_code == 302 and "_auth_user_id" in client.session
        client.logout()
        # Signing up.
        response = client.post(
            SIGNUP,
            {"email": "new@example.org", "password1": PASSWORD, "password2": PASSWORD},
        )
        assert response.status_code == 302
        assert User.objects.filter(email="new@example.org").exists()
        # Resetting a password, link included.
        mail.outbox.clear()
        response = client.post(RESET, {"email": user.email})
        assert response.status_code == 302
        link = re.search(r"https?://[^/\s]+(/\S+/password/reset/key/\S+/)", mail.outbox[0].body)
        assert client.get(link.group(1), follow=True).status_code == 200
        # The failed-login limit still holds, in this process's memory: after a burst of
        # wrong passwords even the right one is refused for a while.
        for _attempt in range(6):
            client.post(LOGIN, {"login": user.email, "password": "wrong"})
        client.post(LOGIN, {"login": user.email, "password": PASSWORD})
        assert "_auth_user_id" not in client.session
    assert any("Redis cannot be reached" in r.getMessage() for r in caplog.records)

    redis.start()  # back, empty
    cache._retry_at = 0  # do not wait for the next retry time
    with caplog.at_level(logging.WARNING, logger="common.cache"):
        client.post(LOGIN, {"login": "someone@example.org", "password": "wrong"})
    assert any("Redis is back" in r.getMessage() for r in caplog.records)
    assert redis.command("dbsize") != "0"
