"""What every benchmark section shares: options, the report of targets, timing helpers.

A section is `def section(options: Options, report: Report) -> None`; it prints its own table
(each figure beside the peer measured in the same run, as a ratio) and appends `Target`s.
Sections live in `benchmarks/bench_*.py` modules, each exporting `SECTIONS: dict[str, Section]`;
`run.py` collects them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Options:
    sizes: list[str]
    libraries: list[str]
    sources: int
    pairs: int
    budget_s: float
    seed: int
    scale_sizes: list[str] = field(default_factory=lambda: ["1k", "3k", "10k", "30k"])
    case_timeout_s: float = 120.0  # per case of the scale section


@dataclass(frozen=True)
class Target:
    """One performance target: what was measured, the bound, and whether it was met."""

    what: str
    measured: str
    bound: str
    met: bool | None  # None: not measured (skipped or failed)


@dataclass
class Report:
    targets: list[Target] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


Section = Callable[[Options, Report], None]


def timed(call: Callable[[], Any], repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return times


def skip(report: Report, what: str, bound: str, reason: str) -> None:
    print(f"{what}: skipped ({reason})")
    report.targets.append(Target(what, "skipped", bound, None))
