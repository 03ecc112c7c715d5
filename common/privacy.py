"""The member's privacy rights across the apps: one registry each app fills.

In common, below every app, so that each app registers its own part, notifications
included, and members runs them all (members.selectors.member_data for the data file,
members.services.member_erase, members.retention).

Each app knows its own data, so each contributes, from its AppConfig.ready():

- an exporter, `exporter(user) -> dict | list`: its part of the member's data file
  (GDPR Art. 15 and 20), in a fixed number of queries whatever the data;
- an eraser, `eraser(user) -> None`: run by `members.services.member_erase` inside one
  transaction before the account is deleted (Art. 17); it removes or anonymises the
  app's rows and keeps anonymous statistics;
- retention steps, `step(*, now, limit) -> int`: each call handles at most `limit` rows
  that are past their retention limit and not handled yet, and says how many it
  handled, so `members.retention.retention_enforce` can run it in bounded batches
  and a second run finds nothing left to do (Art. 5(1)(e));
- what withdrawing a consent offers to delete (the kept self-assessment results for
  the health-data consent).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from common.registry import register_once

Exporter = Callable[[Any], dict | list]
Eraser = Callable[[Any], None]
RetentionStep = Callable[..., int]


@dataclass(frozen=True)
class ConsentCleanup:
    """What a consent covers that the member may delete when withdrawing it.

    count(user) -> how many items the member keeps under it; delete(user) -> how many
    were deleted; offer(count) -> the choice offered, in words for the member.
    """

    kind: str
    count: Callable[[Any], int]
    delete: Callable[[Any], int]
    offer: Callable[[int], str]


@dataclass(frozen=True)
class _Eraser:
    order: int
    eraser: Eraser


@dataclass(frozen=True)
class _Exporter:
    order: int
    exporter: Exporter


_exporters: dict[str, _Exporter] = {}
_erasers: dict[str, _Eraser] = {}
_retention_steps: dict[str, RetentionStep] = {}
_cleanups: dict[str, ConsentCleanup] = {}


def register_exporter(name: str, exporter: Exporter, *, order: int = 50) -> None:
    """`name` is the exporter's section of the data file, e.g. "programme"; sections
    come by ascending `order` (the account first, the messages last), whichever app
    registered first."""
    register_once(_exporters, name, _Exporter(order, exporter), what="exporters")


def register_eraser(name: str, eraser: Eraser, *, order: int = 50) -> None:
    """Erasers run by ascending `order`: those that may still record messages for the
    member (programme cancelling seats) come before notifications (80) and members'
    own profile and consents (90)."""
    register_once(_erasers, name, _Eraser(order, eraser), what="erasers")


def register_retention(name: str, step: RetentionStep) -> None:
    register_once(_retention_steps, name, step, what="retention steps")


def register_consent_cleanup(
    kind: str,
    *,
    count: Callable[[Any], int],
    delete: Callable[[Any], int],
    offer: Callable[[int], str],
) -> None:
    cleanup = ConsentCleanup(kind, count, delete, offer)
    register_once(_cleanups, kind, cleanup, what="consent clean-ups")


def unregister(
    *,
    exporter: str | None = None,
    eraser: str | None = None,
    retention: str | None = None,
    cleanup: str | None = None,
) -> None:
    """For tests that register entries of their own."""
    if exporter:
        _exporters.pop(exporter, None)
    if eraser:
        _erasers.pop(eraser, None)
    if retention:
        _retention_steps.pop(retention, None)
    if cleanup:
        _cleanups.pop(cleanup, None)


def exporters() -> dict[str, Exporter]:
    ordered = sorted(_exporters.items(), key=lambda item: item[1].order)  # stable
    return {name: entry.exporter for name, entry in ordered}


def erasers() -> list[tuple[str, Eraser]]:
    ordered = sorted(_erasers.items(), key=lambda item: item[1].order)  # stable: ties keep order
    return [(name, entry.eraser) for name, entry in ordered]


def retention_steps() -> dict[str, RetentionStep]:
    return dict(_retention_steps)


def consent_cleanup(kind: str) -> ConsentCleanup | None:
    return _cleanups.get(kind)
