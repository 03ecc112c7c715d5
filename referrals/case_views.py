"""The listening cell's pages: the queue, a case and what advisors do with it.

Every page that shows a case or its attached result writes the access log first; the
queue writes a line for each case it lists.
"""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.access import requires_permission
from common.pagination import page_of
from members.roles import WORK_CASES
from notifications.preferences import STAFF_ALERTS, preference_enabled
from notifications.services import preference_set

from . import selectors, services
from .case_forms import (
    AlertSettingsForm,
    AssignForm,
    CallBackForm,
    CallerCaseForm,
    CloseForm,
    ContactAttemptForm,
    FollowUpForm,
    NoteForm,
    QueueFilterForm,
    ReachedForm,
    ReferralForm,
)
from .choices import AccessSubject, CaseStatus
from .models import Case
from .planners import digest_time
from .selectors.search import other_cases_of_person
from .views import add_service_error, valid_filters

QUEUE_PAGE_SIZE = 25
OTHER_CASES_SHOWN = 10

advisor_only = requires_permission(WORK_CASES)


@advisor_only
def queue(request):
    form = QueueFilterForm(request.GET or None)
    data = valid_filters(form)
    filters = selectors.QueueFilters(
        status=data.get("status") or "open",
        assignment=data.get("assignment") or "",
        urgency=data.get("urgency") or None,
        source=data.get("source") or "",
        region=data.get("region") or "",
        overdue=bool(data.get("overdue")),
        awaiting_partner=bool(data.get("awaiting_partner")),
    )
    page, _moved = page_of(
        selectors.case_queue(request.user, filters), request.GET.get("page"), QUEUE_PAGE_SIZE
    )
    services.access_record_listing(cases=page.object_list, user=request.user)
    return render(
        request,
        "referrals/case_queue.html",
        {
            "form": form,
            "page": page,
            "cases": page.object_list,
            "summary": selectors.queue_summary(request.user),
        },
    )


@advisor_only
def case_open(request):
    """Open a case for someone who phoned or walked in; it lands on the advisor's desk."""
    form = CallerCaseForm(request.POST or None, initial={"token": uuid.uuid4()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case, created = services.caller_case_create(advisor=request.user, **data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            if created:
                messages.success(request, _("The case is open, and it is yours."))
            return redirect("referrals:case-detail", pk=case.pk)
    return render(request, "referrals/case_open.html", {"form": form})


def _case_page(request, case: Case, *, status: int = 200, reached_bound=None, **bound):
    """The case page, with any form the advisor just sent kept bound with its errors."""
    services.access_record(case=case, user=request.user, subject=AccessSubject.CASE)
    referrals = list(selectors.case_referrals(case))
    referred = {referral.partner_id for referral in referrals}
    # Partners the case was already referred to are not offered again.
    partners = (
        [p for p in selectors.partners_for_routing() if p.pk not in referred]
        if case.is_open
        else []
    )
    suggestions = selectors.routing_suggestions(case, partners) if partners else []
    suggested = {partner.pk for partner, _suggestion in suggestions}
    callback = selectors.open_callback(case)
    forms = {
        "callback_form": CallBackForm(
            prefix="callback", initial=CallBackForm.initial_for(callback.at) if callback else None
        ),
        "assign_form": AssignForm(advisors=selectors.advisors(), prefix="assign"),
        "contact_form": ContactAttemptForm(
            initial={"channel": case.preferred_channel}, prefix="contact"
        ),
        "note_form": NoteForm(prefix="note"),
        "referral_form": ReferralForm(partners=selectors.partners_to_refer(), prefix="refer"),
        "follow_up_form": FollowUpForm(
            initial={"follow_up_on": case.follow_up_on}, prefix="follow"
        ),
        "close_form": CloseForm(
            status=case.status,
            prefix="close",
            initial={"outcome": selectors.suggested_outcome(referrals)},
        ),
    }
    forms.update(bound)
    other_cases = list(other_cases_of_person(case)[:OTHER_CASES_SHOWN])
    services.access_record_listing(
        cases=other_cases, user=request.user, subject=AccessSubject.OTHER_CASE
    )
    referral_rows = [
        (
            referral,
            reached_bound
            if reached_bound is not None and reached_bound.prefix == f"reached-{referral.pk}"
            else ReachedForm(prefix=f"reached-{referral.pk}"),
        )
        for referral in referrals
    ]
    context = {
        "case": case,
        "callback": callback,
        "other_cases": other_cases,
        "oral_consent": selectors.oral_consent(referrals),
        "needs": list(case.needs.all()),
        "timeline": selectors.case_timeline(case),
        "referrals": referral_rows,
        "suggestions": suggestions,
        "other_partners": [partner for partner in partners if partner.pk not in suggested],
        "can_close": case.status in (CaseStatus.IN_PROGRESS, CaseStatus.ORIENTED),
        "holds_case": case.assigned_to_id == request.user.pk,
        **forms,
    }
    return render(request, "referrals/case_detail.html", context, status=status)


@advisor_only
def case_detail(request, pk: int):
    return _case_page(request, selectors.case_for_advisor(request.user, pk))


@advisor_only
def case_result(request, pk: int):
    """The attached self-assessment result: health data, read only here and logged."""
    case = selectors.case_for_advisor(request.user, pk)
    if case.assessment_result_id is None:
        raise Http404
    services.access_record(
        case=case,
        user=request.user,
        subject=AccessSubject.RESULT,
        result_id=case.assessment_result_id,
    )
    return render(
        request,
        "referrals/case_result.html",
        {"case": case, "result": case.assessment_result},
    )


def _refused(request, case: Case, error: ValidationError):
    messages.error(request, " ".join(error.messages))
    return redirect("referrals:case-detail", pk=case.pk)


def _done(request, case: Case, text: str):
    messages.success(request, text)
    return redirect("referrals:case-detail", pk=case.pk)


@require_POST
@advisor_only
def case_claim(request, pk: int):
    case = selectors.case_for_advisor(request.user, pk)
    try:
        services.case_claim(case_id=case.pk, advisor=request.user)
    except services.CaseActionRefused as error:
        return _refused(request, case, error)
    return _done(request, case, _("The case is yours."))


@require_POST
@advisor_only
def case_assign(request, pk: int):
    case = selectors.case_for_advisor(request.user, pk)
    form = AssignForm(request.POST, advisors=selectors.advisors(), prefix="assign")
    if not form.is_valid():
        return _case_page(request, case, status=400, assign_form=form)
    try:
        services.case_assign(
            case=case,
            assignee=form.cleaned_data["assignee"],
            actor=request.user,
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        return _refused(request, case, error)
    return _done(request, case, _("The case is assigned."))


@require_POST
@advisor_only
def case_contact(request, pk: int):
    case = selectors.case_for_advisor(request.user, pk)
    form = ContactAttemptForm(request.POST, prefix="contact")
    if not form.is_valid():
        return _case_page(request, case, status=400, contact_form=form)
    try:
        services.contact_attempt_record(case=case, actor=request.user, **form.cleaned_data)
    except ValidationError as error:
        return _refused(request, case, error)
    return _done(request, case, _("The contact attempt is on the timeline."))


@require_POST
@advisor_only
def case_note(request, pk: int):
    case = selectors.case_for_advisor(request.user, pk)
    form = NoteForm(request.POST, prefix="note")
    if not form.is_valid():
        return _case_page(request, case, status=400, note_form=form)
    try:
        services.note_add(case=case, actor=request.user, body=form.cleaned_data["body"])
    except ValidationError as error:
        return _refused(request, case, error)
    return _done(request, case, _("The note is on the timeline."))


@require_POST
@advisor_only
def case_refer(request, pk: int):
    case = selectors.case_for_advisor(request.user, pk)
    form = ReferralForm(request.POST, partners=selectors.partners_to_refer(), prefix="refer")
    if form.is_valid():
        try:
            services.referral_create(
                case=case,
                actor=request.user,
                partners=list(form.cleaned_data["partners"]),
                mode=form.cleaned_data["mode"],
                oral_consent=form.cleaned_data["oral_consent"],
                note=form.cleaned_data["note"],
            )
        except services.CaseActionRefused as error:
            return _refused(request, case, error)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            return _done(request, case, _("The referral is recorded."))
    return _case_page(request, case, status=400, referral_form=form)


@require_POST
@advisor_only
def referral_reached(request, pk: int, referral_pk: int):
    case = selectors.case_for_advisor(request.user, pk)
    referral = case.referrals.filter(pk=referral_pk).first()
    if referral is None:
        raise Http404
    form = ReachedForm(request.POST, prefix=f"reached-{referral.pk}")
    if not form.is_valid():
        return _case_page(request, case, status=400, reached_bound=form)
    try:
        services.referral_record_reached(
            referral=referral,
            actor=request.user,
            reached=form.cleaned_data["reached"],
            note=form.cleaned_data["note"],
            confirm_change=form.cleaned_data["confirm_change"],
        )
    except ValidationError as error:
        return _refused(request, case, error)
    return _done(request, case, _("The closed loop is recorded."))


@require_POST
@advisor_only
def referral_send(request, pk: int, referral_pk: int):
    """Send a warm handoff to the partner's referral address, with its signed link."""
    case = selectors.case_for_advisor(request.user, pk)
    referral = case.referrals.filter(pk=referral_pk).first()
    if referral is None:
        raise Http404
    try:
        services.referral_send_to_partner(referral=referral, actor=request.user)
    except ValidationError as error:
        return _refused(request, case, error)
    return _done(request, case, _("The referral is sent to the partner."))


@require_POST
@advisor_only
def case_follow_up(request, pk: int):
    case = selectors.case_for_advisor(request.user, pk)
    form = FollowUpForm(request.POST, prefix="follow")
    if form.is_valid():
        try:
            services.follow_up_set(
                case=case, actor=request.user, on=form.cleaned_data["follow_up_on"]
            )
        except services.CaseActionRefused as error:
            return _refused(request, case, error)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            return _done(request, case, _("The follow-up date is saved."))
    return _case_page(request, case, status=400, follow_up_form=form)


@require_POST
@advisor_only
def case_close(request, pk: int):
    case = selectors.case_for_advisor(request.user, pk)
    form = CloseForm(request.POST, status=case.status, prefix="close")
    if not form.is_valid():
        if case.status not in (CaseStatus.IN_PROGRESS, CaseStatus.ORIENTED):
            # No outcome fits this status: say why rather than show an empty list.
            try:
                services.check_transition(case.status, CaseStatus.CLOSED)
            except ValidationError as error:
                return _refused(request, case, error)
        return _case_page(request, case, status=400, close_form=form)
    try:
        services.case_close(case=case, actor=request.user, **form.cleaned_data)
    except ValidationError as error:
        return _refused(request, case, error)
    return _done(request, case, _("The case is closed."))


@advisor_only
def alert_settings(request):
    """Advisors turn the listening cell's e-mails off and back on (notifications stores it)."""
    subscribed = preference_enabled(request.user, STAFF_ALERTS)
    # An unticked box sends nothing: a POST is bound even when it is empty.
    form = AlertSettingsForm(
        request.POST if request.method == "POST" else None, initial={"staff_alerts": subscribed}
    )
    if request.method == "POST" and form.is_valid():
        wanted = form.cleaned_data["staff_alerts"]
        preference_set(user=request.user, category=STAFF_ALERTS, enabled=wanted)
        if wanted:
            messages.success(request, _("You will receive the listening cell's e-mails."))
        else:
            messages.success(request, _("You will no longer receive the listening cell's e-mails."))
        return redirect("referrals:alert-settings")
    return render(
        request,
        "referrals/alert_settings.html",
        {"form": form, "subscribed": subscribed, "digest_time": digest_time()},
    )
