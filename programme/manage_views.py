"""Staff pages for programme managers: themes, modules, sessions, rosters, attendance."""

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.access import requires_permission
from common.csv_export import csv_response
from common.pagination import page_of
from members.roles import MANAGE_PROGRAMME

from . import exports, selectors, services
from .forms import (
    AttendanceForm,
    ModuleForm,
    SearchSynonymsForm,
    SessionCancelForm,
    SessionDuplicateForm,
    SessionForm,
    ThemeForm,
)
from .models import Attendance, Module, Session, Theme
from .search import synonyms_by_language
from .selectors.operations import released_roster, session_operations
from .versions_views import versions_panel

LIST_PAGE_SIZE = 25
# A title holds at most 160 characters: a longer query cannot match, so it is cut.
MODULE_QUERY_MAX = 160


manager_required = requires_permission(MANAGE_PROGRAMME)


def _apply_errors(form, error: ValidationError) -> None:
    """Show a service's refusal on the form, beside the field it concerns when it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- Themes --------------------------------------------------------------------


@manager_required
def theme_list(request):
    return render(
        request, "programme/manage/theme_list.html", {"themes": list(selectors.manager_themes())}
    )


@manager_required
def theme_edit(request, pk: int | None = None):
    theme = get_object_or_404(Theme, pk=pk) if pk else None
    form = ThemeForm(request.POST or None, instance=theme)
    if request.method == "POST" and form.is_valid():
        try:
            if theme is None:
                theme = services.theme_create(**form.cleaned_data)
            else:
                theme = services.theme_update(theme=theme, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The theme is saved."))
            return redirect("programme:manage-themes")
    return render(request, "programme/manage/theme_form.html", {"form": form, "theme": theme})


@manager_required
def search_synonyms(request):
    """The words the catalogue search treats as meaning the same, per language."""
    current = {language: s.groups for language, s in synonyms_by_language().items()}
    form = SearchSynonymsForm(request.POST or None, initial_groups=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.search_synonyms_update(groups_by_language=form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The search synonyms are saved."))
            return redirect("programme:manage-search-synonyms")
    return render(request, "programme/manage/search_synonyms.html", {"form": form})


@require_POST
@manager_required
def theme_publish(request, pk: int):
    theme = get_object_or_404(Theme, pk=pk)
    published = request.POST.get("published") == "1"
    services.theme_publish(theme=theme, published=published)
    messages.success(
        request, _("The theme is published.") if published else _("The theme is hidden.")
    )
    return redirect("programme:manage-themes")


# --- Modules -------------------------------------------------------------------


@manager_required
def module_list(request):
    query = " ".join(request.GET.get("q", "").split())[:MODULE_QUERY_MAX]
    page, _moved = page_of(
        selectors.manager_modules(query), request.GET.get("page"), LIST_PAGE_SIZE
    )
    return render(request, "programme/manage/module_list.html", {"page": page, "q": query})


@manager_required
def module_edit(request, pk: int | None = None):
    module = get_object_or_404(Module, pk=pk) if pk else None
    form = ModuleForm(request.POST or None, instance=module)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        themes = data.pop("themes")
        try:
            if module is None:
                module = services.module_create(themes=themes, actor=request.user, **data)
            else:
                module = services.module_update(module=module, themes=themes, **data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The module is saved."))
            return redirect("programme:manage-modules")
    context = {"form": form, "module": module, **versions_panel(module)}
    return render(request, "programme/manage/module_form.html", context)


@require_POST
@manager_required
def module_publish(request, pk: int):
    module = get_object_or_404(Module, pk=pk)
    published = request.POST.get("published") == "1"
    services.module_publish(module=module, published=published)
    messages.success(
        request, _("The module is published.") if published else _("The module is unpublished.")
    )
    return redirect("programme:manage-modules")


@require_POST
@manager_required
def module_duplicate(request, pk: int):
    module = get_object_or_404(Module, pk=pk)
    copy = services.module_duplicate(module=module, actor=request.user)
    messages.success(request, _("The copy is created, unpublished: adapt it, then publish it."))
    return redirect("programme:manage-module-edit", pk=copy.pk)


# --- Sessions ------------------------------------------------------------------


@manager_required
def session_list(request):
    when = "past" if request.GET.get("when") == "past" else "upcoming"
    page, _moved = page_of(
        selectors.manager_sessions(when=when), request.GET.get("page"), LIST_PAGE_SIZE
    )
    return render(request, "programme/manage/session_list.html", {"page": page, "when": when})


def _session_form_response(request, form, session):
    return render(request, "programme/manage/session_form.html", {"form": form, "session": session})


@manager_required
def session_create(request):
    initial = {}
    if request.GET.get("module", "").isdigit():
        initial["module"] = request.GET["module"]
    form = SessionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The session is created. Publish it when it is ready."))
            return redirect("programme:manage-session", pk=session.pk)
    return _session_form_response(request, form, None)


@manager_required
def session_edit(request, pk: int):
    session = get_object_or_404(Session.objects.select_related("module"), pk=pk)
    if session.is_cancelled:
        messages.error(request, _("A cancelled session can no longer be changed."))
        return redirect("programme:manage-session", pk=session.pk)
    form = SessionForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "module"}
        try:
            services.session_update(session_id=session.pk, actor=request.user, **data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The session is saved."))
            return redirect("programme:manage-session", pk=session.pk)
    return _session_form_response(request, form, session)


@require_POST
@manager_required
def session_publish(request, pk: int):
    session = get_object_or_404(Session, pk=pk)
    published = request.POST.get("published") == "1"
    try:
        services.session_publish(session_id=session.pk, published=published)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            _("The session is published.") if published else _("The session is unpublished."),
        )
    return redirect("programme:manage-session", pk=session.pk)


@manager_required
def session_duplicate(request, pk: int):
    session = get_object_or_404(Session.objects.select_related("module"), pk=pk)
    form = SessionDuplicateForm(request.POST or None, session=session)
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.session_duplicate(
                session=session, starts_at=form.cleaned_data["starts_at"], actor=request.user
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request, _("The copy is created, unpublished. Check it and publish it.")
            )
            return redirect("programme:manage-session-edit", pk=copy.pk)
    return render(
        request, "programme/manage/session_duplicate.html", {"form": form, "session": session}
    )


@manager_required
def session_cancel(request, pk: int):
    session = get_object_or_404(Session.objects.select_related("module"), pk=pk)
    if session.is_cancelled:
        messages.info(request, _("This session is already cancelled."))
        return redirect("programme:manage-session", pk=session.pk)
    form = SessionCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_cancel(
                session_id=session.pk, reason=form.cleaned_data["reason"], actor=request.user
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request, _("The session is cancelled and everyone enrolled is released.")
            )
            return redirect("programme:manage-session", pk=session.pk)
    return render(
        request, "programme/manage/session_cancel.html", {"form": form, "session": session}
    )


@manager_required
def session_roster(request, pk: int):
    """The session's participants, its waitlist, and attendance once it has begun."""
    session = get_object_or_404(Session.objects.select_related("module"), pk=pk)
    # A cancelled session keeps the people it had when it was cancelled.
    if session.is_cancelled:
        confirmed, waitlist = released_roster(session)
    else:
        confirmed, waitlist = selectors.session_roster(session)
    attendance_open = session.has_started and not session.is_cancelled
    form = AttendanceForm(request.POST or None, enrolments=confirmed)
    if request.method == "POST":
        if not attendance_open:
            messages.error(request, _("Attendance can be recorded once the session has started."))
            return redirect("programme:manage-session", pk=session.pk)
        if form.is_valid():
            marks = form.marks()
            if request.POST.get("bulk") == Attendance.ATTENDED:
                marks = {pk: value or Attendance.ATTENDED for pk, value in marks.items()}
            try:
                changed = services.attendance_mark(
                    session_id=session.pk, marks=marks, actor=request.user
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, _("Attendance saved (%(count)s changed).") % {"count": changed}
                )
                return redirect("programme:manage-session", pk=session.pk)
    context = {
        "session": session,
        "warnings": [] if session.is_cancelled else selectors.session_warnings(session),
        "confirmed": confirmed,
        "waitlist": waitlist,
        "form": form,
        "attendance_open": attendance_open,
        **session_operations(session),
    }
    return render(request, "programme/manage/session_roster.html", context)


@manager_required
@reauthentication_required  # participants' names and addresses leave the portal
def session_export(request, pk: int):
    session = get_object_or_404(Session.objects.select_related("module"), pk=pk)
    stamp = timezone.localtime(session.starts_at).strftime("%Y%m%d")
    if session.is_cancelled:
        header, rows = exports.released_table(*released_roster(session))
        return csv_response(f"session-{session.pk}-{stamp}-cancelled.csv", header, rows)
    confirmed, _waitlist = selectors.session_roster(session)
    header, rows = exports.attendees_table(confirmed)
    return csv_response(f"session-{session.pk}-{stamp}.csv", header, rows)
