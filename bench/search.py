"""Catalogue search at 600 modules on PostgreSQL (issue 16: its cost as a ratio to the plain
catalogue list, target ≤ 1.5, and a query count that does not depend on the query).

A throw-away database (bench/throwaway.py) gets the demo programme, copied until it holds
600 published modules; a signed-in member (whose pages are not cached) then loads the
catalogue and searches for what members type: a theme, a hyphen, a synonym, a typo, a
Dutch word. Prints one `name: value` line per figure.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wellbeing .venv/bin/python bench/search.py
"""

import contextlib
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.in_process import TEST_CLIENT_ENV, grow_catalogue  # noqa: E402
from bench.throwaway import ThrowawayStack  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))
MODULES = 600
TARGET = 1.5
QUERIES = {
    "theme": "stress",
    "hyphen": "burn-out",
    "synonym": "insomnie",
    "typo": "sommiel",
    "dutch": "slaap",
}


def statements_of(client, url: str) -> int:
    """The SQL statements of one request, after three to warm up."""
    from django.db import connection

    for _ in range(3):
        assert client.get(url).status_code == 200, url
    statements: list[str] = []
    with connection.execute_wrapper(
        lambda execute, sql, *args: statements.append(sql) or execute(sql, *args)
    ):
        client.get(url)
    return len(statements)


def backend_cpu_seconds(pid: int) -> float:
    """CPU time the PostgreSQL backend serving this process has used (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(client, urls: dict[str, str]) -> dict[str, tuple[float, float]]:
    """Each page's median wall time and its mean CPU time (this process plus its
    PostgreSQL backend). The pages take turns within each round, so that a busy spell of
    this shared machine weighs on them all alike; the CPU time is what a page costs
    whatever else runs beside it."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    walls: dict[str, list[float]] = {name: [] for name in urls}
    cpu = dict.fromkeys(urls, 0.0)
    for _ in range(REPEAT):
        for name, url in urls.items():
            cpu_before = time.process_time() + backend_cpu_seconds(backend)
            began = time.perf_counter()
            client.get(url)
            walls[name].append(time.perf_counter() - began)
            cpu[name] += time.process_time() + backend_cpu_seconds(backend) - cpu_before
    return {name: (statistics.median(walls[name]), cpu[name] / REPEAT) for name in urls}


def main() -> None:
    stack = ThrowawayStack(
        "search",
        env=TEST_CLIENT_ENV,
    )
    try:
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client

        from members.models import User
        from programme.models import Module

        call_command("migrate", verbosity=0)
        with open(os.devnull, "w") as quiet, contextlib.redirect_stdout(quiet):
            call_command("seed_demo", force=True, stdout=quiet)
        grow_catalogue(modules=MODULES)
        client = Client()
        client.force_login(User.objects.get(email="membre@demo.example"))
        print(f"search_modules: {Module.objects.filter(is_published=True).count()}")
        urls = {"plain": "/fr/programme/"} | {
            name: f"/fr/programme/?q={text}" for name, text in QUERIES.items()
        }
        statements = {name: statements_of(client, url) for name, url in urls.items()}
        # The planner's statistics, as autovacuum keeps them on a live database.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        figures = measure(client, urls)
        plain_wall, plain_cpu = figures.pop("plain")
        print(f"search_plain_list_statements: {statements['plain']}")
        print(f"search_plain_list_ms: {plain_wall * 1000:.1f}")
        worst = 0.0
        for name, (wall, cpu) in figures.items():
            worst = max(worst, wall / plain_wall)
            print(f"search_{name}_ratio: {wall / plain_wall:.2f}")
            print(f"search_{name}_cpu_ratio: {cpu / plain_cpu:.2f}")
            print(f"search_{name}_statements: {statements[name]}")
        print(f"search_worst_ratio: {worst:.2f} (target ≤ {TARGET})")
    finally:
        stack.close()


if __name__ == "__main__":
    main()
