"""Who changed what in the staff pages, and when (django-simple-history).

A model the staff edit declares ``history = StaffEditHistory(...)``; every save through
its services writes a historical row, and HistoryRequestMiddleware names the request's
user. ``changes_of(obj)`` reads the latest rows as lines a manager reads ("field:
old → new"); the staff pages show them with ``{% history_section obj %}``
(common/templatetags/history.py) and the admin through SimpleHistoryAdmin.

The rows are kept RETENTION_EDIT_HISTORY_DAYS (members.retention); the history of an
account (its roles) goes with the account when it is erased (cascade_delete_history).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import models
from django.utils import formats, timezone
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _
from simple_history import utils as history_utils
from simple_history.models import HistoricalRecords


class StaffEditHistory(HistoricalRecords):
    """HistoricalRecords that skips saves touching only fields it does not keep: an
    enrolment's seat counter, a login's timestamp, a derived search column. Those are
    not staff edits, and at the portal's scale they would fill the table."""

    def post_save(self, instance, created, using=None, **kwargs):
        update_fields = kwargs.get("update_fields")
        if not created and update_fields and set(update_fields) <= set(self.excluded_fields):
            return
        super().post_save(instance, created, using=using, **kwargs)


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    date: datetime
    who: str  # empty: the change was made outside a signed-in request, or the account is gone
    kind: str  # "created", "changed", "deleted", "first_kept" (the earlier rows were pruned)
    changes: list[FieldChange] = field(default_factory=list)


def _shown(model_field: Any, value: Any, names: dict[Any, str]) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, list):  # many-to-many rows, already named
        return ", ".join(sorted(str(item) for item in value)) or "—"
    if getattr(model_field, "choices", None):
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "d/m/Y H:i")
    if isinstance(value, date):
        return formats.date_format(value, "d/m/Y")
    if isinstance(model_field, models.ForeignKey):
        return names.get(value, f"#{value}")
    return Truncator(str(value)).chars(160)


# How a related object is named in a history line, when str() is a code (members names
# the auth groups by their roles).
_labels: dict[type[models.Model], Callable[[Any], str]] = {}


def register_history_label(model: type[models.Model], label: Callable[[Any], str]) -> None:
    _labels[model] = label


def _names(related: Any, ids: set) -> dict[Any, str]:
    """str() of the related objects, one query; "#id" for those gone since."""
    ids = {pk for pk in ids if pk is not None}
    if not ids:
        return {}
    label = _labels.get(related, str)
    found = {obj.pk: label(obj) for obj in related._base_manager.filter(pk__in=ids)}
    return {pk: found.get(pk, f"#{pk}") for pk in ids}


def changes_of(obj: models.Model, *, limit: int = 15) -> list[HistoryEntry]:
    """The object's latest changes, newest first, in a fixed number of queries: the rows
    and their authors, then one per foreign key or many-to-many field of the model."""
    manager_name = getattr(obj._meta, "simple_history_manager_attribute", None)
    if manager_name is None or obj.pk is None:
        return []
    records = list(
        getattr(obj, manager_name)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[: limit + 1]
    )
    if not records:
        return []
    model = type(obj)
    # Many-to-many rows of every record at once: {field: {history_id: [target ids]}}.
    m2m: dict[str, dict[int, list]] = {}
    for m2m_field in records[0]._history_m2m_fields:
        target = history_utils.get_m2m_reverse_field_name(m2m_field)
        rows_model = getattr(records[0], m2m_field.name).model
        by_record: dict[int, list] = {record.pk: [] for record in records}
        for history_id, target_id in (
            rows_model._base_manager.filter(history__in=[r.pk for r in records])
            .order_by(f"{target}_id")
            .values_list("history_id", f"{target}_id")
        ):
            by_record[history_id].append(target_id)
        m2m[m2m_field.name] = by_record
    tracked = [(f.name, f.attname) for f in records[0].tracked_fields]

    raw: list[tuple[Any, str, str, list[tuple[Any, Any, Any]]]] = []
    for newer, older in zip(records[:limit], [*records[1:], None], strict=False):
        who = newer.history_user.display_name if newer.history_user is not None else ""
        kind = {"+": "created", "-": "deleted"}.get(newer.history_type, "changed")
        if kind == "changed" and older is None:
            kind = "first_kept"
        changes: list[tuple[Any, Any, Any]] = []
        if kind == "changed":
            assert older is not None
            # Not diff_against(): it leaves out the fields forms cannot edit, and a
            # cancellation or an HSDS identifier is what one wants to read here.
            for name, attname in tracked:
                old, new = getattr(older, attname), getattr(newer, attname)
                if old != new:
                    changes.append((model._meta.get_field(name), old, new))
            for name, by_record in m2m.items():
                if by_record[newer.pk] != by_record[older.pk]:
                    changes.append(
                        (model._meta.get_field(name), by_record[older.pk], by_record[newer.pk])
                    )
        raw.append((newer.history_date, who, kind, changes))

    # The related objects' names, one query per field that changed.
    wanted: dict[Any, set] = {}
    for _date, _who, _kind, changes in raw:
        for model_field, old, new in changes:
            if model_field.many_to_many:
                wanted.setdefault(model_field, set()).update(old, new)
            elif isinstance(model_field, models.ForeignKey):
                wanted.setdefault(model_field, set()).update({old, new})
    names = {f: _names(f.related_model, ids) for f, ids in wanted.items()}

    entries = []
    for when, who, kind, changes in raw:
        lines = []
        for model_field, old, new in changes:
            labels = names.get(model_field, {})
            if model_field.many_to_many:
                old, new = [labels[pk] for pk in old], [labels[pk] for pk in new]
            lines.append(
                FieldChange(
                    field=str(capfirst(model_field.verbose_name)),
                    old=_shown(model_field, old, labels),
                    new=_shown(model_field, new, labels),
                )
            )
        if kind != "changed" or lines:
            entries.append(HistoryEntry(when, who, kind, lines))
    return entries


def _historical(model: type[models.Model]) -> type[models.Model]:
    """The model of the history rows of `model` (its history manager's model)."""
    return getattr(model, model._meta.simple_history_manager_attribute).model  # type: ignore[attr-defined]


def prune_history(
    *, models_with_history: list[type[models.Model]], before: datetime, limit: int
) -> int:
    """Delete at most `limit` historical rows older than `before` (oldest first)."""
    pruned = 0
    for model in models_with_history:
        if pruned >= limit:
            break
        historical = _historical(model)
        ids = list(
            historical._base_manager.filter(history_date__lt=before)
            .order_by("history_date")
            .values_list("pk", flat=True)[: limit - pruned]
        )
        if ids:
            historical._base_manager.filter(pk__in=ids).delete()
            pruned += len(ids)
    return pruned


def models_with_history() -> list[type[models.Model]]:
    """The models that declared a history (not the many-to-many tables it keeps)."""
    from simple_history.models import registered_models

    return sorted(
        (
            model
            for model in registered_models.values()
            if getattr(model._meta, "simple_history_manager_attribute", None)
        ),
        key=lambda model: model._meta.label,
    )


def forget_account_in_history(*, user_model: type[models.Model], user_id: int) -> int:
    """Before an account is erased: the edit history keeps what was changed, not which
    account a record pointed to (a campaign's author); the author of each change is
    forgotten by the account's deletion itself (history_user, SET_NULL)."""
    forgotten = 0
    for model in models_with_history():
        historical = _historical(model)
        for column in historical._meta.concrete_fields:
            if (
                column.name != "history_user"
                and column.is_relation
                and column.related_model is user_model
                and column.null
            ):
                forgotten += historical._base_manager.filter(**{column.attname: user_id}).update(
                    **{column.attname: None}
                )
    return forgotten
