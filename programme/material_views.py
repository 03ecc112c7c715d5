"""Session material: the managers' page to attach and remove it, and the one door through
which a file leaves the storage (never a public media address)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.access import requires_permission, signed_in
from members.roles import MANAGE_PROGRAMME

from .manage_views import _apply_errors
from .material_forms import MaterialForm
from .models import Session, SessionMaterial
from .selectors.material import manager_session_materials, materials_visible_to
from .services.material import material_attach, material_remove, material_visibility_set

manager_required = requires_permission(MANAGE_PROGRAMME)


@manager_required
def session_material(request, pk: int):
    session = get_object_or_404(Session.objects.select_related("module"), pk=pk)
    posted = request.method == "POST"
    form = MaterialForm(request.POST if posted else None, request.FILES if posted else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            material_attach(
                session_id=session.pk,
                kind=data["kind"],
                title=data["title"],
                url=data["url"],
                upload=data["file"] or None,
                visible_later=data["visible_later"],
                actor=request.user,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                _("The material is attached; participants and enrolees are told by e-mail."),
            )
            return redirect("programme:manage-session-material", pk=session.pk)
    context = {
        "session": session,
        "form": form,
        "materials": manager_session_materials(session),
        "can_attach": session.has_started and not session.is_cancelled,
    }
    return render(request, "programme/manage/session_material.html", context)


def _manager_material(pk: int) -> SessionMaterial:
    return get_object_or_404(SessionMaterial, pk=pk)


@require_POST
@manager_required
def material_visibility(request, pk: int):
    material = _manager_material(pk)
    visible = request.POST.get("visible_later") == "1"
    material_visibility_set(material_id=material.pk, visible_later=visible)
    messages.success(
        request,
        _("The material is now visible on the module page.")
        if visible
        else _("The material is now kept for the session's participants."),
    )
    return redirect("programme:manage-session-material", pk=material.session_id)


@require_POST
@manager_required
def material_delete(request, pk: int):
    material = _manager_material(pk)
    try:
        material_remove(material_id=material.pk)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The material is removed."))
    return redirect("programme:manage-session-material", pk=material.session_id)


@signed_in
def material_file(request, pk: int):
    """The file, to the people who may see it; anyone else gets the same 404 as for a
    file that does not exist, so an id says nothing."""
    material = get_object_or_404(materials_visible_to(request.user), pk=pk)
    if not material.file:
        raise Http404
    try:
        handle = material.file.open("rb")
    except OSError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=material.file_name or "material")
    response["Cache-Control"] = "private, no-store"
    return response
