"""What a person holds for the team that must not be left with an inactive account.

members sits below the apps that hand out work (the listening cell's cases and
follow-ups), so those apps register here, from their AppConfig.ready(), how to count a
person's open work and how to hand it to a colleague; deactivating an account from the
team pages asks for a successor when anything is held (members.team_services).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from common.registry import register_once


@dataclass(frozen=True)
class Workload:
    """held(user) -> how many open items the person holds;
    describe(count) -> those items in words for the manager;
    successors(user) -> the active accounts who may take them over (a queryset);
    hand_over(*, holder, successor, actor) -> how many items were handed over."""

    name: str
    held: Callable[[Any], int]
    describe: Callable[[int], str]
    successors: Callable[[Any], Any]
    hand_over: Callable[..., int]


_workloads: dict[str, Workload] = {}


def register_workload(workload: Workload, *, replace: bool = False) -> None:
    register_once(_workloads, workload.name, workload, what="workloads", replace=replace)


def workloads() -> list[Workload]:
    return [_workloads[name] for name in sorted(_workloads)]
