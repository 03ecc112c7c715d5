from django.conf import settings
from django.http import HttpRequest

from .helplines import HELP_LINES


def portal(request: HttpRequest) -> dict:
    return {"PORTAL_NAME": settings.PORTAL_NAME, "HELP_LINES": HELP_LINES}
