"""A batch job: every OD pair x departure x scenario, planned, one output row per route.

Each query is a small picklable `QueryTask` that names its network by `NetworkSpec`, so workers
open (and cache) the network themselves. A query that fails (no route, a bad place) gives one
row whose `error` says why and whose route columns are null; the batch itself carries on.
Each query's rows hold its exact fastest, cheapest and lowest-CO2e routes (single-criterion
searches add any that thinning dropped), so per-query minima are exact in every scenario.
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
from corridor.network.geojson import route_coordinates
from corridor.network.model import Network
from corridor.reliability.montecarlo import simulate
from corridor.routing.odset import ODPair
from corridor.routing.planner import plan
from corridor.routing.query import CRITERIA, Cargo, Query
from corridor.routing.result import Route
from corridor.scenarios.optima import searches_for

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
    routes = result.routes + _missing_optima(network, task, result.routes)
    for rank, route in enumerate(routes, start=1):
        distribution = (
            simulate(network, route, samples=task.samples, seed=task.seed) if task.samples else None
        )
        line = [(lon, lat) for lon, lat in route_coordinates(network, route)]
        rows.append(route_row(head, rank, route, distribution, line))
    return rows


def _identity(route: Route) -> tuple[object, ...]:
    legs = tuple(leg.ref for leg in route.legs if leg.kind != "wait")
    return (legs, round(route.transit_hours, 6), round(route.cost_usd, 6), round(route.co2e_kg, 6))


def _missing_optima(
    network: Network, task: QueryTask, routes: Sequence[Route]
) -> tuple[Route, ...]:
    """Each criterion's exact optimum (fastest, cheapest, lowest CO2e) that `routes` lack.

    Thinning may drop an extreme by a few percent; these rows put it back (`pareto` true: a
    single-criterion optimum, ties broken by the other criteria, is Pareto-optimal), so the
    least transit hours, cost and CO2e over a query's rows are always exact.
    """
    search = searches_for(network).od(
        task.pair.origin, task.pair.destination, task.pair.commodity, task.cargo, task.depart
    )
    if search is None:
        return ()
    have = {_identity(r) for r in routes}
    extra: list[Route] = []
    for criterion in CRITERIA:
        best = search.best_route(criterion)
        if best is not None and _identity(best) not in have:
            have.add(_identity(best))
            extra.append(best)
    return tuple(extra)


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
