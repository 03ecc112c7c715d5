"""Whether someone receives a category of messages, and the signed unsubscribe link.

The choices are rows of MessagePreference; changing them is notifications.services'
preferences_set, which the preferences page and the unsubscribe link both call.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core import signing
from django.db.models import Exists, OuterRef, Q
from django.db.models.expressions import NegatedExpression
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from . import registry
from .links import absolute_url
from .models import MessagePreference
from .registry import PreferenceCategory, get_category, register_category

UNSUBSCRIBE_SALT = "notifications.unsubscribe"

STAFF_ALERTS = "staff_alerts"
SERVICE = "service"


class BadUnsubscribeToken(Exception):
    """The link was altered, cut short or names something that no longer exists."""


@dataclass(frozen=True)
class UnsubscribeTarget:
    user_id: int
    category: PreferenceCategory


def preference_enabled(user: AbstractBaseUser, category_code: str) -> bool:
    """Whether the person receives this category's messages: their choice, or the
    category's default when they never chose (one query; none for service messages)."""
    category = get_category(category_code)
    if not category.unsubscribable:
        return True
    preloaded = getattr(user, "_message_preferences", None)
    if preloaded is not None:
        chosen = preloaded.get(category.code)
    else:
        chosen = (
            MessagePreference.objects.filter(user_id=user.pk, category=category.code)
            .values_list("enabled", flat=True)
            .first()
        )
    return category.default if chosen is None else chosen


def preferences_preload(users: Iterable[AbstractBaseUser]) -> None:
    """Read the choices of many people in one query and keep them on each user object,
    for preference_enabled: a batch of deliveries reads them when it is claimed instead
    of once per message. A choice made after that counts from the next batch (a batch
    lasts at most a quarter of the claim lease, notifications.batches)."""
    users = list(users)
    chosen: dict[Any, dict[str, bool]] = {user.pk: {} for user in users}
    rows = MessagePreference.objects.filter(user_id__in=list(chosen)).values_list(
        "user_id", "category", "enabled"
    )
    for user_id, code, enabled in rows:
        chosen[user_id][code] = enabled
    for user in users:
        user._message_preferences = chosen[user.pk]  # type: ignore[attr-defined]


def preferences_of(user: AbstractBaseUser, codes: Iterable[str] | None = None) -> dict[str, bool]:
    """Whether the person receives each category (every one that can be turned off, or
    those named), their choices and the defaults together, in one query."""
    known = registry.categories()
    wanted = [c for c in (known if codes is None else codes) if get_category(c).unsubscribable]
    chosen = dict(
        MessagePreference.objects.filter(user_id=user.pk, category__in=wanted).values_list(
            "category", "enabled"
        )
    )
    return {code: chosen.get(code, known[code].default) for code in wanted}


def accepting(category_code: str, *, user: str = "pk") -> Q | Exists | NegatedExpression:
    """A filter, for any queryset, on the rows whose person receives this category:
    `user` is the path to the person's key ("pk" on users, "user" on a model with a
    user key). It is one subquery whatever the number of rows, so a planner or a
    fan-out asks once for all its recipients, never once per person."""
    category = get_category(category_code)
    if not category.unsubscribable:
        return Q()
    chosen = MessagePreference.objects.filter(user=OuterRef(user), category=category.code)
    if category.default:
        return ~Exists(chosen.filter(enabled=False))
    return Exists(chosen.filter(enabled=True))


def categories_managed_at(url_name: str) -> list[PreferenceCategory]:
    """The categories a settings page offers (they name it as their settings_url_name),
    in the order the apps registered them."""
    return [
        category
        for category in registry.categories().values()
        if category.unsubscribable and category.settings_url_name == url_name
    ]


def register_builtin_categories() -> None:
    register_category(
        STAFF_ALERTS,
        label=_("alerts about the listening cell's cases"),
        default=True,
    )
    register_category(
        SERVICE,
        label=_("messages about something you did (confirmations, changes to your enrolments)"),
        unsubscribable=False,
    )


def unsubscribe_token(*, user_id: int, category_code: str) -> str:
    # No expiry: an unsubscribe link in a years-old e-mail must still work.
    return signing.dumps({"u": user_id, "c": category_code}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_token_read(token: str) -> UnsubscribeTarget:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        user_id, code = int(data["u"]), str(data["c"])
        category = get_category(code)
    except (signing.BadSignature, KeyError, TypeError, ValueError, LookupError) as error:
        raise BadUnsubscribeToken(str(error)) from error
    if not category.unsubscribable:
        raise BadUnsubscribeToken(f"{code} cannot be turned off")
    return UnsubscribeTarget(user_id=user_id, category=category)


def unsubscribe_url(*, user_id: int, category_code: str, language: str) -> str:
    token = unsubscribe_token(user_id=user_id, category_code=category_code)
    with translation.override(language):
        return absolute_url(reverse("notifications:unsubscribe", args=[token]))
