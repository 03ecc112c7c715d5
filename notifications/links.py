"""Absolute links for e-mails: an e-mail has no request to take the host from."""

from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse


def absolute_url(path: str) -> str:
    """PORTAL_BASE_URL + path; a URL that already has a scheme is returned as it is."""
    if "://" in path:
        return path
    return settings.PORTAL_BASE_URL.rstrip("/") + "/" + path.lstrip("/")


def reverse_absolute(viewname: str, *args, **kwargs) -> str:
    """reverse() made absolute; called inside translation.override, so the language
    prefix is the recipient's."""
    return absolute_url(reverse(viewname, args=args or None, kwargs=kwargs or None))


def portal_host() -> str:
    """The host name of PORTAL_BASE_URL, without port: bien-etre.example.org."""
    return urlsplit(settings.PORTAL_BASE_URL).hostname or "localhost"
