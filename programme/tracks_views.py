"""Training tracks: each staff member's own page, and the managers' pages to compose
tracks and follow completion per person and per track."""

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.access import requires_permission, signed_in
from common.csv_export import csv_response
from common.redirects import safe_next
from members.roles import MANAGE_PROGRAMME

from .manage_views import _apply_errors
from .models import TrackStep, TrainingTrack
from .selectors.tracks import audiences_of, progress_table, tracks_of, tracks_progress
from .services.tracks import (
    step_mark,
    track_create,
    track_step_add,
    track_step_move,
    track_step_remove,
    track_update,
)
from .tracks_forms import StepForm, TrackForm

manager_required = requires_permission(MANAGE_PROGRAMME)


# --- Staff and ambassadors ---------------------------------------------------------


@signed_in
def my_training(request):
    context = {"tracks": tracks_of(request.user), "is_staff": bool(audiences_of(request.user))}
    return render(request, "programme/my_training.html", context)


@require_POST
@signed_in
def training_step_mark(request, pk: int):
    back = safe_next(request, reverse("programme:my-training"))
    done = request.POST.get("done") != "0"
    try:
        changed = step_mark(user=request.user, step_id=pk, done=done)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        if done:
            messages.success(
                request, _("Step marked as done.") if changed else _("This step was already done.")
            )
        else:
            messages.success(request, _("The step is marked as not done."))
    return redirect(back)


# --- Managers ----------------------------------------------------------------------


@manager_required
def track_list(request):
    return render(request, "programme/manage/track_list.html", {"progress": tracks_progress()})


@manager_required
def track_edit(request, pk: int | None = None):
    track = get_object_or_404(TrainingTrack, pk=pk) if pk else None
    form = TrackForm(request.POST if request.method == "POST" else None, instance=track)
    if request.method == "POST" and form.is_valid():
        try:
            if track is None:
                track = track_create(**form.cleaned_data)
            else:
                track = track_update(track=track, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The track is saved."))
            return redirect("programme:manage-track", pk=track.pk)
    return render(request, "programme/manage/track_form.html", {"form": form, "track": track})


@manager_required
def track_detail(request, pk: int):
    [progress] = tracks_progress(track_id=get_object_or_404(TrainingTrack, pk=pk).pk)
    form = StepForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            track_step_add(track_id=progress.track.pk, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The step is added."))
            return redirect("programme:manage-track", pk=pk)
    steps = list(progress.track.steps.all())
    context = {"progress": progress, "track": progress.track, "steps": steps, "form": form}
    return render(request, "programme/manage/track_detail.html", context)


@require_POST
@manager_required
def track_step_change(request, pk: int):
    step = get_object_or_404(TrackStep, pk=pk)
    action = request.POST.get("action")
    if action == "remove":
        track_step_remove(step_id=step.pk)
        messages.success(request, _("The step is removed."))
    elif action in ("up", "down"):
        track_step_move(step_id=step.pk, up=action == "up")
        messages.success(request, _("The order is saved."))
    else:
        messages.error(request, _("Unknown action."))
    return redirect("programme:manage-track", pk=step.track_id)


@manager_required
@reauthentication_required  # staff names and addresses leave the portal
def track_export(request):
    header, rows = progress_table(tracks_progress())
    stamp = timezone.localdate().strftime("%Y%m%d")
    return csv_response(f"training-tracks-{stamp}.csv", header, rows)
