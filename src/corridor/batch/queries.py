"""A batch job: every OD pair x departure x scenario, planned, one output row per route.

Each query is a small picklable `QueryTask` that names its network by `NetworkSpec`, so workers
open (and cache) the network themselves. A query that fails (no route, a bad place) gives one
row whose `error` says why and whose route columns are null; the batch itself carries on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pyarrow as pa

from corridor.batch.executor import map_tasks
from corridor.batch.parquet import SCHEMA as ROUTE_SCHEMA
from corridor.batch.parquet import route_row
from corridor.batch.spec import NetworkSpec
from corridor.errors import CorridorError
from corridor.network.lines import path_line
from corridor.reliability.montecarlo import simulate
from corridor.routing.odset import ODPair
from corridor.routing.planner import plan
from corridor.routing.query import CRITERIA, Cargo, Query

BASELINE = "baseline"

# one row per route (P50/P90, WTW/TTW, list columns, WKB geometry): see corridor.batch.parquet
SCHEMA = ROUTE_SCHEMA
RELIABILITY_SAMPLES = 1_000  # Monte Carlo samples per route for the P50/P90/P95 columns


@dataclass(frozen=True)
class ScenarioCase:
    """One value of the scenario axis: its label and the network it plans on."""

    label: str
    network: NetworkSpec


@dataclass(frozen=True)
class QueryTask:
    """One query of the batch, with everything a worker needs to run it."""

    od_index: int
    pair: ODPair
    depart: datetime
    scenario: ScenarioCase
    cargo: Cargo = field(default_factory=Cargo)
    criteria: tuple[str, ...] = CRITERIA
    alternatives: int = 0
    thin: bool = True
    samples: int = RELIABILITY_SAMPLES  # 0: no P50/P90/P95
    seed: int = 0


@dataclass(frozen=True)
class BatchJob:
    """The cartesian product of OD pairs, departures and scenarios, with shared query options.

    `scenarios` are scenario files, each applied alone to `network`; the baseline (no scenario)
    comes first unless `baseline=False`.
    """

    pairs: tuple[ODPair, ...]
    departs: tuple[datetime, ...]
    network: str | None = None
    scenarios: tuple[str, ...] = ()
    baseline: bool = True
    cargo: Cargo = field(default_factory=Cargo)
    criteria: tuple[str, ...] = CRITERIA
    alternatives: int = 0
    thin: bool = True

    def scenario_axis(self) -> tuple[ScenarioCase, ...]:
        axis = [ScenarioCase(BASELINE, NetworkSpec(self.network))] if self.baseline else []
        for file in self.scenarios:
            spec = NetworkSpec(self.network, (file,))
            axis.append(ScenarioCase(spec.label(), spec))
        return tuple(axis)

    def tasks(self) -> list[QueryTask]:
        """Every query, ordered by scenario, then OD pair, then departure."""
        return [
            QueryTask(
                i, pair, depart, scenario, self.cargo, self.criteria, self.alternatives, self.thin
            )
            for scenario in self.scenario_axis()
            for i, pair in enumerate(self.pairs)
            for depart in self.departs
        ]


def run_query(task: QueryTask) -> list[dict[str, Any]]:
    """Plan one query; its routes as rows of `SCHEMA`, or one row with the error."""
    head: dict[str, Any] = {
        "od_index": task.od_index,
        "origin": task.pair.origin,
        "destination": task.pair.destination,
        "commodity": task.pair.commodity,
        "depart": task.depart,
        "scenario": task.scenario.label,
    }
    try:
        network = task.scenario.network.open()
        result = plan(
            network,
            Query(
                task.pair.origin,
                task.pair.destination,
                depart=task.depart,
                cargo=task.cargo,
                commodity=task.pair.commodity,
                criteria=task.criteria,
                alternatives=task.alternatives,
                thin=task.thin,
            ),
        )
    except CorridorError as exc:
        return [{**head, "error": str(exc).splitlines()[0]}]
    rows = []
    for rank, route in enumerate(result.routes, start=1):
        distribution = (
            simulate(network, route, samples=task.samples, seed=task.seed) if task.samples else None
        )
        rows.append(route_row(head, rank, route, distribution, path_line(network, route.nodes)))
    return rows


def to_table(rows: Sequence[dict[str, Any]]) -> pa.Table:
    """Rows (as `run_query` gives them) as an Arrow table of `SCHEMA`; missing keys are null."""
    return pa.Table.from_pylist(
        [{name: row.get(name) for name in SCHEMA.names} for row in rows], schema=SCHEMA
    )


def run_batch(
    job: BatchJob,
    *,
    workers: int = 1,
    scheduler: Any = None,
    progress: bool = True,
) -> pa.Table:
    """Run every query of `job` (see `map_tasks` for `workers`/`scheduler`) into one table."""
    tasks = job.tasks()
    results = map_tasks(
        run_query,
        tasks,
        workers=workers,
        scheduler=scheduler,
        description=f"{len(tasks)} queries",
        progress=progress,
    )
    return to_table([row for rows in results for row in rows])
