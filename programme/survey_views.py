"""Survey pages: members answer from a signed link without logging in; managers read the
satisfaction statistics and run programme survey campaigns."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from . import survey_selectors as selectors
from . import survey_services as services
from .manage_views import LIST_PAGE_SIZE, _apply_errors, manager_required
from .models import CampaignStatus, Module, Session, SurveyCampaign
from .survey_forms import (
    CampaignForm,
    CampaignResponseForm,
    FeedbackForm,
    QuestionFormSet,
    question_specs,
)
from .survey_links import (
    BadSurveyLink,
    ExpiredSurveyLink,
    campaign_token_read,
    feedback_token_read,
)
from .views import page_of

# --- Members, from the link in their e-mail -------------------------------------------


def _link_problem(request, *, expired: bool = False, closed: bool = False):
    """A broken link is the sender's fault (400); an old or closed survey is gone (410)."""
    return render(
        request,
        "programme/survey_link_invalid.html",
        {"expired": expired, "closed": closed},
        status=410 if expired or closed else 400,
    )


def _already_answered(request):
    return render(request, "programme/survey_done.html", {"already": True})


@never_cache
@require_http_methods(["GET", "POST"])
def feedback(request, token: str):
    """The satisfaction survey of one enrolment; the signed token says which."""
    try:
        enrolment_id = feedback_token_read(token)
    except ExpiredSurveyLink:
        return _link_problem(request, expired=True)
    except BadSurveyLink:
        return _link_problem(request)
    try:
        enrolment = services.feedback_enrolment(enrolment_id)
    except services.AlreadyAnswered:
        return _already_answered(request)
    except services.SurveyClosed:
        return _link_problem(request, closed=True)
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_submit(enrolment_id=enrolment.pk, **form.cleaned_data)
        except services.AlreadyAnswered:
            return _already_answered(request)
        except services.SurveyClosed:
            return _link_problem(request, closed=True)
        return redirect("programme:survey-thanks")
    context = {"form": form, "session": enrolment.session, "module": enrolment.session.module}
    return render(request, "programme/feedback_form.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def campaign_respond(request, token: str):
    """A member's answer to a campaign; the signed token names the campaign and the member."""
    try:
        invitee = campaign_token_read(token)
    except ExpiredSurveyLink:
        return _link_problem(request, expired=True)
    except BadSurveyLink:
        return _link_problem(request)
    try:
        campaign = services.campaign_for_response(
            campaign_id=invitee.campaign_id, user_id=invitee.user_id
        )
    except services.AlreadyAnswered:
        return _already_answered(request)
    except services.SurveyClosed:
        return _link_problem(request, closed=True)
    form = CampaignResponseForm(request.POST or None, questions=campaign.questions.all())
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_response_submit(
                campaign_id=campaign.pk, user_id=invitee.user_id, answers=form.answers()
            )
        except services.AlreadyAnswered:
            return _already_answered(request)
        except services.SurveyClosed:
            return _link_problem(request, closed=True)
        return redirect("programme:survey-thanks")
    return render(
        request, "programme/campaign_response_form.html", {"form": form, "campaign": campaign}
    )


def survey_thanks(request):
    return render(request, "programme/survey_done.html", {"already": False})


# --- Managers: satisfaction statistics -------------------------------------------------


@manager_required
def feedback_list(request):
    page, _moved = page_of(
        selectors.modules_with_feedback(), request.GET.get("page"), LIST_PAGE_SIZE
    )
    modules = selectors.with_summaries(page.object_list)
    context = {"page": page, "modules": modules, "small_cell": selectors.SMALL_CELL}
    return render(request, "programme/manage/feedback_list.html", context)


def _feedback_page(request, *, module: Module, session: Session | None, feedback):
    summary = selectors.feedback_summary(feedback)
    comments = None
    if summary.shown:
        comments, _moved = page_of(
            selectors.feedback_comments(feedback),
            request.GET.get("page"),
            selectors.COMMENTS_PER_PAGE,
        )
    context = {
        "module": module,
        "session": session,
        "summary": summary,
        "sessions": selectors.module_feedback_sessions(module) if session is None else [],
        "comments": comments,
        "small_cell": selectors.SMALL_CELL,
    }
    return render(request, "programme/manage/feedback_detail.html", context)


@manager_required
def feedback_module(request, pk: int):
    module = get_object_or_404(Module, pk=pk)
    return _feedback_page(
        request, module=module, session=None, feedback=selectors.module_feedback(module)
    )


@manager_required
def feedback_session(request, pk: int):
    session = get_object_or_404(Session.objects.select_related("module"), pk=pk)
    return _feedback_page(
        request,
        module=session.module,
        session=session,
        feedback=selectors.session_feedback(session),
    )


# --- Managers: survey campaigns ------------------------------------------------------------


@manager_required
def campaign_list(request):
    page, _moved = page_of(selectors.manager_campaigns(), request.GET.get("page"), LIST_PAGE_SIZE)
    selectors.audience_labels(page.object_list)
    return render(request, "programme/manage/campaign_list.html", {"page": page})


@manager_required
def campaign_edit(request, pk: int | None = None):
    campaign = get_object_or_404(SurveyCampaign, pk=pk) if pk else None
    if campaign is not None and not campaign.is_editable:
        messages.error(
            request, _("This campaign is going or has gone out: it can no longer be changed.")
        )
        return redirect("programme:manage-campaign", pk=campaign.pk)
    questions = (
        [{"text": q.text, "kind": q.kind} for q in campaign.questions.all()] if campaign else []
    )
    form = CampaignForm(request.POST or None, campaign=campaign)
    # Bound, the formset must not get the initial questions: unchanged rows would count
    # as empty extra forms and be dropped.
    if request.method == "POST":
        formset = QuestionFormSet(request.POST, prefix="questions")
    else:
        formset = QuestionFormSet(initial=questions, prefix="questions")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        fields = {
            "title": data["title"],
            "intro": data["intro"],
            "audience": data["audience"],
            "audience_value": data["audience_value"],
            "send_at": data["send_at"],
            "questions": question_specs(formset),
            "schedule": request.POST.get("action") == "schedule",
        }
        try:
            if campaign is None:
                campaign = services.campaign_create(actor=request.user, **fields)
            else:
                campaign = services.campaign_update(campaign_id=campaign.pk, **fields)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            if campaign.status == CampaignStatus.SCHEDULED:
                messages.success(
                    request, _("The campaign is scheduled: it goes out at its send time.")
                )
            else:
                messages.success(request, _("The campaign is saved as a draft."))
            return redirect("programme:manage-campaign", pk=campaign.pk)
    context = {"form": form, "formset": formset, "campaign": campaign}
    return render(request, "programme/manage/campaign_form.html", context)


@manager_required
def campaign_detail(request, pk: int):
    campaign = get_object_or_404(selectors.manager_campaigns().prefetch_related("questions"), pk=pk)
    selectors.audience_labels([campaign])
    shown = campaign.response_count >= selectors.SMALL_CELL
    context = {
        "campaign": campaign,
        "questions": list(campaign.questions.all()),
        # Until it has gone out, the reach is today's; afterwards, invited_count says it.
        "audience_size": (
            selectors.audience_size(campaign.audience, campaign.audience_value)
            if campaign.status in (CampaignStatus.DRAFT, CampaignStatus.SCHEDULED)
            else None
        ),
        "results": selectors.campaign_results(campaign) if shown else None,
        "small_cell": selectors.SMALL_CELL,
    }
    return render(request, "programme/manage/campaign_detail.html", context)


@require_POST
@manager_required
def campaign_withdraw(request, pk: int):
    campaign = get_object_or_404(SurveyCampaign, pk=pk)
    try:
        services.campaign_withdraw(campaign_id=campaign.pk)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request, _("The campaign is withdrawn: invitations not sent yet are cancelled.")
        )
    return redirect("programme:manage-campaign", pk=campaign.pk)
