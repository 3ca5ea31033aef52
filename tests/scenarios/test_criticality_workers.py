"""Criticality picks where to run: a job shorter than starting worker processes stays here."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import pytest

import corridor
from corridor.batch.spec import NetworkSpec
from corridor.routing.odset import ODPair, default_od_path, read_od_pairs
from corridor.scenarios import criticality as module
from corridor.scenarios.criticality import criticality, worth_processes

DEPART = datetime(2026, 12, 1, tzinfo=UTC)
KINDS = ["border", "crossing"]


@pytest.fixture(scope="module")
def pairs() -> tuple[ODPair, ...]:
    return read_od_pairs(default_od_path(), corridor.load_network())[:5]


def _spy(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Record the workers `criticality` asks for, and run the tasks here either way."""
    asked: list[int] = []

    def here(fn: Callable[[Any], Any], items: Sequence[Any], **options: Any) -> list[Any]:
        asked.append(options["workers"])
        return [fn(item) for item in items]

    monkeypatch.setattr(module, "map_tasks", here)
    return asked


def test_a_job_shorter_than_starting_processes_runs_here(
    monkeypatch: pytest.MonkeyPatch, pairs: tuple[ODPair, ...]
) -> None:
    asked = _spy(monkeypatch)
    monkeypatch.setattr(module, "PROCESS_START_S", 3600.0)
    two = criticality(NetworkSpec(), pairs, depart=DEPART, kinds=KINDS, workers=2, progress=False)
    one = criticality(NetworkSpec(), pairs, depart=DEPART, kinds=KINDS, workers=1, progress=False)
    assert asked == [1, 1]
    assert [e.to_dict() for e in two.ranking] == [e.to_dict() for e in one.ranking]


def test_a_job_longer_than_starting_processes_goes_to_them(
    monkeypatch: pytest.MonkeyPatch, pairs: tuple[ODPair, ...]
) -> None:
    asked = _spy(monkeypatch)
    monkeypatch.setattr(module, "PROCESS_START_S", 0.0)
    criticality(NetworkSpec(), pairs, depart=DEPART, kinds=KINDS, workers=2, progress=False)
    assert asked == [2]


@pytest.mark.parametrize(
    ("workers", "seconds", "expected"),
    [(1, 1e6, False), (2, 0.0, False), (2, 1.0, False), (2, 60.0, True), (8, 60.0, True)],
)
def test_processes_are_worth_it_only_for_more_work_than_starting_them(
    workers: int, seconds: float, expected: bool
) -> None:
    assert worth_processes(workers, seconds) is expected
