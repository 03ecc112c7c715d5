"""Work released at the same moment in several threads, each on its own database
connection: how the suite proves locks and unique rules on the real PostgreSQL."""

import threading
from collections.abc import Callable, Iterable

import pytest
from django.db import connection, connections

# For tests that need PostgreSQL's row locks and concurrent connections: skipped on the
# embedded SQLite a developer runs by default, run by CI, where a skip fails the build
# (tests/conftest.py, CI_REAL_STACK).
POSTGRES_ONLY = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs the real PostgreSQL"),
]


def postgres_only(test):
    """POSTGRES_ONLY for one test in a module whose other tests run anywhere."""
    for mark in POSTGRES_ONLY:
        test = mark(test)
    return test


def at_once(work: Callable, arguments: Iterable, *, timeout: float = 120) -> list:
    """Call work(argument) for each argument in a thread of its own, all released together.

    Returns, in the arguments' order, what each call returned or the exception it raised,
    so that a test sees every failure instead of a silent thread.
    """
    arguments = list(arguments)
    start = threading.Barrier(len(arguments))
    outcomes: list = [None] * len(arguments)

    def run(index: int, argument) -> None:
        try:
            start.wait(timeout=30)
            outcomes[index] = work(argument)
        except BaseException as error:  # noqa: BLE001 - handed to the test
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(arguments)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return outcomes


def failures(outcomes: list) -> list[BaseException]:
    return [outcome for outcome in outcomes if isinstance(outcome, BaseException)]
