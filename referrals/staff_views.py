"""Staff pages where programme managers keep the partner directory up to date."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from common.access import requires_permission
from members.roles import MANAGE_PARTNERS

from . import selectors, services
from .forms import PartnerForm
from .views import add_service_error

partner_managers_only = requires_permission(MANAGE_PARTNERS)


@partner_managers_only
def partner_list(request):
    return render(
        request,
        "referrals/partner_list.html",
        {"partners": selectors.partners_for_staff(request.user)},
    )


def _save(request, form, *, partner=None):
    data = dict(form.cleaned_data)
    relations = {name: data.pop(name) for name in ("needs", "areas", "languages")}
    try:
        if partner is None:
            partner = services.partner_create(**relations, **data)
        else:
            partner = services.partner_update(partner=partner, **relations, **data)
    except ValidationError as error:
        add_service_error(form, error)
        return None
    messages.success(request, _("“%(name)s” is saved.") % {"name": partner.name})
    return redirect("referrals:partner-list")


@partner_managers_only
def partner_create(request):
    form = PartnerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        response = _save(request, form)
        if response is not None:
            return response
    return render(request, "referrals/partner_form.html", {"form": form, "partner": None})


@partner_managers_only
def partner_edit(request, pk: int):
    partner = get_object_or_404(selectors.partners_for_staff(request.user), pk=pk)
    form = PartnerForm(request.POST or None, instance=partner)
    if request.method == "POST" and form.is_valid():
        response = _save(request, form, partner=partner)
        if response is not None:
            return response
    return render(request, "referrals/partner_form.html", {"form": form, "partner": partner})
