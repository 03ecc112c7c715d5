"""Limits on the listening cell's forms (guest callbacks, ambassador signals) and the page
a person over a limit sees: the cell's phone and the crisis lines, never a bare 429."""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from common.ratelimit import over_limit, value_key

from .deadlines import cell_hours
from .guest import guest_email
from .phones import normalise_phone, tel_uri


def cell_context() -> dict:
    """The cell's line and its opening hours in the active language: the same hours
    (REFERRALS_CELL_OPENS and _CLOSES) as the urgent cases' deadlines are counted in."""
    opens, closes = cell_hours()
    return {
        "cell_phone": settings.LISTENING_CELL_PHONE,
        "cell_phone_uri": tel_uri(settings.LISTENING_CELL_PHONE),
        "cell_hours": _("Monday to Friday, %(opens)s to %(closes)s, except public holidays")
        % {"opens": time_format(opens), "closes": time_format(closes)},
    }


def limited_response(request: HttpRequest) -> HttpResponse:
    """Over a limit (or caught by a honeypot): nothing recorded, the numbers shown."""
    return render(request, "referrals/talk_limited.html", cell_context(), status=429)


def contact_over_limit(request: HttpRequest, *, group: str, rate: str, phones, emails) -> bool:
    """Count one use for each phone number and e-mail address; over if any is."""
    values = {phone for phone in phones if phone} | {
        guest_email(email).lower() for email in emails if email and email.strip()
    }
    # Every value is counted, so each number and address meets its own limit.
    results = [
        over_limit(request, group=group, key=value_key(value), rate=rate)
        for value in sorted(values)
    ]
    return any(results)


def _phone_or_nothing(raw: str) -> str:
    try:
        return normalise_phone(raw) if raw.strip() else ""
    except ValidationError:
        return ""


def signal_limits(view: Callable) -> Callable:
    """Ambassador signals: per client address, and per person named (phone, e-mail), each
    sent form counted."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        # Counted once the person is signed in: the view itself turns anyone else away.
        if request.method == "POST" and request.user.is_authenticated:
            post = request.POST
            if over_limit(
                request,
                group="referrals.signal.ip",
                key="ip",
                rate=settings.REFERRALS_SIGNAL_LIMIT_PER_IP,
            ) or contact_over_limit(
                request,
                group="referrals.signal.contact",
                rate=settings.REFERRALS_SIGNAL_LIMIT_PER_CONTACT,
                phones=[_phone_or_nothing(post.get("phone", "")[:30])],
                emails=[post.get("email", "")[:254], post.get("member_email", "")[:254]],
            ):
                return limited_response(request)
        return view(request, *args, **kwargs)

    return wrapped
