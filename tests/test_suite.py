"""The suite's own set-up: with pytest-xdist (`make test`) each worker process has a
PostgreSQL test database and a Redis database of its own, so that no worker's cache
flush or test data reaches another's."""

import os

import pytest
from celery import current_app
from django.core.cache import cache
from django.db import connection
from redis import Redis

from tests.conftest import worker_redis_url

WORKER = os.environ.get("PYTEST_XDIST_WORKER")


@pytest.mark.parametrize(
    ("url", "worker", "expected"),
    [
        ("redis://127.0.0.1:6379/7", "gw0", "redis://127.0.0.1:6379/7"),
        ("redis://127.0.0.1:6379/7", "gw3", "redis://127.0.0.1:6379/10"),
        ("redis://:secret@cache.internal:6380", "gw1", "redis://:secret@cache.internal:6380/1"),
    ],
)
def test_each_worker_adds_its_number_to_the_redis_index(url, worker, expected):
    assert worker_redis_url(url, worker) == expected


# Marked postgres: CI has REDIS_URL, so a skip there fails (tests/conftest.py).
@pytest.mark.postgres
@pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="the cache is Redis only with REDIS_URL"
)
def test_the_cache_and_the_broker_use_this_workers_redis_database():
    expected = os.environ["REDIS_URL"]
    if WORKER:
        expected = worker_redis_url(expected, WORKER)
    cache.set("suite:probe", WORKER or "alone")
    assert Redis.from_url(expected).exists(cache.make_and_validate_key("suite:probe"))
    assert current_app.conf.broker_url == expected


@pytest.mark.django_db
@pytest.mark.skipif(not WORKER, reason="one process: the name carries no worker id")
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite's are in memory")
def test_this_workers_test_database_carries_its_id():
    name = connection.settings_dict["NAME"]
    assert name.startswith("test_") and name.endswith(f"_{WORKER}")
