"""What each app contributes to the role home pages, read through its selectors.

Each module here belongs to one domain app and may define `public_context()`,
`member_context(user)`, `ambassador_context(user)`, `advisor_context(user)`,
`manager_context(user)` and `parcours_context(user)`: each returns a dict whose keys
start with the app's name, used by `templates/<app>/_<role>_home.html`. Every provider
runs a fixed number of queries, whatever the data.
"""

from collections.abc import Callable

from . import assessments, notifications, programme, referrals, surveys

PANELS = (programme, assessments, referrals, notifications, surveys)


def context_for(page: str, *args) -> dict:
    """Merge the `<page>_context` of every app, e.g. context_for("member", user)."""
    context: dict = {}
    for panel in PANELS:
        provider: Callable[..., dict] | None = getattr(panel, f"{page}_context", None)
        if provider is not None:
            context.update(provider(*args))
    return context
