"""scripts/soak.py: its smoke mode against the real `corridor serve`, and its memory slope."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from repo_scripts import load_script

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "soak.py"


@pytest.fixture(scope="module")
def soak() -> ModuleType:
    return load_script("soak")


def database(soak: ModuleType) -> str:
    """PostgreSQL where it is installed (required in CI), else SQLite (no database crash)."""
    if soak.pg_bindir() is not None:
        return "postgresql"
    if os.environ.get("CORRIDOR_REQUIRE_SERVICES"):
        pytest.fail(
            "PostgreSQL (initdb, pg_ctl) is required where CORRIDOR_REQUIRE_SERVICES is set"
        )
    return "sqlite"


# what the soak checks that does not hang on timing: the timed checks (health latency, the
# burst's budget, how soon slow sockets are closed, resets from late keep-alive closes, memory
# slope) are figures for `make soak` on a quiet machine, not assertions for a shared CI runner
FUNCTIONAL = (
    "shipments_kept",
    "jobs_accounted",
    "no_unexpected_5xx",
    "no_hangs",
    "malformed_refused",
    "no_tracebacks",
    "recovered",
    "connection_cap_answers_503",
)


def test_the_smoke_soak_survives_crashes_and_loses_nothing(
    soak: ModuleType, tmp_path: Path
) -> None:
    db = database(soak)
    paths = [str(ROOT / "src"), *filter(None, [os.environ.get("PYTHONPATH")])]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--smoke", "--db", db, "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
        cwd=ROOT,
    )
    assert (tmp_path / "report.json").exists(), done.stdout[-4000:] + done.stderr
    report = json.loads((tmp_path / "report.json").read_text())
    failed = [name for name in FUNCTIONAL if not report["checks"][name]]
    assert not failed, f"{failed}\n{done.stdout[-4000:]}{done.stderr}"
    assert report["shipments"]["acknowledged"] > 0 and report["jobs"]["accepted"] > 0
    crashes = {crash["what"] for crash in report["crashes"]}
    assert "worker" in crashes and ("db" in crashes) == (db == "postgresql")
    assert report["requests"]["heavy"]["2xx"] > 0 and report["traceback_count"] == 0
    assert done.returncode == (0 if report["passed"] else 1)


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.floats(-1e3, 1e3), min_size=8, max_size=40),
    st.floats(-50, 50),
    st.floats(0.0, 0.7),
)
def test_the_memory_slope_is_the_least_squares_fit_after_the_warm_up(
    soak: ModuleType, noise: list[float], mb_per_min: float, after: float
) -> None:
    times = [30.0 * i for i in range(len(noise))]
    samples = [
        (t, int(2e8 + mb_per_min * 1e6 * t / 60 + n * 1e3))
        for t, n in zip(times, noise, strict=True)
    ]
    start = times[0] + (times[-1] - times[0]) * after
    tail = [(t, r) for t, r in samples if t >= start]
    expected = np.polyfit([t for t, _ in tail], [r for _, r in tail], 1)[0] * 60 / 1e6
    assert soak.slope_mb_per_min(samples, after) == pytest.approx(expected, abs=1e-6)


def _plan(soak: ModuleType, *argv: str) -> Any:
    return soak.parse_plan(["--minutes", "30", *argv])


def test_a_worker_that_rises_while_warming_and_then_holds_is_flat(soak: ModuleType) -> None:
    log = soak.Log()
    rise = [(10.0 * i, int(2e8 + 3e8 * min(1.0, i / 30))) for i in range(120)]  # 5 min rise
    log.rss[1] = rise  # 20 minutes in all: the second half is level
    log.roles[1] = "worker"
    rows, flat = soak.memory_table(_plan(soak), log)
    assert flat and rows[0]["judged"] and abs(rows[0]["slope_mb_min"]) < 1e-9


def test_a_worker_still_climbing_when_warm_is_not_flat(soak: ModuleType) -> None:
    log = soak.Log()
    log.rss[1] = [(10.0 * i, int(2e8 + 2e6 * i / 6)) for i in range(120)]  # 2 MB/min
    log.roles[1] = "worker"
    _rows, flat = soak.memory_table(_plan(soak), log)
    assert not flat


def test_no_worker_living_long_enough_fails_the_memory_check(soak: ModuleType) -> None:
    log = soak.Log()
    log.rss[1] = [(10.0 * i, int(2e8)) for i in range(12)]  # 2 minutes, perfectly level
    log.roles[1] = "worker"
    rows, flat = soak.memory_table(_plan(soak), log)
    assert not flat and not rows[0]["judged"]
    _rows, flat = soak.memory_table(_plan(soak, "--fit-minutes", "1"), log)
    assert flat


def _worker(log: Any, pid: int, samples: list[tuple[float, int]]) -> None:
    log.rss[pid] = samples
    log.roles[pid] = "worker"


def _level(mb: float, minutes: float, start_s: float = 0.0) -> list[tuple[float, int]]:
    return [(start_s + 10.0 * i, int(mb * 1e6)) for i in range(int(minutes * 6) + 1)]


def test_a_worker_killed_while_warming_is_judged_by_the_level_it_reached(
    soak: ModuleType,
) -> None:
    log = soak.Log()
    _worker(log, 1, [(10.0 * i, int(3e8 + 2e6 * i / 6)) for i in range(43)])  # 2 MB/min, 7 min
    _worker(log, 2, _level(330.0, 18, start_s=700.0))  # serving at the end, level
    rows, flat = soak.memory_table(_plan(soak), log)
    assert flat
    assert [row["judged"] for row in rows] == ["level", "slope"]


def test_a_killed_worker_that_ended_above_the_last_workers_level_is_not_flat(
    soak: ModuleType,
) -> None:
    log = soak.Log()
    _worker(log, 1, _level(345.0, 7))  # killed at 7 minutes, 15 MB above where the last settled
    _worker(log, 2, _level(330.0, 18, start_s=700.0))
    rows, flat = soak.memory_table(_plan(soak), log)
    assert not flat and not rows[0]["ok"]
    _rows, flat = soak.memory_table(_plan(soak, "--level-margin", "20"), log)
    assert flat


def test_killed_workers_alone_cannot_make_memory_flat(soak: ModuleType) -> None:
    log = soak.Log()
    _worker(log, 1, _level(300.0, 7))
    _worker(log, 2, _level(300.0, 2, start_s=600.0))  # serving at the end, too young to judge
    rows, flat = soak.memory_table(_plan(soak), log)
    assert not flat and [row["judged"] for row in rows] == ["level", ""]
