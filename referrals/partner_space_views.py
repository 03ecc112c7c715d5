"""The partner space: a partner organisation's staff, signed in, answer the referrals sent
to their organisation (the same page and answer as the signed link, every view in the
access log with their account); and the staff page where managers invite them."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from common.access import requires_permission
from members.models import User
from members.roles import ANSWER_REFERRALS, MANAGE_PARTNERS

from . import selectors, services
from .models import Partner
from .partner_forms import PartnerStaffInviteForm
from .partner_views import answer_form_handle
from .views import add_service_error

partner_staff_only = requires_permission(ANSWER_REFERRALS)


def _user(request: HttpRequest) -> User:
    # Behind requires_permission: the user is signed in.
    assert isinstance(request.user, User)
    return request.user


def _own_partner(request: HttpRequest) -> Partner:
    partner = selectors.partner_of(request.user)
    if partner is None:  # the role without an organisation: nothing to show
        raise PermissionDenied
    return partner


@partner_staff_only
@never_cache
def partner_space(request: HttpRequest) -> HttpResponse:
    partner = _own_partner(request)
    return render(
        request,
        "referrals/partner_space.html",
        {"partner": partner, "referrals": selectors.partner_space_referrals(partner)},
    )


@partner_staff_only
@never_cache
def partner_space_referral(request: HttpRequest, pk: int) -> HttpResponse:
    _own_partner(request)
    referral = selectors.referral_for_partner_user(request.user, pk)
    if referral is None:
        raise Http404
    if not referral.case.is_open:
        # Nothing of the member once the case is closed, as with the link.
        messages.info(
            request,
            _("The listening cell has closed this case: the referral no longer needs an answer."),
        )
        return redirect("referrals:partner-space")
    services.access_record_partner(referral=referral, user=_user(request))
    form, response = answer_form_handle(
        request, referral, redirect_to=("referrals:partner-space-referral", referral.pk)
    )
    if response is not None:
        return response
    return render(
        request,
        "referrals/partner_space_referral.html",
        {
            "view": selectors.partner_view(referral),
            "form": form,
            "cell_phone": settings.LISTENING_CELL_PHONE,
        },
        status=400 if form.is_bound else 200,
    )


@requires_permission(MANAGE_PARTNERS)
def partner_staff(request: HttpRequest, pk: int) -> HttpResponse:
    partner = get_object_or_404(selectors.partners_for_staff(_user(request)), pk=pk)
    form = PartnerStaffInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.partner_staff_invite(
                partner=partner, actor=_user(request), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("An invitation is sent to %(email)s.") % {"email": membership.user.email},
            )
            return redirect("referrals:partner-staff", pk=partner.pk)
    return render(
        request,
        "referrals/partner_staff.html",
        {"partner": partner, "form": form, "staff": selectors.partner_staff_accounts(partner)},
    )
