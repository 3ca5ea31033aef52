"""A batch is the product of ODs x departures x scenarios; its rows match planning one by one."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

import corridor
from corridor.batch.parquet import write_parquet
from corridor.batch.queries import SCHEMA, BatchJob, run_batch, run_query
from corridor.routing.odset import ODPair, default_od_path, read_od_pairs
from corridor.routing.planner import plan
from corridor.routing.query import Query

CLOSE_ALASHANKOU = str(Path(__file__).parents[2] / "examples" / "alashankou-dostyk-closed.toml")
DEPARTS = (datetime(2026, 12, 1, tzinfo=UTC), datetime(2026, 12, 8, 6, tzinfo=UTC))


@pytest.fixture(scope="module")
def pairs() -> tuple[ODPair, ...]:
    return read_od_pairs(default_od_path(), corridor.load_network())[:4]


def test_tasks_are_the_cartesian_product_in_a_stable_order(pairs: tuple[ODPair, ...]) -> None:
    job = BatchJob(pairs, DEPARTS, scenarios=(CLOSE_ALASHANKOU,))
    tasks = job.tasks()
    assert len(tasks) == 2 * len(pairs) * len(DEPARTS)
    assert [t.scenario.label for t in tasks[:: len(tasks) // 2]] == [
        "baseline",
        "alashankou-dostyk-closed",
    ]
    keys = {(t.scenario.label, t.od_index, t.depart) for t in tasks}
    assert len(keys) == len(tasks)
    no_base = BatchJob(pairs, DEPARTS, scenarios=(CLOSE_ALASHANKOU,), baseline=False)
    assert {t.scenario.label for t in no_base.tasks()} == {"alashankou-dostyk-closed"}


def test_rows_equal_planning_each_query_directly(
    eurasia: corridor.Network, pairs: tuple[ODPair, ...]
) -> None:
    table = run_batch(BatchJob(pairs, DEPARTS), progress=False)
    assert table.schema.equals(SCHEMA)
    rows = table.to_pylist()
    expected: list[tuple[Any, ...]] = []
    for i, pair in enumerate(pairs):
        for depart in DEPARTS:
            result = plan(
                eurasia,
                Query(
                    pair.origin,
                    pair.destination,
                    depart=depart,
                    commodity=pair.commodity,
                    alternatives=0,
                ),
            )
            for rank, route in enumerate(result.routes, start=1):
                expected.append(
                    (
                        i,
                        depart,
                        rank,
                        route.pareto,
                        route.transit_hours,
                        route.cost_usd,
                        route.co2e_kg,
                        list(route.countries),
                    )
                )
    got = [
        (
            r["od_index"],
            r["depart"],
            r["route_rank"],
            r["pareto"],
            r["transit_hours"],
            r["cost_usd"],
            r["co2e_kg"],
            r["countries"],
        )
        for r in rows
    ]
    assert got == expected
    assert all(r["error"] is None for r in rows)


def test_a_failing_query_gives_one_row_with_the_error() -> None:
    job = BatchJob((ODPair("CN_XIA", "DE_DUI", "crude_oil"),), DEPARTS[:1], alternatives=0)
    rows = run_query(job.tasks()[0])
    assert len(rows) == 1
    assert rows[0]["error"] and "no route" in rows[0]["error"]
    assert rows[0].get("route_rank") is None


def test_a_scenario_changes_the_routes_it_should(pairs: tuple[ODPair, ...]) -> None:
    table = run_batch(
        BatchJob(pairs[:1], DEPARTS[:1], scenarios=(CLOSE_ALASHANKOU,)), progress=False
    )
    by_scenario: dict[str, list[str]] = {}
    for row in table.to_pylist():
        by_scenario.setdefault(row["scenario"], []).append(row["corridor"] or "")
    assert any("ALASHANKOU_DOSTYK" in c for c in by_scenario["baseline"])
    assert not any("ALASHANKOU_DOSTYK" in c for c in by_scenario["alashankou-dostyk-closed"])


def test_parquet_round_trip_keeps_rows_and_metadata(
    tmp_path: Path, pairs: tuple[ODPair, ...]
) -> None:
    table = run_batch(BatchJob(pairs[:2], DEPARTS[:1]), progress=False)
    target = write_parquet(table, tmp_path / "out.parquet", {"corridor.network": "eurasia"})
    back = pq.read_table(target)
    assert back.to_pylist() == table.to_pylist()
    assert back.schema.metadata[b"corridor.network"] == b"eurasia"


def test_local_processes_and_dask_give_the_local_table(
    dask_client: Any, pairs: tuple[ODPair, ...]
) -> None:
    job = BatchJob(pairs, DEPARTS, scenarios=(CLOSE_ALASHANKOU,))
    local = run_batch(job, progress=False)
    assert run_batch(job, workers=2, progress=False).equals(local)
    assert run_batch(job, scheduler=dask_client, progress=False).equals(local)
