"""Solving the assignment LP with HiGHS and reading flows, utilization and shadow prices from it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Literal

import numpy as np
import numpy.typing as npt
from scipy.optimize import linprog

from corridor.assignment.columns import PathSolution, solve_by_paths
from corridor.assignment.costs import DEFAULT_VALUE_OF_TIME, UNSERVED_PENALTY
from corridor.assignment.model import AssignmentLP, CapacityRow, build_lp, capacity_rows
from corridor.assignment.paths import decompose, describe, merge
from corridor.assignment.result import AssignmentResult, Facility, ODAssignment, PathFlow
from corridor.errors import CorridorError, QueryError
from corridor.network.expanded import BORDER, MOVE
from corridor.network.model import Network
from corridor.routing.odset import ODPair

FloatArray = npt.NDArray[np.float64]


class _Solution:
    """The LP's primal values, duals and objective."""

    def __init__(self, z: FloatArray, duals: FloatArray, objective: float) -> None:
        self.z, self.duals, self.objective = z, duals, objective


def solve_lp(lp: AssignmentLP) -> _Solution:
    """Run HiGHS; the LP is always feasible (unserved columns) and bounded (costs >= 0)."""
    result = linprog(
        lp.c,
        A_ub=lp.a_ub if lp.a_ub.shape[0] else None,
        b_ub=lp.b_ub if lp.a_ub.shape[0] else None,
        A_eq=lp.a_eq,
        b_eq=lp.b_eq,
        bounds=(0, None),
        method="highs",
    )
    if result.status != 0:
        raise CorridorError(f"the assignment LP was not solved: {result.message}")
    duals = (
        np.asarray(result.ineqlin.marginals, dtype=np.float64) if lp.a_ub.shape[0] else np.zeros(0)
    )
    return _Solution(np.asarray(result.x, dtype=np.float64), duals, float(result.fun))


def assign(
    network: Network,
    demand: Sequence[ODPair],
    *,
    value_of_time: float = DEFAULT_VALUE_OF_TIME,
    unserved_penalty: float = UNSERVED_PENALTY,
    capacities: Sequence[CapacityRow] | None = None,
    formulation: Literal["paths", "arcs"] = "paths",
) -> AssignmentResult:
    """Assign weekly demand at least total generalized cost within every declared capacity.

    `value_of_time` is USD per TEU-hour; `unserved_penalty` USD per TEU left behind.
    `capacities` overrides the network's own (tests and what-if studies). `formulation` picks
    how the LP is solved: "paths" by column generation (`corridor.assignment.columns`, fast on
    thousands of OD rows), "arcs" as one arc-flow LP (`corridor.assignment.model`); both reach
    the same optimum.
    """
    if formulation not in ("paths", "arcs"):
        raise QueryError("formulation", f"expected paths or arcs, got {formulation!r}")
    if not value_of_time >= 0:
        raise QueryError("value_of_time", f"expected a number >= 0, got {value_of_time}")
    if not unserved_penalty > 0:
        raise QueryError("unserved_penalty", f"expected a number > 0, got {unserved_penalty}")
    for pair in demand:
        if pair.teu_per_week is None or not pair.teu_per_week > 0:
            raise QueryError("demand", f"{pair.label}: expected teu_per_week > 0")
        if network.commodity(pair.commodity).unit != "container":
            raise QueryError("demand", f"{pair.label}: assignment needs a container commodity")
    if formulation == "paths":
        caps = tuple(capacity_rows(network) if capacities is None else capacities)
        paths = solve_by_paths(
            network,
            demand,
            caps,
            value_of_time=value_of_time,
            unserved_penalty=unserved_penalty,
        )
        return _read_paths(network, demand, caps, paths, value_of_time, unserved_penalty)
    lp = build_lp(
        network,
        demand,
        value_of_time=value_of_time,
        unserved_penalty=unserved_penalty,
        capacities=capacities,
    )
    solution = solve_lp(lp)
    return _read_result(network, lp, solution, value_of_time, unserved_penalty)


def _read_paths(
    network: Network,
    demand: Sequence[ODPair],
    caps: Sequence[CapacityRow],
    solution: PathSolution,
    value_of_time: float,
    unserved_penalty: float,
) -> AssignmentResult:
    total = np.zeros(network.graph.n_edges)
    served: dict[int, tuple[float, list[PathFlow]]] = {}
    for sink, flows in zip(solution.sinks, solution.flows, strict=True):
        found: list[PathFlow] = []
        for path, amount in zip(sink.paths, flows.tolist(), strict=True):
            if amount <= 1e-7:
                continue
            np.add.at(total, np.array(path, dtype=np.int64), amount)
            found.append(describe(network, list(path), amount, sink.costs))
        delivered = min(sink.demand, float(flows.sum()))
        for k in sink.pairs:  # duplicate OD rows share their sink in proportion to demand
            share = (demand[k].teu_per_week or 0.0) / sink.demand if sink.demand else 0.0
            served[k] = (delivered * share, [replace(p, teu=p.teu * share) for p in found])
    return _result(
        network, demand, caps, served, total, solution.duals, solution.objective,
        value_of_time, unserved_penalty,
    )  # fmt: skip


def _read_result(
    network: Network,
    lp: AssignmentLP,
    solution: _Solution,
    value_of_time: float,
    unserved_penalty: float,
) -> AssignmentResult:
    g = network.graph
    z = np.maximum(solution.z, 0.0)
    total = np.zeros(g.n_edges)
    served: dict[int, tuple[float, list[PathFlow]]] = {}
    for block in lp.blocks:
        flow = np.zeros(g.n_edges)
        flow[block.edges] = z[block.x]
        total += flow
        inject = dict(zip(block.origin_vertices.tolist(), z[block.s].tolist(), strict=True))
        absorb: dict[int, float] = {}
        sink_of: dict[int, int] = {}
        for i, sink in enumerate(block.sinks):
            absorb.update(zip(sink.vertices.tolist(), z[sink.t].tolist(), strict=True))
            sink_of.update(dict.fromkeys(sink.vertices.tolist(), i))
        paths: list[list[PathFlow]] = [[] for _ in block.sinks]
        for edges, amount in decompose(network, flow, inject, absorb):
            paths[sink_of[int(g.dst[edges[-1]])]].append(
                describe(network, edges, amount, block.costs)
            )
        for sink, found in zip(block.sinks, paths, strict=True):
            delivered = min(sink.demand, float(z[sink.t].sum()))
            for k in sink.pairs:  # duplicate OD rows share their sink in proportion to demand
                share = (lp.demand[k].teu_per_week or 0.0) / sink.demand if sink.demand else 0.0
                served[k] = (delivered * share, [replace(p, teu=p.teu * share) for p in found])
    return _result(
        network, lp.demand, lp.capacities, served, total, solution.duals, solution.objective,
        value_of_time, unserved_penalty,
    )  # fmt: skip


def _result(
    network: Network,
    demand: Sequence[ODPair],
    caps: Sequence[CapacityRow],
    served: dict[int, tuple[float, list[PathFlow]]],
    total: FloatArray,
    duals: FloatArray,
    objective: float,
    value_of_time: float,
    unserved_penalty: float,
) -> AssignmentResult:
    """The result from each OD row's served TEU and paths, and the flow on every edge."""
    ods = [
        ODAssignment(
            pair.origin,
            pair.destination,
            pair.commodity,
            float(pair.teu_per_week or 0.0),
            served[k][0],
            merge(served[k][1]),
        )
        for k, pair in enumerate(demand)
    ]
    constraints = tuple(
        Facility(
            cap.kind,
            cap.facility_id,
            cap.name,
            cap.direction,
            _mode_of(network, cap),
            float(total[cap.edges].sum()),
            cap.capacity,
            max(0.0, -float(duals[i])),
        )
        for i, cap in enumerate(caps)
    )
    return AssignmentResult(
        network=f"{network.name} {network.version}",
        value_of_time_usd_per_teu_h=value_of_time,
        unserved_penalty_usd_per_teu=unserved_penalty,
        objective_usd=objective,
        od=tuple(ods),
        links=_link_loads(network, total, caps),
        crossings=_crossing_loads(network, total, caps),
        constraints=constraints,
    )


def _mode_of(network: Network, cap: CapacityRow) -> str:
    g = network.graph
    if len(cap.edges) == 0:
        return ""
    e = int(cap.edges[0])
    if g.kind[e] == MOVE:
        return network.links[int(g.ref[e])].mode
    return network.transfers[int(g.ref[e])].kind


def _tightest(caps: Sequence[CapacityRow]) -> dict[int, float]:
    """The smallest capacity on each single edge (link and service rows)."""
    tight: dict[int, float] = {}
    for cap in caps:
        if cap.kind == "terminal":
            continue
        for e in cap.edges.tolist():
            tight[e] = min(tight.get(e, np.inf), cap.capacity)
    return tight


def _link_loads(
    network: Network, total: FloatArray, caps: Sequence[CapacityRow]
) -> tuple[Facility, ...]:
    g = network.graph
    tight = _tightest(caps)
    loads = []
    for e in np.flatnonzero(g.kind == MOVE).tolist():
        capacity = tight.get(e)
        if total[e] <= 1e-9 and capacity is None:
            continue
        link = network.links[int(g.ref[e])]
        a, b = (link.to_node, link.from_node) if g.reverse[e] else (link.from_node, link.to_node)
        loads.append(
            Facility(
                "link", link.link_id, link.link_id, f"{a}→{b}", link.mode, float(total[e]), capacity
            )
        )
    return tuple(sorted(loads, key=lambda f: (f.facility_id, f.direction)))


def _crossing_loads(
    network: Network, total: FloatArray, caps: Sequence[CapacityRow]
) -> tuple[Facility, ...]:
    g = network.graph
    tight = _tightest(caps)
    move_of = {(int(g.ref[e]), bool(g.reverse[e])): int(e) for e in np.flatnonzero(g.kind == MOVE)}
    loads = []
    for e in np.flatnonzero(g.kind == BORDER).tolist():
        d = g.crossing_directions[int(g.crossdir[e])]
        capacity = tight.get(move_of[(d.link, d.reverse)])
        if total[e] <= 1e-9 and capacity is None:
            continue
        link = network.links[d.link]
        a, b = (link.to_node, link.from_node) if d.reverse else (link.from_node, link.to_node)
        direction = f"{network.node(a).country}→{network.node(b).country}"
        loads.append(
            Facility(
                "crossing", d.crossing_id, d.name, direction, link.mode, float(total[e]), capacity
            )
        )
    return tuple(sorted(loads, key=lambda f: (f.facility_id, f.direction)))
