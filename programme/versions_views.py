"""The managers' panel on a module's edit page: link and unlink its language versions."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.access import requires_permission
from members.roles import MANAGE_PROGRAMME

from .models import Module
from .services.versions import module_version_link, module_version_unlink
from .versions_forms import VersionLinkForm

manager_required = requires_permission(MANAGE_PROGRAMME)


def versions_panel(module: Module | None) -> dict[str, Any]:
    """What the module's edit page shows of its versions (nothing for a new module)."""
    if module is None or module.pk is None:
        return {}
    versions = (
        list(
            Module.objects.filter(version_group_id=module.version_group_id)
            .exclude(pk=module.pk)
            .order_by("language", "pk")
        )
        if module.version_group_id
        else []
    )
    return {"versions": versions, "link_form": VersionLinkForm(module=module)}


@require_POST
@manager_required
def module_versions(request, pk: int):
    module = get_object_or_404(Module, pk=pk)
    back = redirect(reverse("programme:manage-module-edit", args=[module.pk]) + "#versions")
    unlink = request.POST.get("unlink", "")
    if unlink:
        target = (
            Module.objects.filter(pk=int(unlink), version_group_id=module.version_group_id).first()
            if unlink.isdigit() and module.version_group_id
            else None
        )
        if target is None:
            messages.error(request, _("This module is not one of the linked versions."))
            return back
        try:
            module_version_unlink(module=target, actor=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request,
                _("“%(title)s” is no longer linked to the other versions.")
                % {"title": target.title},
            )
        return back
    form = VersionLinkForm(request.POST, module=module)
    if not form.is_valid():
        messages.error(request, str(form.errors["other"][0]))
        return back
    other = form.cleaned_data["other"]
    try:
        module_version_link(module=module, other=other, actor=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            _("“%(title)s” is now linked: each page offers the other language.")
            % {"title": other.title},
        )
    return back
