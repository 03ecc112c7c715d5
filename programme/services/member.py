"""A member's own things: saved modules and the secret address of their calendar feed."""

import secrets

from django.db import transaction
from django.utils import timezone

from members.models import User

from ..models import (
    CalendarFeed,
    Module,
    SavedModule,
)


@transaction.atomic
def module_save(*, user: User, module: Module) -> tuple[SavedModule, bool]:
    """Keep a module or a practical sheet in the member's library; True when newly kept.

    Saving again changes nothing: the unique constraint (module_saved_once) holds even for
    two requests at once, get_or_create reading the row the other one wrote.
    """
    return SavedModule.objects.get_or_create(user=user, module=module)


@transaction.atomic
def module_unsave(*, user: User, module: Module) -> None:
    SavedModule.objects.filter(user=user, module=module).delete()


def _new_token() -> str:
    return secrets.token_urlsafe(32)


@transaction.atomic
def calendar_feed_ensure(*, user: User) -> CalendarFeed:
    feed, _created = CalendarFeed.objects.get_or_create(user=user, defaults={"token": _new_token()})
    return feed


@transaction.atomic
def calendar_token_regenerate(*, user: User) -> CalendarFeed:
    """A new secret address for the member's feed; the old one stops working at once."""
    feed = CalendarFeed.objects.select_for_update().filter(user=user).first()
    if feed is None:
        return CalendarFeed.objects.create(user=user, token=_new_token())
    feed.token = _new_token()
    feed.created_at = timezone.now()
    feed.save(update_fields=["token", "created_at"])
    return feed
