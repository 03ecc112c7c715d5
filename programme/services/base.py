"""What the enrolment and session services share: the refusal, the session lock, the audit entry."""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from members.models import User

from ..models import (
    Enrolment,
    EnrolmentEvent,
    Session,
)


class EnrolmentRefused(ValidationError):
    """The session does not take this enrolment or cancellation; the message says why."""


def _event(enrolment: Enrolment, action: str, actor: User | None, **data: Any) -> EnrolmentEvent:
    return EnrolmentEvent.objects.create(enrolment=enrolment, action=action, actor=actor, data=data)


def _lock_session(session_id: int) -> Session:
    """The session row, locked until the transaction ends: enrolments queue up behind it."""
    try:
        return Session.objects.select_for_update().select_related("module").get(pk=session_id)
    except Session.DoesNotExist:
        raise EnrolmentRefused(_("This session does not exist."), code="unknown") from None
