"""Call-back appointments: booking and changing one from a case's page, its calendar
file, and the advisor's day (their call-backs, in time order)."""

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.belgium import BRUSSELS

from . import selectors, services
from .callback_ics import callback_ics
from .case_forms import CallBackForm
from .case_views import _case_page, _done, _refused, advisor_only
from .models import CallBack, Case
from .views import add_service_error


def _when(callback: CallBack) -> str:
    return formats.date_format(timezone.localtime(callback.at, BRUSSELS), "DATETIME_FORMAT")


def _planned(request, case: Case, form: CallBackForm, plan):
    """Validate the form and call `plan(at, note)`; a refusal about the case (closed, not
    yours) comes back as a message, one about the time on the form."""
    if not form.is_valid():
        try:
            services.callback_check_may_plan(case=case, actor=request.user)
        except services.CaseActionRefused as error:
            return _refused(request, case, error)
        return _case_page(request, case, status=400, callback_form=form)
    try:
        callback = plan(form.cleaned_data["at"], form.cleaned_data["note"])
    except services.CaseActionRefused as error:
        return _refused(request, case, error)
    except ValidationError as error:
        add_service_error(form, error)
        return _case_page(request, case, status=400, callback_form=form)
    return _done(request, case, _("Call-back planned for %(when)s.") % {"when": _when(callback)})


@require_POST
@advisor_only
def callback_book(request, pk: int):
    case = selectors.case_for_advisor(request.user, pk)
    form = CallBackForm(request.POST, prefix="callback")
    return _planned(
        request,
        case,
        form,
        lambda at, note: services.callback_book(case=case, actor=request.user, at=at, note=note),
    )


@require_POST
@advisor_only
def callback_reschedule(request, pk: int, callback_pk: int):
    case = selectors.case_for_advisor(request.user, pk)
    callback = selectors.callback_of_case(case, callback_pk)
    form = CallBackForm(request.POST, prefix="callback")
    return _planned(
        request,
        case,
        form,
        lambda at, note: services.callback_reschedule(
            callback=callback, actor=request.user, at=at, note=note
        ),
    )


@require_POST
@advisor_only
def callback_cancel(request, pk: int, callback_pk: int):
    case = selectors.case_for_advisor(request.user, pk)
    callback = selectors.callback_of_case(case, callback_pk)
    try:
        services.callback_cancel(callback=callback, actor=request.user)
    except ValidationError as error:
        return _refused(request, case, error)
    return _done(request, case, _("The call-back is cancelled."))


@require_POST
@advisor_only
def callback_done(request, pk: int, callback_pk: int):
    case = selectors.case_for_advisor(request.user, pk)
    callback = selectors.callback_of_case(case, callback_pk)
    try:
        services.callback_done(callback=callback, actor=request.user)
    except ValidationError as error:
        return _refused(request, case, error)
    return _done(
        request, case, _("The call-back is done. Record how the call went as a contact attempt.")
    )


@advisor_only
def callback_calendar(request, pk: int, callback_pk: int):
    case = selectors.case_for_advisor(request.user, pk)
    callback = selectors.callback_of_case(case, callback_pk)
    response = HttpResponse(callback_ics(callback), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="callback-{case.reference}.ics"'
    return response


@advisor_only
def today(request):
    """The advisor's call-backs due today and those overdue, then the next few; each
    line shows the person's name and phone, so the listing is in the access log."""
    day = selectors.advisor_day(request.user)
    services.access_record_listing(cases=day.cases, user=request.user)
    return render(request, "referrals/callback_today.html", {"day": day})
