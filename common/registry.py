"""The one rule of the portal's registries (message kinds, planners, privacy steps):
registering the same thing twice is harmless, two different things under one name is a
configuration error, unless the caller says it replaces the first (test doubles)."""

from typing import Any

from django.core.exceptions import ImproperlyConfigured


def register_once(table: dict, name: str, entry: Any, *, what: str, replace: bool = False) -> None:
    existing = table.get(name)
    if existing is not None and existing != entry and not replace:
        raise ImproperlyConfigured(f"Two different {what} are registered as {name!r}.")
    table[name] = entry
