"""The partner's page of a referral: reached through the signed link e-mailed to the
partner's referral address, no account. It shows only what the member agreed to share,
is never indexed, links nowhere else in the portal, is rate-limited, and every view of it
is in the access log."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from common.access import public
from common.ratelimit import over_limit

from . import selectors, services
from .models import Referral
from .partner_forms import PartnerAnswerForm
from .partner_links import PartnerLinkInvalid, partner_token_read


def _private(response: HttpResponse) -> HttpResponse:
    # The token is in the address: no search engine, no other site's referrer log, no
    # shared cache keeps it. (Not "no-referrer": browsers then post the answer with
    # "Origin: null", which the CSRF check refuses.)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "same-origin"
    return response


def _unusable(request: HttpRequest, reason: str, *, status: int) -> HttpResponse:
    return _private(
        render(
            request,
            "referrals/partner_link_invalid.html",
            {"reason": reason, "cell_phone": settings.LISTENING_CELL_PHONE},
            status=status,
        )
    )


@public
@never_cache
def partner_referral(request: HttpRequest, token: str) -> HttpResponse:
    if over_limit(
        request,
        group="referrals.partner.ip",
        key="ip",
        rate=settings.REFERRALS_PARTNER_LIMIT_PER_IP,
    ):
        return _unusable(request, "limited", status=429)
    try:
        link = partner_token_read(token)
    except PartnerLinkInvalid as error:
        return _unusable(request, error.reason, status=410 if error.reason == "expired" else 404)
    referral = selectors.referral_for_partner(link.referral_id)
    if referral is None:
        return _unusable(request, "forged", status=404)
    if not referral.case.is_open:
        return _unusable(request, "closed", status=410)
    services.access_record_partner(referral=referral)
    form, response = answer_form_handle(
        request, referral, redirect_to=("referrals:partner-referral", token)
    )
    if response is not None:
        return response
    view = selectors.partner_view(referral, expires_at=link.expires_at)
    return _private(
        render(
            request,
            "referrals/partner_referral.html",
            {"view": view, "form": form, "cell_phone": settings.LISTENING_CELL_PHONE},
            status=400 if form.is_bound else 200,
        )
    )


def answer_form_handle(
    request: HttpRequest, referral: Referral, *, redirect_to: tuple
) -> tuple[PartnerAnswerForm, HttpResponse | None]:
    """The partner's answer, the same through the link and signed in: forward only,
    through the one service. A redirect once handled; else the form to show again."""
    form = PartnerAnswerForm(
        request.POST if request.method == "POST" else None, current=referral.partner_answer
    )
    if request.method != "POST":
        return form, None
    if form.goes_back():
        messages.error(
            request,
            _("This referral is already at “%(answer)s”: it can only move forward.")
            % {"answer": referral.get_partner_answer_display()},
        )
        return form, redirect(*redirect_to)
    if not form.is_valid():
        return form, None
    try:
        services.partner_answer_record(
            referral_id=referral.pk,
            answer=form.cleaned_data["answer"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Thank you: your answer is recorded."))
    return form, redirect(*redirect_to)
