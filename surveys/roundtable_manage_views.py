"""Managers' pages for the programme's round tables: each with its participants counted,
a summary and its decisions, and each decision's public change ("you said, we did")."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from common.pagination import page_of
from programme.manage_views import LIST_PAGE_SIZE, _apply_errors, manager_required

from . import roundtable_selectors as selectors
from . import roundtable_services as services
from .models import Decision, RoundTable
from .roundtable_forms import ChangeForm, DecisionForm, RoundTableForm


@manager_required
def round_table_list(request):
    page, _moved = page_of(
        selectors.manager_round_tables(), request.GET.get("page"), LIST_PAGE_SIZE
    )
    return render(request, "surveys/manage/roundtable_list.html", {"page": page})


def _round_table_or_404(pk: int) -> RoundTable:
    found = selectors.round_table(pk)
    if found is None:
        raise Http404
    return found


@manager_required
@require_http_methods(["GET", "POST"])
def round_table_edit(request, pk: int | None = None):
    current = _round_table_or_404(pk) if pk else None
    initial = {}
    if current is not None:
        initial = {
            "title": current.title,
            "held_on": current.held_on,
            "session": current.session_id,
            "member_count": current.member_count,
            "partner_count": current.partner_count,
            "summary": current.summary,
        }
    form = RoundTableForm(
        request.POST or None,
        initial=initial,
        current_session_id=current.session_id if current else None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.round_table_save(
                round_table_id=current.pk if current else None,
                actor=request.user,
                title=data["title"],
                held_on=data["held_on"],
                session_id=data["session"].pk if data["session"] else None,
                member_count=data["member_count"],
                partner_count=data["partner_count"],
                summary=data["summary"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The round table is saved."))
            return redirect("surveys:manage-round-table", pk=saved.pk)
    context = {"form": form, "round_table": current}
    return render(request, "surveys/manage/roundtable_form.html", context)


@manager_required
def round_table_detail(request, pk: int):
    found = _round_table_or_404(pk)
    context = {"round_table": found, "decisions": selectors.round_table_decisions(found)}
    return render(request, "surveys/manage/roundtable_detail.html", context)


@manager_required
@require_http_methods(["GET", "POST"])
def round_table_delete(request, pk: int):
    """Ask before deleting; a round table with a change on the public page is refused."""
    found = _round_table_or_404(pk)
    if request.method == "POST":
        try:
            services.round_table_delete(round_table_id=found.pk, actor=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect("surveys:manage-round-table", pk=found.pk)
        messages.success(
            request, _("The round table “%(title)s” is deleted.") % {"title": found.title}
        )
        return redirect("surveys:manage-round-tables")
    decisions = selectors.round_table_decisions(found)
    context = {
        "round_table": found,
        "decisions": decisions,
        "published": [decision for decision in decisions if decision.is_published],
    }
    return render(request, "surveys/manage/roundtable_delete.html", context)


def _item_numbers(decision: Decision) -> str:
    return ", ".join(f"#{item.pk}" for item in decision.feedback_items.all())


@manager_required
@require_http_methods(["GET", "POST"])
def decision_edit(request, round_table_pk: int, pk: int | None = None):
    """A decision of a round table (new, or an existing one) and, once it exists, its
    public change: done or not, its texts, published or not."""
    found = _round_table_or_404(round_table_pk)
    decision = None
    if pk is not None:
        decision = selectors.decision(pk)
        if decision is None or decision.round_table_id != found.pk:
            raise Http404
    decision_form = DecisionForm(
        initial=(
            {
                "text": decision.text,
                "feedback_items": _item_numbers(decision),
                "campaign": decision.campaign_id,
            }
            if decision
            else {}
        )
    )
    change_form = None
    if decision is not None:
        change_form = ChangeForm(
            initial={
                "status": decision.status,
                "done_on": decision.done_on,
                "public_text_fr": decision.public_text_fr,
                "public_text_nl": decision.public_text_nl,
                "public_text_en": decision.public_text_en,
                "publish": decision.is_published,
            }
        )
    action = request.POST.get("action", "")
    if request.method == "POST" and action == "decision":
        decision_form = DecisionForm(request.POST)
        if decision_form.is_valid():
            data = decision_form.cleaned_data
            try:
                saved = services.decision_save(
                    round_table_id=found.pk,
                    decision_id=decision.pk if decision else None,
                    actor=request.user,
                    text=data["text"],
                    feedback_item_ids=data["feedback_items"],
                    campaign_id=data["campaign"].pk if data["campaign"] else None,
                )
            except ValidationError as error:
                _apply_errors(decision_form, error)
            else:
                messages.success(request, _("The decision is saved."))
                return redirect("surveys:manage-decision", round_table_pk=found.pk, pk=saved.pk)
    elif request.method == "POST" and action == "change" and decision is not None:
        change_form = ChangeForm(request.POST)
        if change_form.is_valid():
            try:
                saved = services.change_update(
                    decision_id=decision.pk, actor=request.user, **change_form.cleaned_data
                )
            except ValidationError as error:
                _apply_errors(change_form, error)
            else:
                messages.success(
                    request,
                    _("The change is published.")
                    if saved.is_published
                    else _("The change is saved; it is not on the public page."),
                )
                return redirect("surveys:manage-decision", round_table_pk=found.pk, pk=decision.pk)
    elif request.method == "POST":
        messages.error(request, _("This action is not known; nothing was changed."))
        return redirect("surveys:manage-round-table", pk=found.pk)
    context = {
        "round_table": found,
        "decision": decision,
        "decision_form": decision_form,
        "change_form": change_form,
    }
    return render(request, "surveys/manage/decision_form.html", context)
