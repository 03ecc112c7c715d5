"""Self-assessment pages: thin views over the forms, the scoring engine and the services."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from common.access import public, requires_permission
from common.redirects import safe_next
from members.roles import ACCESS_MEMBER_SPACE, Role, has_role

from . import selectors, services
from .charts import trend_chart
from .forms import AssessmentForm, DeleteAllForm, ReassessmentForm, form_token
from .instruments import current_instruments, get_current
from .presentation import band_ranges, view_of_result, view_of_scored
from .scoring import AnswersInvalid, score_answers


def _can_keep(user) -> bool:
    return has_role(user, Role.MEMBER)


# A member's hub shows their latest bands: never kept by a browser or a proxy, so the
# back button on a shared computer does not bring them back after logging out.
@public
@never_cache
def hub(request):
    instruments = current_instruments()
    latest = {}
    if _can_keep(request.user):
        latest = {result.instrument: result for result in selectors.latest_results(request.user)}
    rows = [(instrument, latest.get(instrument.code)) for instrument in instruments]
    return render(
        request,
        "assessments/assessment_hub.html",
        {"rows": rows, "can_keep": _can_keep(request.user)},
    )


def _render_form(request, instrument, form, token):
    return render(
        request,
        "assessments/assessment_form.html",
        {"instrument": instrument, "form": form, "token": token},
    )


@public
@never_cache
def take(request, code: str):
    """Answer an instrument; a valid sending is kept (redirect) or shown once (no storage)."""
    instrument = get_current(code)
    if instrument is None:
        raise Http404
    can_keep = _can_keep(request.user)
    if request.method != "POST":
        form = AssessmentForm(instrument=instrument, can_keep=can_keep)
        return _render_form(request, instrument, form, form_token(instrument))

    form = AssessmentForm(request.POST, instrument=instrument, can_keep=can_keep)
    if form.is_stale:
        messages.info(
            request,
            _(
                "This questionnaire was updated since you opened it. "
                "Here is the current version: thank you for answering it again."
            ),
        )
        fresh = AssessmentForm(instrument=instrument, can_keep=can_keep)
        return _render_form(request, instrument, fresh, form_token(instrument))
    if not form.is_valid():
        ticket_ok = "token" not in form.errors
        token = request.POST.get("token", "") if ticket_ok else form_token(instrument)
        return _render_form(request, instrument, form, token)

    try:
        scored = score_answers(instrument, form.answers())
    except AnswersInvalid as error:  # the form already checked; never half-score
        raise Http404 from error
    if form.wants_keep:
        try:
            result = services.result_keep(
                user=request.user,
                scored=scored,
                language=translation.get_language() or "fr",
                submission_key=form.submission_key,
            )
        except services.AssessmentError:
            form.add_error(None, _("We could not read this form. Please send your answers again."))
            return _render_form(request, instrument, form, form_token(instrument))
        return redirect("assessments:result-detail", pk=result.pk)
    return _render_result(request, view_of_scored(scored))


def _render_result(request, view):
    modules = selectors.recommended_modules(view.band.themes, user=request.user)
    plan = None
    if view.kept:
        plan = selectors.plans_for_member(request.user).get(view.instrument.code)
    return render(
        request,
        "assessments/result_detail.html",
        {
            "view": view,
            "modules": modules,
            "plan": plan,
            "reassessment_form": ReassessmentForm(
                initial={"interval": str(plan.interval_days) if plan else ReassessmentForm.OFF}
            ),
        },
    )


@requires_permission(ACCESS_MEMBER_SPACE)
@never_cache
def result_detail(request, pk: int):
    result = get_object_or_404(selectors.results_for_member(request.user), pk=pk)
    view = view_of_result(result)
    if view is None:
        raise Http404
    return _render_result(request, view)


@requires_permission(ACCESS_MEMBER_SPACE)
@never_cache
def result_delete(request, pk: int):
    result = get_object_or_404(selectors.results_for_member(request.user), pk=pk)
    if request.method == "POST":
        services.result_delete(user=request.user, result=result)
        messages.success(request, _("The result was deleted."))
        return redirect("assessments:history")
    return render(request, "assessments/result_confirm_delete.html", {"result": result})


@requires_permission(ACCESS_MEMBER_SPACE)
@never_cache
def history(request):
    histories = selectors.history_for_member(request.user)
    sections = [
        {
            "history": history,
            "chart": trend_chart(history.instrument, history.results),
            "ranges": band_ranges(history.instrument),
            "form": ReassessmentForm(
                initial={
                    "interval": str(history.plan.interval_days)
                    if history.plan
                    else ReassessmentForm.OFF
                }
            ),
        }
        for history in histories
    ]
    return render(request, "assessments/result_history.html", {"sections": sections})


@requires_permission(ACCESS_MEMBER_SPACE)
@never_cache
def results_delete_all(request):
    form = DeleteAllForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        count = services.results_delete_all(
            user=request.user, withdraw_consent=form.cleaned_data["withdraw_consent"]
        )
        messages.success(
            request,
            _("Your self-assessment history was deleted (%(count)s results).") % {"count": count},
        )
        return redirect("assessments:hub")
    count = selectors.results_for_member(request.user).count()
    return render(
        request, "assessments/result_confirm_delete_all.html", {"form": form, "count": count}
    )


@requires_permission(ACCESS_MEMBER_SPACE)
@require_POST
def reassessment_update(request, code: str):
    instrument = get_current(code)
    if instrument is None:
        raise Http404
    form = ReassessmentForm(request.POST)
    target = safe_next(request, reverse("assessments:history"))
    if not form.is_valid():
        messages.error(request, _("Please choose one of the intervals offered."))
        return redirect(target)
    days = form.interval_days()
    if days is None:
        services.reassessment_plan_stop(user=request.user, instrument=instrument.code)
        messages.success(request, _("You will not be invited to take this self-assessment again."))
    else:
        plan = services.reassessment_plan_set(
            user=request.user, instrument=instrument.code, interval_days=days
        )
        messages.success(
            request,
            _("We will invite you to take it again around %(date)s.")
            % {"date": formats.date_format(plan.next_due_on, "DATE_FORMAT")},
        )
    return redirect(target)
