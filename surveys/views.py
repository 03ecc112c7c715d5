"""Survey pages: members answer from a signed link without logging in; managers read the
satisfaction statistics and run programme survey campaigns."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from common.access import public
from common.belgium import Language
from common.csv_export import csv_response
from common.pagination import page_of
from common.small_counts import SMALL_CELL, enough
from programme.manage_views import LIST_PAGE_SIZE, _apply_errors, manager_required
from programme.models import Module, Session

from . import campaign_selectors, selectors, services
from .forms import (
    CampaignForm,
    CampaignResponseForm,
    FeedbackForm,
    QuestionFormSet,
    question_initial,
    question_specs,
)
from .links import (
    BadSurveyLink,
    ExpiredSurveyLink,
    campaign_token_read,
    feedback_token_read,
)
from .models import CampaignStatus, SurveyCampaign

# --- Members, from the link in their e-mail -------------------------------------------


def _link_problem(request, *, expired: bool = False, closed: bool = False):
    """A broken link is the sender's fault (400); an old or closed survey is gone (410)."""
    return render(
        request,
        "surveys/survey_link_invalid.html",
        {"expired": expired, "closed": closed},
        status=410 if expired or closed else 400,
    )


def _already_answered(request):
    return render(request, "surveys/survey_done.html", {"already": True})


@public
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
        return redirect("surveys:survey-thanks")
    context = {"form": form, "session": enrolment.session, "module": enrolment.session.module}
    return render(request, "surveys/feedback_form.html", context)


@public
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
    # Their own language's version, whatever the page's: the one their e-mail was in.
    language = campaign.version_language(services.member_language(invitee.user_id))
    form = CampaignResponseForm(
        request.POST or None, questions=campaign.questions.all(), language=language
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_response_submit(
                campaign_id=campaign.pk,
                user_id=invitee.user_id,
                answers=form.answers(),
                language=language,
            )
        except services.AlreadyAnswered:
            return _already_answered(request)
        except services.SurveyClosed:
            return _link_problem(request, closed=True)
        return redirect("surveys:survey-thanks")
    context = {
        "form": form,
        "campaign": campaign,
        "language": language,
        "title": campaign.title_in(language),
        "intro": campaign.intro_in(language),
    }
    return render(request, "surveys/campaign_response_form.html", context)


@public
def survey_thanks(request):
    return render(request, "surveys/survey_done.html", {"already": False})


# --- Managers: satisfaction statistics -------------------------------------------------


@manager_required
def feedback_list(request):
    page, _moved = page_of(
        selectors.modules_with_feedback(), request.GET.get("page"), LIST_PAGE_SIZE
    )
    modules = selectors.with_summaries(page.object_list)
    context = {"page": page, "modules": modules, "small_cell": SMALL_CELL}
    return render(request, "surveys/manage/feedback_list.html", context)


def _feedback_page(request, *, module: Module, session: Session | None, feedback):
    summary = selectors.feedback_summary(feedback)
    summary.invited = selectors.survey_invited_count(module=module, session=session)
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
        "small_cell": SMALL_CELL,
    }
    return render(request, "surveys/manage/feedback_detail.html", context)


@manager_required
def feedback_module(request, pk: int):
    module = get_object_or_404(Module, pk=pk)
    return _feedback_page(
        request, module=module, session=None, feedback=selectors.module_feedback(module)
    )


@manager_required
def feedback_module_csv(request, pk: int):
    """The module's satisfaction answers, one row each, without who or when; refused below
    the small-count floor."""
    module = get_object_or_404(Module, pk=pk)
    feedback = selectors.module_feedback(module)
    count = feedback.count()
    if not enough(count):
        messages.error(request, _not_enough_for_csv(count))
        return redirect("surveys:manage-feedback-module", pk=module.pk)
    header, rows = selectors.feedback_answer_table(feedback)
    return csv_response(f"satisfaction-module-{module.pk}.csv", header, rows)


def _not_enough_for_csv(count: int) -> str:
    return ngettext(
        "No file yet: %(count)s answer so far. Answers can be downloaded from %(minimum)s "
        "answers on, so that nobody can be recognised.",
        "No file yet: %(count)s answers so far. Answers can be downloaded from %(minimum)s "
        "answers on, so that nobody can be recognised.",
        count,
    ) % {"count": count, "minimum": SMALL_CELL}


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
    page, _moved = page_of(
        campaign_selectors.manager_campaigns(), request.GET.get("page"), LIST_PAGE_SIZE
    )
    selectors.audience_labels(page.object_list)
    return render(request, "surveys/manage/campaign_list.html", {"page": page})


@manager_required
def campaign_edit(request, pk: int | None = None):
    campaign = get_object_or_404(SurveyCampaign, pk=pk) if pk else None
    if campaign is not None and not campaign.is_editable:
        messages.error(
            request, _("This campaign is going or has gone out: it can no longer be changed.")
        )
        return redirect("surveys:manage-campaign", pk=campaign.pk)
    questions = [question_initial(q) for q in campaign.questions.all()] if campaign else []
    form = CampaignForm(request.POST or None, campaign=campaign)
    # Bound, the formset must not get the initial questions: unchanged rows would count
    # as empty extra forms and be dropped.
    if request.method == "POST":
        formset = QuestionFormSet(request.POST, prefix="questions")
    else:
        formset = QuestionFormSet(initial=questions, prefix="questions")
    action = request.POST.get("action")
    audience_size = None
    if request.method == "POST" and action == "reach":
        # "Check the reach": count the audience chosen in the form, save nothing.
        if form.is_valid():
            audience_size = selectors.audience_size(
                form.cleaned_data["audience"], form.cleaned_data["audience_value"]
            )
    elif campaign is not None and request.method == "GET":
        audience_size = selectors.audience_size(campaign.audience, campaign.audience_value)
    if request.method == "POST" and action != "reach" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        fields = {
            "language": data["base_language"],
            "versions": form.versions(),
            "title": data["title"],
            "intro": data["intro"],
            "audience": data["audience"],
            "audience_value": data["audience_value"],
            "send_at": data["send_at"],
            "questions": question_specs(formset),
            "schedule": action == "schedule",
        }
        try:
            if campaign is None:
                campaign = services.campaign_create(actor=request.user, **fields)
            else:
                campaign = services.campaign_update(campaign_id=campaign.pk, **fields)
        except ValidationError as error:
            if "audience" in getattr(error, "error_dict", {}):
                # Refused for its audience: show the reach and why it is 0 beside it.
                audience_size = selectors.audience_size(
                    fields["audience"], fields["audience_value"]
                )
            _apply_errors(form, error)
        else:
            if campaign.status == CampaignStatus.SCHEDULED:
                messages.success(
                    request, _("The campaign is scheduled: it goes out at its send time.")
                )
            else:
                messages.success(request, _("The campaign is saved as a draft."))
            return redirect("surveys:manage-campaign", pk=campaign.pk)
    context = {
        "form": form,
        "formset": formset,
        "campaign": campaign,
        "audience_size": audience_size,
    }
    return render(request, "surveys/manage/campaign_form.html", context)


@manager_required
def campaign_detail(request, pk: int):
    # Typed here: get_object_or_404 drops the queryset's annotations (django-stubs).
    campaign: campaign_selectors.AnnotatedCampaign = get_object_or_404(
        campaign_selectors.manager_campaigns().prefetch_related("questions"), pk=pk
    )
    selectors.audience_labels([campaign])
    shown = enough(campaign.response_count)
    context = {
        "campaign": campaign,
        "questions": list(campaign.questions.all()),
        # Until it has gone out, the reach is today's; afterwards, invited_count says it.
        "audience_size": (
            selectors.audience_size(campaign.audience, campaign.audience_value)
            if campaign.status in (CampaignStatus.DRAFT, CampaignStatus.SCHEDULED)
            else None
        ),
        "results": campaign_selectors.campaign_results(campaign) if shown else None,
        "small_cell": SMALL_CELL,
        "versions": [
            (code, name, campaign.translations[code])
            for code, name in Language.choices
            if code in (campaign.translations or {})
        ],
        "reminder_days": settings.SURVEYS_CAMPAIGN_REMINDER_DAYS,
    }
    return render(request, "surveys/manage/campaign_detail.html", context)


@manager_required
def campaign_csv(request, pk: int):
    """The campaign's answers, one row per response, without who or when; refused below
    the small-count floor."""
    campaign: campaign_selectors.AnnotatedCampaign = get_object_or_404(
        campaign_selectors.manager_campaigns().prefetch_related("questions"), pk=pk
    )
    if not enough(campaign.response_count):
        messages.error(request, _not_enough_for_csv(campaign.response_count))
        return redirect("surveys:manage-campaign", pk=campaign.pk)
    header, rows = campaign_selectors.campaign_answer_table(campaign)
    return csv_response(f"campaign-{campaign.pk}-answers.csv", header, rows)


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
    return redirect("surveys:manage-campaign", pk=campaign.pk)
