"""Page benchmark: how the busiest pages cost against the trivial view (/health/, the
same middleware and no query), and how they scale when the catalogue grows tenfold.

This machine is shared and noisy, so absolute times mean little: every figure is a
ratio to a baseline measured in the same run (the trivial view, then the same view
at demo size). SQL query counts are printed too: they do not depend on the machine.

    make bench                     # or: .venv/bin/python bench/pages.py
    BENCH_REPEAT=100 make bench    # more samples
"""

import contextlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.in_process import TEST_CLIENT_ENV, grow_catalogue  # noqa: E402

DB_FILE = Path(tempfile.gettempdir()) / "wellbeing-bench.sqlite3"
# Production-like settings (DEBUG off) on a throw-away SQLite database.
os.environ.update(
    {**TEST_CLIENT_ENV, "DATABASE_URL": f"sqlite:///{DB_FILE}", "WHITENOISE_USE_FINDERS": "1"}
)
os.environ.pop("REDIS_URL", None)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from members.models import User  # noqa: E402
from programme.models import Module, Session  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", "40"))
GROWTH = 10


def prepare() -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{DB_FILE}{suffix}").unlink(missing_ok=True)
    call_command("migrate", verbosity=0)
    # The seed's e-mails go to the console backend with DEBUG off: not part of the figures.
    with open(os.devnull, "w") as quiet, contextlib.redirect_stdout(quiet):
        call_command("seed_demo", force=True, stdout=quiet)


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
        "trivial view (baseline)": (visitor, "/health/"),
        # A visitor's pages come from the cache after the first request (programme.page_cache).
        "public home": (visitor, "/fr/"),
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
    grow_catalogue(factor=GROWTH)
    large = run()
    baseline_small = small["trivial view (baseline)"][0]
    baseline_large = large["trivial view (baseline)"][0]
    print(
        f"Page benchmark: median of {REPEAT} requests, Django test client, SQLite.\n"
        f"Demo catalogue: {modules_before} modules; grown: {Module.objects.count()} modules, "
        f"{Session.objects.count()} sessions.\n"
    )
    header = (
        f"{'page':32} {'× trivial':>9} {'queries':>8}   {'× trivial (grown)':>17} {'queries':>8}"
        f"   {'grown ÷ demo':>12}"
    )
    print(header)
    print("-" * len(header))
    for name in small:
        (t_small, q_small), (t_large, q_large) = small[name], large[name]
        print(
            f"{name:32} {t_small / baseline_small:9.2f} {q_small:8d}   "
            f"{t_large / baseline_large:17.2f} {q_large:8d}   {t_large / t_small:12.2f}"
        )
    print(
        f"\nBaseline (trivial view): {baseline_small * 1000:.1f} ms at demo size (for scale only)."
    )


if __name__ == "__main__":
    main()
