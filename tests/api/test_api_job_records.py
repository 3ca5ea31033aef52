"""The job runner's finished records: bounded in number and in the bytes of their results."""

from __future__ import annotations

import gc
import json
import time
import weakref
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corridor.api import Settings
from corridor.api.jobs import JobRunner
from corridor.errors import CorridorError


def _run_all(runner: JobRunner, results: list[Any]) -> list[str]:
    """Submit one job per result, each after the previous one finished; their ids."""
    ids = []
    for result in results:
        job_id = runner.submit("test", lambda progress, r=result: r)
        ids.append(job_id)
        deadline = time.monotonic() + 10
        while (record := runner.get(job_id)) is not None and record["status"] != "done":
            assert time.monotonic() < deadline
            time.sleep(0.001)
    return ids


@settings(max_examples=25, deadline=None)
@given(
    sizes=st.lists(st.integers(0, 3000), min_size=1, max_size=15),
    keep=st.integers(1, 20),
    keep_bytes=st.integers(0, 8000),
)
def test_finished_results_are_dropped_oldest_first_to_stay_within_count_and_bytes(
    sizes: list[int], keep: int, keep_bytes: int
) -> None:
    runner = JobRunner(keep=keep, keep_bytes=keep_bytes)
    try:
        results = [{"payload": "x" * n} for n in sizes]
        ids = _run_all(runner, results)
    finally:
        runner.shutdown()
    held = [i for i in ids if runner.get(i) is not None]
    assert held and held[-1] == ids[-1]  # the job that just finished is always there
    assert held == ids[len(ids) - len(held) :]  # the oldest go first
    older = [len(json.dumps(results[ids.index(i)], separators=(",", ":"))) for i in held[:-1]]
    assert len(held) <= keep and sum(older) <= keep_bytes
    if len(held) < len(ids):  # something was dropped: a bound was reached on the way
        largest = max(len(json.dumps(r, separators=(",", ":"))) for r in results)
        assert len(held) == keep or sum(older) + largest > keep_bytes


@pytest.mark.parametrize("value", [-1, True, 1.5, 5 * 2**30])
def test_the_job_results_budget_has_a_range(value: object) -> None:
    with pytest.raises(CorridorError, match="job_results_bytes"):
        Settings(job_results_bytes=value)  # type: ignore[arg-type]


def test_a_finished_record_answers_its_result_as_it_was_when_the_job_ended() -> None:
    runner = JobRunner()
    result: dict[str, Any] = {"ods": [{"origin": "Almaty", "days": 11.5, "tags": ["a", "b"]}]}
    try:
        (job_id,) = _run_all(runner, [result])
    finally:
        runner.shutdown()
    result["ods"][0]["days"] = 99.0  # the job's own objects change later: the record does not
    record = runner.get(job_id)
    assert record is not None
    assert record["result"] == {"ods": [{"origin": "Almaty", "days": 11.5, "tags": ["a", "b"]}]}
    assert runner.get(job_id) == record


def test_a_result_that_json_cannot_carry_is_still_answered() -> None:
    runner = JobRunner()
    odd = {"at": object()}
    try:
        (job_id,) = _run_all(runner, [odd])
    finally:
        runner.shutdown()
    record = runner.get(job_id)
    assert record is not None and record["result"] is odd


class _Result(dict[str, Any]):
    """A result the test can hold weakly (a plain dict cannot be)."""


def test_a_finished_record_does_not_keep_the_objects_of_its_result() -> None:
    runner = JobRunner()
    result = _Result(ods=[{"origin": "Almaty", "days": 11.5}])
    kept = weakref.ref(result)
    try:
        (job_id,) = _run_all(runner, [result])
    finally:
        runner.shutdown()
    del result
    gc.collect()
    assert kept() is None
    record = runner.get(job_id)
    assert record is not None and record["result"] == {"ods": [{"origin": "Almaty", "days": 11.5}]}
