"""Repeat a session weekly or monthly: choose, preview the dates, confirm."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from common.access import requires_permission
from members.roles import MANAGE_PROGRAMME

from .manage_views import _apply_errors
from .models import Session
from .series_forms import LIKE_ORIGINAL, SeriesForm
from .services.series import series_create, series_preview

manager_required = requires_permission(MANAGE_PROGRAMME)


@manager_required
def session_repeat(request, pk: int):
    """A first POST shows the dates (holidays flagged); the confirming POST creates them."""
    session = get_object_or_404(Session.objects.select_related("module"), pk=pk)
    form = SeriesForm(request.POST or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        choice = form.cleaned_data
        try:
            if request.POST.get("confirm") == "1":
                series_create(
                    session_id=session.pk,
                    frequency=choice["frequency"],
                    count=choice["count"],
                    publish_like_original=choice["status"] == LIKE_ORIGINAL,
                    actor=request.user,
                )
            else:
                preview = series_preview(
                    session=session, frequency=choice["frequency"], count=choice["count"]
                )
        except ValidationError as error:
            _apply_errors(form, error)
            preview = None
        else:
            if preview is None:
                messages.success(
                    request,
                    _(
                        "The series is created: %(count)s sessions in all. Each can be edited on its own."
                    )
                    % {"count": choice["count"]},
                )
                return redirect("programme:manage-session", pk=session.pk)
    context = {
        "session": session,
        "form": form,
        "preview": preview,
        "holidays": sum(1 for o in preview or [] if o.holiday),
    }
    return render(request, "programme/manage/session_repeat.html", context)
