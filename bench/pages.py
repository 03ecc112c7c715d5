"""Page benchmark: how the busiest pages cost against the public home page, and how
they scale when the catalogue grows tenfold.

This machine is shared and noisy, so absolute times mean little: every figure is a
ratio to a baseline measured in the same run (the public home page, then the same page
at demo size). SQL query counts are printed too: they do not depend on the machine.

    make bench                     # or: .venv/bin/python bench/pages.py
    BENCH_REPEAT=100 make bench    # more samples
"""

import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DB_FILE = Path(tempfile.gettempdir()) / "wellbeing-bench.sqlite3"
# Production-like settings (DEBUG off) on a throw-away SQLite database.
os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "wellbeing.settings",
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "DATABASE_URL": f"sqlite:///{DB_FILE}",
        "WHITENOISE_USE_FINDERS": "1",
        "LOG_LEVEL": "WARNING",
    }
)
os.environ.pop("REDIS_URL", None)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from members.models import User  # noqa: E402
from programme.models import Module, Session  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", "40"))
GROWTH = 10


def prepare() -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{DB_FILE}{suffix}").unlink(missing_ok=True)
    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", force=True, stdout=quiet)


def grow_catalogue(factor: int) -> None:
    """Copy every published module (with its themes and sessions) factor - 1 times."""
    originals = list(Module.objects.filter(is_published=True).prefetch_related("themes"))
    sessions = list(Session.objects.filter(module__in=originals, is_published=True))
    soon = timezone.now() + timedelta(days=1)
    for copy in range(1, factor):
        for module in originals:
            themes = list(module.themes.all())
            clone = Module.objects.get(pk=module.pk)
            clone.pk = None
            clone.slug = f"{module.slug}-{copy}"
            clone.title = f"{module.title} ({copy})"
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


def measure(client: Client, url: str) -> tuple[float, int]:
    """Median seconds per request and the number of SQL queries of one request."""
    for _ in range(3):  # warm caches, templates, translations
        assert client.get(url).status_code == 200, url
    queries = []
    with connection.execute_wrapper(
        lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)
    ):
        client.get(url)
    samples = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        client.get(url)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples), len(queries)


def pages(member: User, manager: User) -> dict[str, tuple[Client, str]]:
    visitor, logged_in, managing = Client(), Client(), Client()
    logged_in.force_login(member)
    managing.force_login(manager)
    module = Module.objects.filter(is_published=True, sessions__isnull=False).first()
    return {
        "public home (baseline)": (visitor, "/fr/"),
        "catalogue, page 1": (visitor, "/fr/programme/"),
        "catalogue, search 'stress'": (visitor, "/fr/programme/?q=stress"),
        "catalogue, theme sleep + NL": (visitor, "/fr/programme/?theme=sleep&language=nl"),
        "module page": (visitor, f"/fr/programme/modules/{module.slug}/"),
        "member home": (logged_in, "/fr/dashboard/member/"),
        "mon parcours": (logged_in, "/fr/dashboard/parcours/"),
        "partner directory": (visitor, "/fr/listening-cell/partners/"),
        "programme statistics": (managing, "/fr/dashboard/manager/statistics/"),
    }


def run() -> dict[str, tuple[float, int]]:
    member = User.objects.get(email="membre@demo.example")
    manager = User.objects.get(email="gestionnaire@demo.example")
    return {name: measure(client, url) for name, (client, url) in pages(member, manager).items()}


def main() -> None:
    prepare()
    small = run()
    modules_before = Module.objects.count()
    grow_catalogue(GROWTH)
    large = run()
    baseline_small = small["public home (baseline)"][0]
    baseline_large = large["public home (baseline)"][0]
    print(
        f"Page benchmark: median of {REPEAT} requests, Django test client, SQLite.\n"
        f"Demo catalogue: {modules_before} modules; grown: {Module.objects.count()} modules, "
        f"{Session.objects.count()} sessions.\n"
    )
    header = (
        f"{'page':32} {'× home':>8} {'queries':>8}   {'× home (grown)':>14} {'queries':>8}"
        f"   {'grown ÷ demo':>12}"
    )
    print(header)
    print("-" * len(header))
    for name in small:
        (t_small, q_small), (t_large, q_large) = small[name], large[name]
        print(
            f"{name:32} {t_small / baseline_small:8.2f} {q_small:8d}   "
            f"{t_large / baseline_large:14.2f} {q_large:8d}   {t_large / t_small:12.2f}"
        )
    print(
        f"\nBaseline (public home): {baseline_small * 1000:.1f} ms at demo size (for scale only)."
    )


if __name__ == "__main__":
    main()
