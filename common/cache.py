"""A Redis cache that survives Redis: while Redis cannot be reached, each process keeps
its cache in local memory instead, logs one warning, and goes back to Redis as soon as
Redis answers again.

Failing open (every read a miss, every write dropped) would not do: allauth's rate
limiter takes a lock with `cache.add()` in a loop that waits for the add to succeed, and
its login and TOTP limits are only as good as the counters behind them. With local
memory the limits still hold during an outage, per process instead of for the whole
site, and login, sign-up and password reset answer as usual.
"""

import logging
import time
from functools import wraps
from typing import Any

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# Only "Redis is not there": a wrong command or a bad value is still a bug to see.
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
# While Redis is down, try it again at most this often, so that each request does not
# pay for a refused connection on every cache call.
RETRY_AFTER_SECONDS = 5.0


def _fail_soft(method_name: str):
    redis_method = getattr(RedisCache, method_name)

    @wraps(redis_method)
    def method(self, *args, **kwargs):
        if self._down_since is not None and time.monotonic() < self._retry_at:
            return getattr(self._fallback, method_name)(*args, **kwargs)
        try:
            result = redis_method(self, *args, **kwargs)
        except UNREACHABLE as error:
            self._went_down(error)
            return getattr(self._fallback, method_name)(*args, **kwargs)
        self._came_back()
        return result

    return method


class SharedClientRedisCacheClient(RedisCacheClient):
    """Django's client, with one redis-py client per connection pool instead of a new one
    for every cache call. Building a redis-py client fills its table of some 170 response
    callbacks: on a page served whole from the cache that was a sixth of the request's
    time (bench/stack.py). A redis-py client is safe to share between threads, and its
    pool opens new connections after a fork."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        # Django's own helpers, which django-stubs leaves out as private.
        index = self._get_connection_pool_index(write)  # type: ignore[attr-defined]
        client = self._clients.get(index)
        if client is None:
            pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
            client = self._clients[index] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return client


class FailSoftRedisCache(RedisCache):
    """Django's RedisCache, falling back to a per-process local-memory cache while Redis
    cannot be reached."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient
        self._fallback = LocMemCache(
            # One name per Redis location: every thread of the process shares it.
            f"fail-soft-{server}",
            {
                "TIMEOUT": params.get("TIMEOUT", 300),
                "KEY_PREFIX": params.get("KEY_PREFIX", ""),
                "VERSION": params.get("VERSION", 1),
            },
        )
        self._down_since: float | None = None
        self._retry_at = 0.0

    def _went_down(self, error: BaseException) -> None:
        now = time.monotonic()
        if self._down_since is None:
            self._down_since = now
            logger.warning(
                "Cache: Redis cannot be reached (%s); using local memory until it is back.",
                error,
            )
        self._retry_at = now + RETRY_AFTER_SECONDS

    def _came_back(self) -> None:
        if self._down_since is not None:
            logger.warning(
                "Cache: Redis is back after %.0f s; using it again.",
                time.monotonic() - self._down_since,
            )
            self._down_since = None

    @property
    def is_degraded(self) -> bool:
        return self._down_since is not None

    add = _fail_soft("add")
    get = _fail_soft("get")
    set = _fail_soft("set")
    touch = _fail_soft("touch")
    delete = _fail_soft("delete")
    get_many = _fail_soft("get_many")
    has_key = _fail_soft("has_key")
    incr = _fail_soft("incr")
    set_many = _fail_soft("set_many")
    delete_many = _fail_soft("delete_many")
    clear = _fail_soft("clear")
