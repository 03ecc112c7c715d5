from datetime import datetime

from django.utils import timezone

from members.models import User
from notifications.models import Delivery
from notifications.services import delivery_schedule
from tests.factories import MemberProfileFactory
from tests.notifications.kinds import REMINDER


def person(*, language: str = "fr", **user_fields) -> User:
    """A member who reads their e-mails in `language`."""
    fields = {"first_name": "Alex", **user_fields}
    return MemberProfileFactory(
        preferred_language=language, **{f"user__{k}": v for k, v in fields.items()}
    ).user


def scheduled(
    user: User,
    *,
    key: str = "enrolment:1",
    kind: str = REMINDER,
    workshop: int = 1,
    due_at: datetime | None = None,
) -> Delivery:
    return delivery_schedule(
        kind=kind,
        recipient=user,
        intent_key=key,
        context={"workshop_id": workshop},
        due_at=due_at or timezone.now(),
    )
