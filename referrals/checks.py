"""System checks: the listening cell's settings make sense before the first sweep."""

from datetime import time

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


@register()
def check_cell_hours(app_configs=None, **kwargs) -> list[Error]:
    from .deadlines import cell_hours

    opens: time | None
    closes: time | None
    try:
        opens, closes = cell_hours()
    except (TypeError, ValueError):
        opens = closes = None
    if opens is None or closes is None or not opens < closes:
        return [
            Error(
                f"REFERRALS_CELL_OPENS ({settings.REFERRALS_CELL_OPENS!r}) and "
                f"REFERRALS_CELL_CLOSES ({settings.REFERRALS_CELL_CLOSES!r}) are not "
                "an opening and a later closing time.",
                hint='Write them as HH:MM in Brussels time, e.g. "09:00" and "17:00".',
                id="referrals.E002",
            )
        ]
    if settings.REFERRALS_URGENT_FIRST_CONTACT_WORKING_HOURS <= 0:
        return [
            Error(
                "REFERRALS_URGENT_FIRST_CONTACT_WORKING_HOURS must be more than 0.",
                id="referrals.E003",
            )
        ]
    return []
