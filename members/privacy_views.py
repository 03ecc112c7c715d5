"""The member's privacy space: consents, the data file, deleting the account.

Nothing here takes a user id: every page works on the logged-in account only, so nobody
reaches another person's data through it, staff included. Personal data is never kept by
a browser or a proxy (never_cache).
"""

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from common import privacy
from common.access import signed_in

from . import selectors, services
from .consents import ConsentKind
from .forms import AccountEraseForm, ConsentWithdrawForm


def _kind_or_404(code: str) -> ConsentKind:
    kind = selectors.consent_kind(code)
    if kind is None:
        raise Http404
    return kind


@signed_in
@never_cache
def privacy_overview(request):
    history = selectors.consent_history(request.user)
    return render(
        request,
        "members/privacy_overview.html",
        {"states": selectors.consent_states(history), "history": history},
    )


@signed_in
@never_cache
def consent_withdraw(request, kind: str):
    kind = _kind_or_404(kind)
    state = selectors.consent_state(request.user, kind)
    cleanup = privacy.consent_cleanup(kind)
    count = selectors.consent_cleanup_count(request.user, kind)
    form = ConsentWithdrawForm(
        request.POST if request.method == "POST" else None,
        cleanup_count=count,
        cleanup_offer=cleanup.offer(count) if cleanup and count else "",
    )
    if request.method == "POST" and form.is_valid():
        done = services.consent_withdraw_and_clean(
            user=request.user, kind=kind, delete_data=form.delete_data
        )
        if done.withdrawn:
            messages.success(request, _("Your consent is withdrawn."))
        else:
            messages.info(request, _("This consent was already withdrawn."))
        if done.deleted:
            messages.success(request, _("What you kept under it was deleted."))
        return redirect("members:privacy")
    return render(
        request,
        "members/consent_confirm_withdraw.html",
        {"state": state, "form": form, "count": count},
    )


@signed_in
@require_POST
def consent_give(request, kind: str):
    kind = _kind_or_404(kind)
    try:
        _consent, created = services.consent_renew(user=request.user, kind=kind)
    except ValidationError:  # a consent given elsewhere, never from here
        raise Http404 from None
    if created:
        messages.success(request, _("Thank you: your consent is recorded."))
    else:
        messages.info(request, _("You had already given this consent."))
    return redirect("members:privacy")


@signed_in
@reauthentication_required
@never_cache
def data_export(request):
    """What the data file holds; reached after confirming the password."""
    return render(request, "members/data_export.html")


@signed_in
@reauthentication_required
@never_cache
def data_export_download(request):
    body = selectors.member_data_json(request.user)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"my-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@signed_in
@never_cache
def account_erase(request):
    blockers = services.erasure_blockers(request.user)
    form = AccountEraseForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and not blockers and form.is_valid():
        try:
            services.member_erase(user=request.user)
        except services.ErasureRefused as refused:
            form.add_error(None, str(refused))
        else:
            logout(request)
            messages.success(
                request,
                _(
                    "Your account and your personal data were deleted. Thank you for "
                    "taking part in the programme."
                ),
            )
            return redirect("home")
    return render(
        request, "members/account_confirm_erase.html", {"form": form, "blockers": blockers}
    )
