"""Where to send someone back after a form: only to a page of the portal itself."""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest, default: str) -> str:
    """The `next` the form carried when it points inside the portal, else `default`.

    A path of the portal only: no other host or scheme (open redirects), and no control
    character, which Django's check lets through but a Location header refuses (a 500
    after the change was already saved).
    """
    target = request.POST.get("next") or request.GET.get("next") or ""
    if (
        target.startswith("/")
        and target.isprintable()
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return default
