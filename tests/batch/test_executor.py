"""map_tasks gives `[fn(x) for x in items]`, in order, here, on local processes and on Dask."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corridor.batch import executor
from corridor.batch.executor import _chunks, map_tasks
from corridor.errors import CorridorError

ITEMS = list(range(0, 400, 3))
EXPECTED = [math.factorial(x) for x in ITEMS]


@settings(max_examples=60)
@given(st.lists(st.integers(), max_size=300), st.integers(min_value=1, max_value=64))
def test_chunks_cover_the_items_in_order_and_split_for_every_worker(
    items: list[int], workers: int
) -> None:
    chunks = _chunks(items, workers)
    assert [x for chunk in chunks for x in chunk] == items
    assert all(chunks)
    if len(items) >= workers:
        assert len(chunks) >= workers


@settings(max_examples=40)
@given(st.lists(st.integers(min_value=0, max_value=200), max_size=60))
def test_in_process_run_equals_a_list_comprehension(items: list[int]) -> None:
    assert map_tasks(math.factorial, items, progress=False) == [math.factorial(x) for x in items]


def test_local_processes_return_results_in_item_order() -> None:
    assert map_tasks(math.factorial, ITEMS, workers=2, progress=False) == EXPECTED


def test_progress_callback_counts_up_to_the_total() -> None:
    seen: list[tuple[int, int]] = []
    map_tasks(math.factorial, ITEMS, workers=2, on_progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (len(ITEMS), len(ITEMS))
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_an_exception_in_a_worker_propagates() -> None:
    with pytest.raises(ValueError):
        map_tasks(math.sqrt, [4.0, -1.0, 9.0], progress=False)
    with pytest.raises(ValueError):
        map_tasks(math.sqrt, [4.0, -1.0, 9.0] * 5, workers=2, progress=False)


def test_no_items_give_no_results_without_starting_workers() -> None:
    assert map_tasks(math.factorial, [], workers=4, scheduler="tcp://0.0.0.0:1") == []


@pytest.mark.parametrize("workers", [0, -1, True])
def test_a_bad_worker_count_is_a_typed_error(workers: Any) -> None:
    with pytest.raises(CorridorError, match="workers"):
        map_tasks(math.factorial, [1], workers=workers)


def test_dask_cluster_results_equal_the_local_run(dask_client: Any) -> None:
    local = map_tasks(math.factorial, ITEMS, progress=False)
    assert map_tasks(math.factorial, ITEMS, scheduler=dask_client, progress=False) == local
    address = dask_client.scheduler.address
    assert map_tasks(math.factorial, ITEMS, scheduler=address, progress=False) == local


def test_an_unreachable_scheduler_is_a_typed_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(executor, "CONNECT_TIMEOUT", "1s")
    with pytest.raises(CorridorError, match="scheduler"):
        map_tasks(math.factorial, [1], scheduler="tcp://127.0.0.1:9", progress=False)
