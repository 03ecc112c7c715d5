"""Whether someone wants a category of messages, and the signed unsubscribe link."""

from dataclasses import dataclass

from django.core import signing
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .links import absolute_url
from .models import CategoryOptOut
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


def wants(user, category_code: str) -> bool:
    category = get_category(category_code)
    return not category.unsubscribable or bool(category.getter(user))


def category_set(*, user, category_code: str, wanted: bool) -> None:
    """Turn a category of messages on or off for someone (idempotent)."""
    category = get_category(category_code)
    if not category.unsubscribable:
        raise ValueError(f"The category {category_code!r} cannot be turned off.")
    category.setter(user, wanted)


# Storage for categories that have no switch elsewhere (e.g. on a member profile).
def opt_out_getter(category_code: str):
    def getter(user) -> bool:
        return not CategoryOptOut.objects.filter(user=user, category=category_code).exists()

    return getter


def opt_out_setter(category_code: str):
    def setter(user, wanted: bool) -> None:
        if wanted:
            CategoryOptOut.objects.filter(user=user, category=category_code).delete()
        else:
            CategoryOptOut.objects.get_or_create(user=user, category=category_code)

    return setter


def register_builtin_categories() -> None:
    register_category(
        STAFF_ALERTS,
        label=_("alerts about the listening cell's cases"),
        getter=opt_out_getter(STAFF_ALERTS),
        setter=opt_out_setter(STAFF_ALERTS),
    )
    register_category(
        SERVICE,
        label=_("messages about something you did (confirmations, changes to your enrolments)"),
        getter=lambda user: True,
        setter=lambda user, wanted: None,
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
