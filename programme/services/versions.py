"""Language versions: managers link the modules that are one content in several languages.

A change of a module's group is a change of the module, kept in its edit history
(common.history) with the manager as its author. A group keeps at least two modules: the
last one left on its own leaves it too, and the empty group goes.

Every change locks the module rows it reads, always in the order of their keys, so two
managers linking at once queue up instead of deadlocking; the unique constraint on
(version_group, language) is the last line of defence.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from members.models import User

from ..models import Module, ModuleVersionGroup


class VersionLinkRefused(ValidationError):
    """The modules cannot be linked (or unlinked) that way; the message says why."""


def _set_group(module: Module, group: ModuleVersionGroup | None, actor: User | None) -> None:
    module.version_group = group
    if actor is not None:
        # The history row's author, also outside a request (the demo, a shell).
        module._history_user = actor  # type: ignore[attr-defined]
    module.save(update_fields=["version_group", "updated_at"])


def _locked(condition: Q) -> dict[int, Module]:
    rows = Module.objects.select_for_update().filter(condition).order_by("pk")
    return {module.pk: module for module in rows}


@transaction.atomic
def module_version_link(*, module: Module, other: Module, actor: User | None = None) -> Module:
    """Link `other` as a version of `module` in another language; returns `module`.

    Either may already have versions (the other one then joins them); two modules that
    each have versions of their own are not merged: the manager unlinks one first.
    """
    if other.pk == module.pk:
        raise VersionLinkRefused(_("A module cannot be a version of itself."), code="itself")
    rows = _locked(Q(pk__in=[module.pk, other.pk]))
    if len(rows) != 2:
        raise VersionLinkRefused(_("This module no longer exists."), code="unknown")
    module, other = rows[module.pk], rows[other.pk]
    if module.language == other.language:
        raise VersionLinkRefused(
            _("Both modules are in the same language (%(language)s): pick one in another language.")
            % {"language": module.get_language_display()},
            code="same_language",
        )
    if module.version_group_id is not None and module.version_group_id == other.version_group_id:
        raise VersionLinkRefused(_("These two modules are already linked."), code="already_linked")
    if module.version_group_id is not None and other.version_group_id is not None:
        raise VersionLinkRefused(
            _(
                "“%(title)s” is already linked to other versions: unlink it there first, "
                "then link it here."
            )
            % {"title": other.title},
            code="other_group",
        )
    if module.version_group_id is None and other.version_group_id is None:
        group = ModuleVersionGroup.objects.create()
        _set_group(module, group, actor)
        _set_group(other, group, actor)
        return module

    joining = other if module.version_group_id is not None else module
    group_id = module.version_group_id or other.version_group_id
    assert group_id is not None  # one of them has versions: checked above
    group = ModuleVersionGroup.objects.select_for_update().get(pk=group_id)
    taken = (
        Module.objects.filter(version_group=group, language=joining.language)
        .exclude(pk=joining.pk)
        .first()
    )
    if taken is not None:
        raise VersionLinkRefused(
            _("“%(title)s” is already the version in that language (%(language)s).")
            % {"title": taken.title, "language": taken.get_language_display()},
            code="language_taken",
        )
    try:
        with transaction.atomic():
            _set_group(joining, group, actor)
    except IntegrityError:
        raise VersionLinkRefused(
            _("Another module in this language was linked at the same time."),
            code="language_taken",
        ) from None
    return module


@transaction.atomic
def module_version_unlink(*, module: Module, actor: User | None = None) -> Module:
    """Take the module out of its versions; the last one left on its own leaves too."""
    group_id = module.version_group_id
    rows = _locked(Q(pk=module.pk) | Q(version_group_id=group_id)) if group_id else {}
    current = rows.get(module.pk)
    if current is None or current.version_group_id is None:
        raise VersionLinkRefused(
            _("This module is not linked to other versions."), code="not_linked"
        )
    group_id = current.version_group_id
    _set_group(current, None, actor)
    rest = [m for m in rows.values() if m.pk != current.pk and m.version_group_id == group_id]
    if len(rest) < 2:
        for alone in rest:
            _set_group(alone, None, actor)
        ModuleVersionGroup.objects.filter(pk=group_id).delete()
    module.version_group = None
    return current
