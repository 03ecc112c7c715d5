"""`check --deploy`: the public address must be one the portal answers on, over HTTPS."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.http.request import validate_host


@register(Tags.security, deploy=True)
def check_portal_base_url(app_configs=None, **kwargs) -> list:
    parts = urlsplit(settings.PORTAL_BASE_URL)
    problems: list = []
    if parts.scheme != "https":
        problems.append(
            Warning(
                f"PORTAL_BASE_URL ({settings.PORTAL_BASE_URL}) is not https: the links in "
                "e-mails and calendar feeds, tokens included, would travel unencrypted.",
                id="common.W001",
            )
        )
    if not validate_host(parts.hostname or "", settings.ALLOWED_HOSTS):
        problems.append(
            Error(
                f"The host of PORTAL_BASE_URL ({parts.hostname}) is not in ALLOWED_HOSTS: "
                "every link the portal sends would be refused.",
                id="common.E001",
            )
        )
    return problems
