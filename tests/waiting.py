"""Waiting in tests: on a condition, with a bound, never for a fixed time."""

import time
from collections.abc import Callable
from pathlib import Path

POLL_SECONDS = 0.05


def wait_until(
    condition: Callable[[], object],
    *,
    timeout: float = 30,
    what: str = "",
    log: Path | None = None,
) -> None:
    """Return as soon as condition() is true; fail after `timeout` seconds, saying what
    was awaited (and the end of `log`, a worker's output, when given)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(POLL_SECONDS)
    tail = log.read_text()[-4000:] if log else ""
    raise AssertionError(f"Timed out after {timeout:g}s waiting for {what}.\n{tail}")
