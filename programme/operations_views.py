"""Managers' pages for a session's people as a whole: move a cancelled session's people
to another date of the module, and write to a session's people."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common.access import requires_permission
from members.roles import MANAGE_PROGRAMME

from .models import Session
from .operations_forms import MoveForm, SessionMessageForm
from .selectors.operations import message_audience, move_plan, why_nobody
from .services.operations import session_message_send, session_people_move

manager_required = requires_permission(MANAGE_PROGRAMME)


def _session(pk: int) -> Session:
    return get_object_or_404(Session.objects.select_related("module"), pk=pk)


def _moved_message(move) -> str:
    text = ngettext(
        "%(count)s person moved: %(seats)s with a seat, %(waiting)s on the waitlist.",
        "%(count)s people moved: %(seats)s with a seat, %(waiting)s on the waitlist.",
        move.moved,
    ) % {"count": move.moved, "seats": move.confirmed, "waiting": move.waitlisted}
    if move.skipped:
        text += " " + ngettext(
            "%(count)s person was already enrolled there and stays as they were.",
            "%(count)s people were already enrolled there and stay as they were.",
            move.skipped,
        ) % {"count": move.skipped}
    return text + " " + _("Each person moved is told by e-mail.")


@manager_required
def session_move(request, pk: int):
    """Choose the new session (GET), see who gets a seat and who waits, then confirm (POST)."""
    source = _session(pk)
    if not source.is_cancelled:
        messages.error(request, _("Only the people of a cancelled session can be moved."))
        return redirect("programme:manage-session", pk=source.pk)
    data = (
        request.POST
        if request.method == "POST"
        else (request.GET if "target" in request.GET else None)
    )
    form = MoveForm(data, source=source)
    plan = None
    if form.is_bound and form.is_valid():
        assert form.chosen is not None
        if request.method == "POST":
            try:
                move = session_people_move(
                    session_id=source.pk, target_id=form.chosen.pk, actor=request.user
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if move is None:
                    messages.info(
                        request, _("Nobody was left to move: everyone has been moved already.")
                    )
                    return redirect("programme:manage-session", pk=source.pk)
                messages.success(request, _moved_message(move))
                return redirect("programme:manage-session", pk=move.to_session_id)
        else:
            plan = move_plan(source, form.chosen)
    context = {"session": source, "form": form, "plan": plan, "target": form.chosen}
    return render(request, "programme/manage/session_move.html", context)


@manager_required
def session_message(request, pk: int):
    """Write to the session's people: the form, then a preview with the number of
    recipients (or why there are none), then send."""
    session = _session(pk)
    audience = message_audience(session)
    form = SessionMessageForm(request.POST or None, audience=audience)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = {"to_confirmed": data["to_confirmed"], "to_waitlisted": data["to_waitlisted"]}
        if request.POST.get("confirm") == "1":
            try:
                message, created = session_message_send(
                    session_id=session.pk,
                    subject=data["subject"],
                    body=data["body"],
                    token=data["token"],
                    actor=request.user,
                    **chosen,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if created:
                    messages.success(
                        request,
                        ngettext(
                            "Your message is on its way to %(count)s person.",
                            "Your message is on its way to %(count)s people.",
                            message.recipient_count,
                        )
                        % {"count": message.recipient_count},
                    )
                else:
                    messages.info(request, _("This message was already sent."))
                return redirect("programme:manage-session", pk=session.pk)
        else:
            count = audience.count(**chosen)
            preview = {
                "count": count,
                "reason": "" if count else why_nobody(session, audience, **chosen),
                **data,
            }
    context = {"session": session, "form": form, "preview": preview, "audience": audience}
    return render(request, "programme/manage/session_message.html", context)
