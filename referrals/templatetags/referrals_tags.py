"""Small helpers for the listening cell's templates."""

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from common.belgium import BRUSSELS

from .. import forms
from ..choices import (
    ADVISOR_SOURCE_LABELS,
    AREA_CHOICES,
    AnonymisedBecause,
    CaseStatus,
    Channel,
    ConsentBasis,
    EventKind,
    MemberHelped,
    NeedCategory,
    NotTakenOnReason,
    Outcome,
    PartnerAnswer,
    ReferralMode,
)
from ..phones import display_phone, tel_uri

register = template.Library()

AREA_LABELS = dict(AREA_CHOICES)

STATUS_BADGES: dict[str, str] = {
    CaseStatus.NEW: "text-bg-primary",
    CaseStatus.IN_PROGRESS: "text-bg-warning",
    CaseStatus.ORIENTED: "text-bg-info",
    CaseStatus.CLOSED: "text-bg-secondary",
}


@register.filter
def phone(value: str) -> str:
    return display_phone(value)


@register.filter
def tel(value: str) -> str:
    return tel_uri(value)


@register.filter
def is_past(value) -> bool:
    return value is not None and value < timezone.now()


@register.filter
def area_label(value: str) -> str:
    return str(AREA_LABELS.get(value, value))


@register.filter
def need_label(value: str) -> str:
    return _label(NeedCategory, value)


@register.filter
def status_badge(status: str) -> str:
    return STATUS_BADGES.get(status, "text-bg-light")


@register.filter
def contains_value(values, candidate) -> bool:
    """Whether a bound form's list value holds this option (values are strings)."""
    return str(candidate) in {str(v) for v in (values or ())}


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value or "")


@register.filter
def event_summary(event) -> str:
    """One line that says what the event did, beside its kind, author and time."""
    data = event.data or {}
    kind = event.kind
    if kind == EventKind.CREATED and data.get("intake_channel") in ADVISOR_SOURCE_LABELS:
        # A case an advisor opened: how the person came in, and their oral agreement.
        opened = ADVISOR_SOURCE_LABELS[data["intake_channel"]]
        return f"{opened} ({_label(ConsentBasis, data.get('consent_basis'))})"
    if kind == EventKind.ASSIGNED:
        return _("to %(name)s") % {"name": data.get("assignee_name", "")}
    if kind == EventKind.CONTACT_ATTEMPT:
        reached = _("reached") if data.get("reached") else _("no answer")
        return f"{_label(Channel, data.get('channel'))} — {reached}"
    if kind == EventKind.REFERRED:
        text = f"{data.get('partner_name', '')} — {_label(ReferralMode, data.get('mode'))}"
        if data.get("consent_basis"):
            text += f" ({_label(ConsentBasis, data['consent_basis'])})"
        return text
    if kind == EventKind.PARTNER_REACHED:
        reached = _("reached") if data.get("reached") else _("not reached")
        return f"{data.get('partner_name', '')} — {reached}"
    if kind == EventKind.SENT_TO_PARTNER:
        return f"{data.get('partner_name', '')} — {data.get('address', '')}"
    if kind == EventKind.PARTNER_ANSWERED:
        text = f"{data.get('partner_name', '')} — {_label(PartnerAnswer, data.get('answer'))}"
        if data.get("reason"):
            text += f" ({_label(NotTakenOnReason, data['reason'])})"
        return text
    if kind == EventKind.MEMBER_ANSWERED:
        reached = _("reached") if data.get("reached") else _("not reached")
        text = f"{data.get('partner_name', '')} — {reached}"
        if data.get("helped"):
            text += f" — {_label(MemberHelped, data['helped'])}"
        return text
    if kind == EventKind.FOLLOW_UP:
        if not data.get("on"):
            return _("removed")
        year, month, day = data["on"].split("-")
        return f"{day}/{month}/{year}"
    if kind in CALLBACK_EVENTS and data.get("at"):
        return _callback_summary(kind, data)
    if kind == EventKind.CLOSED:
        return _label(Outcome, data.get("outcome"))
    if kind == EventKind.ANONYMISED:
        return _label(AnonymisedBecause, data.get("reason"))
    if event.from_status and event.to_status:
        return f"{_label(CaseStatus, event.from_status)} → {_label(CaseStatus, event.to_status)}"
    return ""


CALLBACK_EVENTS = {
    EventKind.CALLBACK_BOOKED,
    EventKind.CALLBACK_RESCHEDULED,
    EventKind.CALLBACK_CANCELLED,
    EventKind.CALLBACK_DONE,
}


def _brussels(iso: str) -> str:
    return timezone.localtime(datetime.fromisoformat(iso), BRUSSELS).strftime("%d/%m/%Y %H:%M")


def _callback_summary(kind: str, data: dict) -> str:
    when = _brussels(data["at"])
    if kind == EventKind.CALLBACK_RESCHEDULED and data.get("previous"):
        return f"{_brussels(data['previous'])} → {when}"
    if kind == EventKind.CALLBACK_CANCELLED and data.get("closed"):
        return _("%(when)s, with the case's closing") % {"when": when}
    return when


@register.filter
def result_label(result) -> str:
    """A self-assessment result by instrument, date and band."""
    return forms.result_label(result)


@register.filter
def has_crisis_need(case) -> bool:
    """Among the case's needs (prefetched by the queue): crisis, dark thoughts."""
    return any(item.need == NeedCategory.CRISIS for item in case.needs.all())
