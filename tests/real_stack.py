"""Pieces of the real stack a test owns: a redis-server of its own on a free port, so
stopping it touches nobody else's."""

import os
import shutil
import subprocess

import pytest

from tests.notifications.smtp import free_port
from tests.waiting import wait_until

HAS_REDIS_SERVER = shutil.which("redis-server") is not None
REAL_STACK = os.environ.get("DATABASE_URL", "").startswith("postgres") and bool(
    os.environ.get("REDIS_URL")
)
# For tests that need the real PostgreSQL and Redis: skipped on a developer's SQLite,
# required in CI, where the `postgres` mark turns a skip into a failure (tests/conftest.py,
# CI_REAL_STACK).
ON_REAL_STACK = [
    pytest.mark.postgres,
    pytest.mark.skipif(not REAL_STACK, reason="needs DATABASE_URL (PostgreSQL) and REDIS_URL"),
]
# For tests that also start and stop a redis-server of their own.
REAL_STACK_ONLY = [
    *ON_REAL_STACK,
    pytest.mark.skipif(not HAS_REDIS_SERVER, reason="needs redis-server"),
]


def on_the_real_stack(test):
    """ON_REAL_STACK's marks on one test."""
    for mark in ON_REAL_STACK:
        test = mark(test)
    return test


class RedisServer:
    """A redis-server of our own, without persistence: a restart loses every message."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        wait_until(self.answers, timeout=10, what="redis-server")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)
        self.process = None

    def answers(self) -> bool:
        ping = subprocess.run(
            ["redis-cli", "-p", str(self.port), "ping"], capture_output=True, text=True
        )
        return ping.stdout.strip() == "PONG"

    def command(self, *args: str) -> str:
        return subprocess.run(
            ["redis-cli", "-p", str(self.port), *args], capture_output=True, text=True
        ).stdout.strip()
