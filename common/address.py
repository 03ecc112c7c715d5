"""The portal's one public address (PORTAL_BASE_URL), checked when the settings load.

Read by wellbeing.settings before Django is set up: standard library and
django.core.exceptions only.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

VARIABLE = "PORTAL_BASE_URL"


def portal_base_url(value: str) -> str:
    """scheme://host[:port] and nothing else, or ImproperlyConfigured naming the variable.

    Empty means missing: settings pass "" when DEBUG is off and nothing was set.
    """
    value = value.strip()
    parts = urlsplit(value)
    if not value:
        problem = "is required when DEBUG is off (the address members use, e.g. https://bien-etre.example.org)"
    elif not value.isascii():
        problem = "must be ASCII: write an international domain name in punycode"
    elif parts.scheme not in ("http", "https") or not parts.hostname:
        problem = "needs a scheme and a host, e.g. https://bien-etre.example.org"
    elif parts.path not in ("", "/") or parts.query or parts.fragment or "@" in parts.netloc:
        problem = "must be scheme://host[:port] only, with no path, query or user"
    else:
        try:
            parts.port  # noqa: B018  (raises ValueError on a port out of range)
        except ValueError:
            problem = "has an invalid port"
        else:
            return f"{parts.scheme}://{parts.netloc}"
    raise ImproperlyConfigured(f"{VARIABLE} {problem} (got {value!r}).")
