"""On the day of a session: check people in from a phone, print the sign-in sheet."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from common.access import requires_permission
from members.roles import MANAGE_PROGRAMME

from .checkin_forms import CheckinMarkForm, CheckinSearchForm
from .models import Session
from .selectors.checkin import checkin_list
from .services.checkin import checkin_mark, checkin_refusal
from .signin_sheet import sheet_language, signin_sheet_pdf

manager_required = requires_permission(MANAGE_PROGRAMME)


def _session(pk: int) -> Session:
    return get_object_or_404(Session.objects.select_related("module"), pk=pk)


def _checkin_url(session: Session, query: str = "", anchor: str = "") -> str:
    url = reverse("programme:manage-session-checkin", args=[session.pk])
    if query:
        url += "?" + urlencode({"q": query})
    return url + (f"#{anchor}" if anchor else "")


@require_safe
@manager_required
def session_checkin(request, pk: int):
    """Confirmed people of the session, searchable by name, one tap each to check in."""
    session = _session(pk)
    search = CheckinSearchForm(request.GET or None)
    query = search.query()
    people = checkin_list(session, query)
    own_language = translation.get_language() or "fr"
    context = {
        "session": session,
        "search": search,
        "query": query,
        "list": people,
        "refusal": checkin_refusal(session),
        # A second sheet link in the manager's language, when the session's is another.
        "own_language": "" if own_language == sheet_language(session, None) else own_language,
    }
    return render(request, "programme/manage/session_checkin.html", context)


@require_POST
@manager_required
def session_checkin_mark(request, pk: int):
    """One tap: check a person in or undo it, then back to the same row of the list."""
    session = _session(pk)
    form = CheckinMarkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This person does not hold a seat in this session."))
        return redirect(_checkin_url(session))
    query = " ".join(form.cleaned_data["q"].split())
    present = form.cleaned_data["present"]
    try:
        enrolment, changed = checkin_mark(
            session_id=session.pk,
            enrolment_id=form.cleaned_data["enrolment"],
            present=present,
            actor=request.user,
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(_checkin_url(session, query))
    user = enrolment.user
    name = (user.get_full_name() or user.email) if user else _("Former member")
    if present:
        text = _("%(name)s is checked in.") if changed else _("%(name)s was already checked in.")
    else:
        text = _("The check-in of %(name)s is undone.")
    messages.success(request, text % {"name": name})
    return redirect(_checkin_url(session, query, anchor=f"person-{enrolment.pk}"))


@require_safe
@manager_required
def session_signin_sheet(request, pk: int):
    """The sign-in sheet as a PDF, in the session's language or the one asked for."""
    session = _session(pk)
    if session.is_cancelled:
        messages.error(request, _("This session is cancelled: there is no sign-in sheet."))
        return redirect("programme:manage-session", pk=session.pk)
    language = sheet_language(session, request.GET.get("language"))
    people = checkin_list(session).people
    pdf = signin_sheet_pdf(session=session, people=people, language=language)
    stamp = timezone.localtime(session.starts_at).strftime("%Y%m%d")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="sign-in-sheet-{session.pk}-{stamp}.pdf"'
    return response
