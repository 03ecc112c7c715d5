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
    form = PartnerAnswerForm(
        request.POST if request.method == "POST" else None, current=referral.partner_answer
    )
    status = 200
    if request.method == "POST":
        if form.goes_back():
            messages.error(
                request,
                _("This referral is already at “%(answer)s”: it can only move forward.")
                % {"answer": referral.get_partner_answer_display()},
            )
            return redirect("referrals:partner-referral", token=token)
        if form.is_valid():
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
            return redirect("referrals:partner-referral", token=token)
        status = 400
    view = selectors.partner_view(referral, expires_at=link.expires_at)
    return _private(
        render(
            request,
            "referrals/partner_referral.html",
            {"view": view, "form": form, "cell_phone": settings.LISTENING_CELL_PHONE},
            status=status,
        )
    )
