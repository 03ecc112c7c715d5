"""System checks: the listening cell's settings make sense before the first sweep."""

from django.conf import settings
from django.core.checks import Error, register


@register()
def check_digest_time(app_configs=None, **kwargs) -> list[Error]:
    from .planners import digest_time

    try:
        digest_time()
    except (TypeError, ValueError):
        return [
            Error(
                f"REFERRALS_DIGEST_TIME is {settings.REFERRALS_DIGEST_TIME!r}, not a time.",
                hint='Write it as HH:MM in Brussels time, e.g. "08:00".',
                id="referrals.E001",
            )
        ]
    return []
