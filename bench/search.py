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


def measure(client, url: str) -> tuple[float, int]:
    """Median seconds per request and the SQL statements of one request."""
    from django.db import connection

    for _ in range(3):
        assert client.get(url).status_code == 200, url
    statements: list[str] = []
    with connection.execute_wrapper(
        lambda execute, sql, *args: statements.append(sql) or execute(sql, *args)
    ):
        client.get(url)
    samples = []
    for _ in range(REPEAT):
        began = time.perf_counter()
        client.get(url)
        samples.append(time.perf_counter() - began)
    return statistics.median(samples), len(statements)


def main() -> None:
    stack = ThrowawayStack(
        "search",
        env=TEST_CLIENT_ENV,
    )
    try:
        from django.core.management import call_command
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
        plain, plain_statements = measure(client, "/fr/programme/")
        print(f"search_plain_list_statements: {plain_statements}")
        worst = 0.0
        for name, text in QUERIES.items():
            took, statements = measure(client, f"/fr/programme/?q={text}")
            worst = max(worst, took / plain)
            print(f"search_{name}_ratio: {took / plain:.2f}")
            print(f"search_{name}_statements: {statements}")
        print(f"search_worst_ratio: {worst:.2f} (target ≤ {TARGET})")
    finally:
        stack.close()


if __name__ == "__main__":
    main()
