"""What the in-process benchmarks share (pages.py, case_search.py, search.py): settings as in
production (DEBUG off) for Django's test client, and a catalogue grown by copying the demo's.

Imports nothing of Django at module level, so a benchmark can set its environment first.
"""

import math
from datetime import timedelta

# Production-like settings for the test client's "testserver"; the caller adds its database.
TEST_CLIENT_ENV = {
    "DJANGO_SETTINGS_MODULE": "wellbeing.settings",
    "DEBUG": "0",
    "PORTAL_BASE_URL": "http://testserver",
    "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "testserver",
    "SECURE_SSL_REDIRECT": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
    "SECURE_HSTS_SECONDS": "0",
    "LOG_LEVEL": "WARNING",
}


def grow_catalogue(*, factor: int | None = None, modules: int | None = None) -> None:
    """Copy every published module (with its themes and sessions) factor - 1 times, or
    until there are about `modules` published ones."""
    from django.utils import timezone

    from programme.models import Module, ModuleVersionGroup, Session

    originals = list(Module.objects.filter(is_published=True).prefetch_related("themes"))
    sessions = list(Session.objects.filter(module__in=originals, is_published=True))
    if factor is None:
        factor = math.ceil((modules or len(originals)) / len(originals))
    soon = timezone.now() + timedelta(days=1)
    for copy in range(1, factor):
        # Each copy of a content's language versions is one content of its own.
        groups: dict[int, ModuleVersionGroup] = {}
        for module in originals:
            themes = list(module.themes.all())
            clone = Module.objects.get(pk=module.pk)
            clone.pk = None
            clone.slug = f"{module.slug}-{copy}"
            clone.title = f"{module.title} ({copy})"
            if module.version_group_id:
                if module.version_group_id not in groups:
                    groups[module.version_group_id] = ModuleVersionGroup.objects.create()
                clone.version_group = groups[module.version_group_id]
            clone.save()
            clone.themes.set(themes)
            Session.objects.bulk_create(
                Session(
                    module=clone,
                    starts_at=max(s.starts_at, soon) + timedelta(hours=copy),
                    ends_at=max(s.starts_at, soon) + timedelta(hours=copy + 2),
                    mode=s.mode,
                    join_url=s.join_url,
                    venue=s.venue,
                    address=s.address,
                    province=s.province,
                    capacity=s.capacity,
                    is_published=True,
                )
                for s in sessions
                if s.module_id == module.pk
            )
