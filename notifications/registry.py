"""What other apps plug into notifications: message kinds, preference categories,
planners and the recipient's language. notifications imports none of those apps;
each registers its own entries from its AppConfig.ready().
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils.functional import Promise

from common.registry import register_once

if TYPE_CHECKING:
    from .models import Delivery

logger = logging.getLogger(__name__)

Label = str | Promise


@dataclass(frozen=True)
class Skip:
    """What a context builder returns when the message is no longer relevant
    (e.g. the enrolment was cancelled): the delivery is marked skipped, not sent."""

    reason: str


ContextBuilder = Callable[["Delivery"], "dict[str, Any] | Skip"]
# For a message to an outside address (a partner organisation's), not to an account:
# (address, language) read fresh at send time, or Skip.
AddressReader = Callable[["Delivery"], "tuple[str, str] | Skip"]


@dataclass(frozen=True)
class MessageKind:
    """A kind of message.

    code: dotted and stable, e.g. "programme.session_reminder_day" (stored on rows).
    category: the preference category code that lets the recipient turn it off.
    template: base name; `<template>.subject.txt`, `.txt` and `.html` must exist,
        e.g. "programme/email/session_reminder_day".
    build_context: called at send time, in the recipient's language, with the
        delivery; loads fresh data from the ids in `delivery.context` and returns the
        template context, or Skip(reason).
    """

    code: str
    label: Label
    category: str
    template: str
    build_context: ContextBuilder
    # Set for a message to an outside address: the delivery's recipient is then the
    # staff member it is sent on behalf of, whose own address and preferences do not
    # apply (no unsubscribe link: the category should not be unsubscribable).
    address_for: AddressReader | None = None


@dataclass(frozen=True)
class PreferenceCategory:
    """A switch the recipient controls; one unsubscribe link per category.

    Registered by the app that sends its messages. default: whether someone who never
    chose receives them (notifications.models.MessagePreference holds the choices).
    unsubscribable=False is for service messages about something the person did
    (no List-Unsubscribe header, never skipped).
    settings_url_name: where the person manages this switch while logged in; the
    member's profile page shows the categories that name it.
    """

    code: str
    label: Label
    default: bool = True
    unsubscribable: bool = True
    settings_url_name: str | None = None


# What a planner returns (a count, or nothing) is not used.
Planner = Callable[..., object]

_kinds: dict[str, MessageKind] = {}
_categories: dict[str, PreferenceCategory] = {}
_planners: dict[str, Planner] = {}
_language_getter: Callable[[Any], str | None] | None = None
_language_reads: tuple[str, ...] = ()


def register_kind(
    code: str,
    *,
    label: Label,
    category: str,
    template: str,
    build_context: ContextBuilder,
    address_for: AddressReader | None = None,
    replace: bool = False,
) -> MessageKind:
    kind = MessageKind(code, label, category, template, build_context, address_for)
    register_once(_kinds, code, kind, replace=replace, what="message kinds")
    return kind


def register_category(
    code: str,
    *,
    label: Label,
    default: bool = True,
    unsubscribable: bool = True,
    settings_url_name: str | None = None,
    replace: bool = False,
) -> PreferenceCategory:
    category = PreferenceCategory(code, label, default, unsubscribable, settings_url_name)
    register_once(_categories, code, category, replace=replace, what="preference categories")
    return category


def register_planner(code: str, planner: Planner, *, replace: bool = False) -> None:
    """A planner is called by every sweep as planner(now=...) and schedules, idempotently,
    the deliveries that became due (delivery_schedule / deliveries_schedule_many)."""
    register_once(_planners, code, planner, replace=replace, what="planners")


def register_language_getter(
    getter: Callable[[Any], str | None], *, reads: tuple[str, ...] = ()
) -> None:
    """The app that knows people's preferred language (members) tells us how to read it,
    and which of the account's relations the getter follows (`reads`, e.g. "profile"):
    a batch of deliveries loads them with its recipients, not one query per message."""
    global _language_getter, _language_reads
    _language_getter = getter
    _language_reads = reads


def recipient_relations() -> tuple[str, ...]:
    """What to select_related from a delivery to render it: its recipient, and what the
    language getter reads of them."""
    return ("recipient", *(f"recipient__{name}" for name in _language_reads))


def unregister(*, kind: str | None = None, category: str | None = None, planner: str | None = None):
    """For tests that register entries of their own."""
    if kind:
        _kinds.pop(kind, None)
    if category:
        _categories.pop(category, None)
    if planner:
        _planners.pop(planner, None)


def get_kind(code: str) -> MessageKind:
    try:
        return _kinds[code]
    except KeyError:
        raise LookupError(f"No message kind {code!r} is registered.") from None


def get_category(code: str) -> PreferenceCategory:
    try:
        return _categories[code]
    except KeyError:
        raise LookupError(f"No preference category {code!r} is registered.") from None


def kinds() -> dict[str, MessageKind]:
    return dict(_kinds)


def categories() -> dict[str, PreferenceCategory]:
    return dict(_categories)


def planners() -> dict[str, Planner]:
    return dict(_planners)


def kind_label(code: str) -> Label:
    kind = _kinds.get(code)
    return kind.label if kind else code


def recipient_language(user) -> str:
    """The language to write to this person in: theirs if known and offered, else the default."""
    offered = {code for code, _name in settings.LANGUAGES}
    language = _language_getter(user) if _language_getter else None
    return language if language in offered else settings.LANGUAGE_CODE


def run_planners(*, now: datetime) -> list[str]:
    """Run every planner; one that fails is logged and does not stop the others.

    Returns the codes of the planners that failed.
    """
    failed = []
    for code, planner in list(_planners.items()):
        try:
            planner(now=now)
        except Exception:
            logger.exception("Planner %s failed; the sweep goes on with the others.", code)
            failed.append(code)
    return failed
