"""Feedback at any time: the short form behind the footer's link (members and visitors,
no account needed), and the managers' queue where each note is triaged and answered."""

import logging

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from common.access import public
from common.pagination import page_of
from common.ratelimit import over_limit
from programme.manage_views import LIST_PAGE_SIZE, _apply_errors, manager_required

from . import feedback_selectors as selectors
from . import feedback_services as services
from .forms import (
    FEEDBACK_HONEYPOT,
    FeedbackDuplicateForm,
    FeedbackFilterForm,
    FeedbackItemForm,
    FeedbackReplyForm,
    FeedbackStatusForm,
    FeedbackThemesForm,
)

logger = logging.getLogger(__name__)

# The thank-you page says whether a reply will come; the session remembers that alone.
SESSION_KEY = "surveys_feedback_reply"


def _int_or_none(raw) -> int | None:
    try:
        return int(raw) if raw not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _limited(request):
    return render(request, "surveys/idea_limited.html", status=429)


@public
@never_cache
@require_http_methods(["GET", "POST"])
def idea_new(request):
    source = request.POST if request.method == "POST" else request.GET
    module, session = selectors.feedback_about(
        module_id=_int_or_none(source.get("module")),
        session_id=_int_or_none(source.get("session")),
    )
    member = request.user.is_authenticated
    initial = {
        "module": module.pk if module else None,
        "session": session.pk if session else None,
        "page": services.clean_page_path(request.GET.get("from", "")),
    }
    form = FeedbackItemForm(request.POST or None, initial=initial, member=member)
    if request.method == "POST":
        if over_limit(
            request,
            group="surveys.feedback.ip",
            key="ip",
            rate=settings.SURVEYS_FEEDBACK_LIMIT_PER_IP,
        ):
            return _limited(request)
        if request.POST.get(FEEDBACK_HONEYPOT):
            logger.info("Feedback refused: the honeypot field was filled in.")
            return _limited(request)
        if form.is_valid():
            data = form.cleaned_data
            try:
                item = services.feedback_submit(
                    kind=data["kind"],
                    text=data["text"],
                    language=(get_language() or settings.LANGUAGE_CODE)[:2],
                    author=request.user if member and data.get("identify") else None,
                    reply_email=data["reply_email"],
                    module_id=module.pk if module else None,
                    session_id=session.pk if session else None,
                    page_path=data["page"],
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                request.session[SESSION_KEY] = bool(item.reply_email)
                return redirect("surveys:idea-thanks")
    context = {"form": form, "module": module, "session": session}
    return render(request, "surveys/idea_form.html", context)


@public
def idea_thanks(request):
    if SESSION_KEY not in request.session:
        return redirect("surveys:idea-new")
    return render(
        request,
        "surveys/idea_thanks.html",
        {
            "reply_expected": request.session[SESSION_KEY],
            "retention_days": settings.SURVEYS_FEEDBACK_EMAIL_DAYS,
        },
    )


# --- Managers: the queue -----------------------------------------------------------------


@manager_required
def manage_ideas(request):
    filters = FeedbackFilterForm(request.GET or None)
    wanted = filters.cleaned_data if filters.is_valid() else {}
    items = selectors.feedback_queue(
        status=wanted.get("status", ""), kind=wanted.get("kind", ""), theme=wanted.get("theme")
    )
    page, _moved = page_of(items, request.GET.get("page"), LIST_PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filters": filters, "page": page, "query": query.urlencode()}
    return render(request, "surveys/manage/idea_list.html", context)


def _set_status(request, item, data):
    services.feedback_set_status(item_id=item.pk, actor=request.user, **data)
    return _("The status is saved.")


def _set_themes(request, item, data):
    services.feedback_set_themes(
        item_id=item.pk, theme_ids=[t.pk for t in data["themes"]], actor=request.user
    )
    return _("The themes are saved.")


def _mark_duplicate(request, item, data):
    services.feedback_mark_duplicate(
        item_id=item.pk, original_id=data["duplicate_of"], actor=request.user
    )
    return _("The merge is saved.")


def _reply(request, item, data):
    services.feedback_reply(item_id=item.pk, actor=request.user, text=data["reply_text"])
    return _("The reply is on its way.")


# One form and one service per action the item page offers.
ACTIONS = {
    "status": (FeedbackStatusForm, _set_status),
    "themes": (FeedbackThemesForm, _set_themes),
    "duplicate": (FeedbackDuplicateForm, _mark_duplicate),
    "reply": (FeedbackReplyForm, _reply),
}


@manager_required
@require_http_methods(["GET", "POST"])
def manage_idea(request, pk: int):
    item = selectors.feedback_item(pk)
    if item is None:
        raise Http404
    forms = {
        "status": FeedbackStatusForm(
            initial={"status": item.status, "public_reason": item.public_reason}
        ),
        "themes": FeedbackThemesForm(initial={"themes": list(item.themes.all())}),
        "duplicate": FeedbackDuplicateForm(initial={"duplicate_of": item.duplicate_of_id}),
        "reply": FeedbackReplyForm(),
    }
    action = request.POST.get("action", "")
    if request.method == "POST" and action == "resend":
        services.feedback_resend(item_id=item.pk)
        messages.success(request, _("The reply is handed over again."))
        return redirect("surveys:manage-idea", pk=item.pk)
    if request.method == "POST" and action in ACTIONS:
        form_class, run = ACTIONS[action]
        form = form_class(request.POST)
        if form.is_valid():
            try:
                done = run(request, item, form.cleaned_data)
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, done)
                return redirect("surveys:manage-idea", pk=item.pk)
        forms[action] = form
    context = {
        "item": item,
        "forms": forms,
        "duplicates": selectors.feedback_duplicates(item),
        "candidates": selectors.feedback_duplicate_candidates(item),
        "events": selectors.feedback_events(item),
    }
    return render(request, "surveys/manage/idea_detail.html", context)
