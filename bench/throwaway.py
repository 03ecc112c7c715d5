"""A stack of its own for the delivery benchmarks (delivery_crash.py, fanout.py): a
throw-away PostgreSQL database next to DATABASE_URL's, a redis-server on a free port, and
Django set up on them with the real-stack tests' worker settings.

    from bench.throwaway import ThrowawayStack
    stack = ThrowawayStack("fanout", env={...})   # exits 0 with a note without PostgreSQL
    try: ... finally: stack.close()
"""

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


class ThrowawayStack:
    def __init__(self, name: str, *, env: dict[str, str] | None = None):
        url = os.environ.get("DATABASE_URL", "")
        if not url.startswith("postgres"):
            print(f"{name}: skipped (needs DATABASE_URL on PostgreSQL)")
            sys.exit(0)
        parts = urlsplit(url)
        self.database = f"{parts.path.lstrip('/') or 'wellbeing'}_bench_{name}"
        self._admin_url = urlunsplit(parts._replace(path="/postgres"))
        self._admin(
            f'DROP DATABASE IF EXISTS "{self.database}"', f'CREATE DATABASE "{self.database}"'
        )

        from tests.real_stack import RedisServer

        self.redis = RedisServer()
        self.redis.start()
        os.environ.update(
            {
                "DJANGO_SETTINGS_MODULE": "tests.notifications.worker_settings",
                "DATABASE_URL": urlunsplit(parts._replace(path=f"/{self.database}")),
                "REDIS_URL": self.redis.url,
                "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
                "DEBUG": "0",
                "PORTAL_BASE_URL": "https://bien-etre.example.org",
                "LOG_LEVEL": "WARNING",
                **(env or {}),
            }
        )
        import django

        django.setup()

    def _admin(self, *statements: str) -> None:
        import psycopg

        with psycopg.connect(self._admin_url, autocommit=True) as admin:
            for statement in statements:
                admin.execute(statement)

    def close(self) -> None:
        self.redis.stop()
        # FORCE: this process's connections to it are still open.
        self._admin(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
