"""The programme managers' HSDS import: upload, see what would change, then confirm."""

import hashlib

from django.contrib import messages
from django.core.cache import cache
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ..staff_views import partner_managers_only
from .forms import HsdsImportForm
from .importer import ImportRefused, hsds_import

# Between the preview and the confirmation the file waits in the cache, for this user only.
PREVIEW_SECONDS = 30 * 60


def _key(user, token: str) -> str:
    return f"hsds-import:{user.pk}:{token}"


def _confirm(request):
    token = request.POST.get("token", "")
    data = cache.get(_key(request.user, token)) if token.isalnum() and len(token) == 64 else None
    if data is None:
        messages.error(request, _("This preview has expired. Upload the file again."))
        return redirect("referrals:partner-import")
    try:
        report = hsds_import(data=data, dry_run=False)
    except ImportRefused as refused:
        # The directory changed since the preview in a way the file now contradicts.
        return render(
            request,
            "referrals/partner_import.html",
            {"form": HsdsImportForm(), "problems": refused.problems},
        )
    cache.delete(_key(request.user, token))
    messages.success(
        request,
        _(
            "Import done: %(created)s partners created, %(updated)s updated, "
            "%(unchanged)s left as they were."
        )
        % {
            "created": len(report.created),
            "updated": len(report.updated),
            "unchanged": len(report.unchanged),
        },
    )
    return redirect("referrals:partner-list")


@partner_managers_only
def partner_import(request):
    if request.method == "POST" and "token" in request.POST:
        return _confirm(request)
    posted = request.method == "POST"
    form = HsdsImportForm(request.POST, request.FILES) if posted else HsdsImportForm()
    context = {"form": form}
    if posted and form.is_valid():
        data = form.cleaned_data["file"].read()
        try:
            report = hsds_import(data=data, dry_run=True)
        except ImportRefused as refused:
            context["problems"] = refused.problems
        else:
            context["report"] = report
            if report.changes:
                token = hashlib.sha256(data).hexdigest()
                cache.set(_key(request.user, token), data, PREVIEW_SECONDS)
                context["token"] = token
    return render(request, "referrals/partner_import.html", context)
