from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language

from .helplines import help_lines_for


def portal(request: HttpRequest) -> dict:
    return {"PORTAL_NAME": settings.PORTAL_NAME, "HELP_LINES": help_lines_for(get_language())}
