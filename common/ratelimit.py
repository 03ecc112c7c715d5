"""Rate limits on public forms, counted in Django's cache by django-ratelimit.

A limit protects the listening cell from floods; it must never become the reason a person
in need cannot reach it. So a cache that cannot count (Redis stopped, a network split)
lets the request through and says so in the log, and every caller answers "over the
limit" with a page that shows the phone numbers.
"""

import logging
from collections.abc import Callable

from django.http import HttpRequest
from django_ratelimit.core import is_ratelimited
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def over_limit(
    request: HttpRequest, *, group: str, key: str | Callable[[str, HttpRequest], str], rate: str
) -> bool:
    """Count one use of `group` for `key` ("ip", or a callable that returns a value such as
    a phone number; the cache holds only its hash) and say whether it went over `rate`."""
    try:
        return is_ratelimited(request, group=group, key=key, rate=rate, increment=True)
    except (RedisError, OSError):
        logger.warning("Rate limit %s not counted: the cache is unavailable.", group, exc_info=True)
        return False


def value_key(value: str) -> Callable[[str, HttpRequest], str]:
    """A django-ratelimit key that counts one value (a normalised phone or e-mail)."""
    return lambda group, request: value
