"""The assignment LP by path columns: a restricted master LP over paths, priced by Dijkstra.

The arc formulation (`corridor.assignment.model`) has one flow column per edge per source
block; with 3,000 OD rows on the bundled network that is two million columns. Here each
destination of a block (a sink: one (origin, commodity, destination) with its summed demand)
gets columns only for paths it may use, generated as needed:

    minimize    sum_p c_p f_p + penalty * sum_k u_k
    subject to  sum_{p of k} f_p + u_k = demand_k        (dual pi_k)
                sum_p a_rp f_p <= capacity_r             (dual mu_r <= 0)

where c_p is the path's generalized cost per TEU and a_rp counts the path's edges in facility
r. After each solve, a path's reduced cost is sum_e (c_e - sum_{r on e} mu_r) - pi_k; one
Dijkstra per (origin, commodity, destination country) with edge weights c_e - sum mu_r
(non-negative, since mu <= 0) finds the least for every sink at once, and paths below zero
join the master. When none is found the master's optimum is the full LP's optimum: every arc
flow decomposes into paths (cycles cost nothing or more), and no path improves it. The first
round prices with mu = 0, i.e. every sink starts with its cheapest path, so without binding
capacities one solve suffices. Dijkstra is the engine's (`corridor.routing.shortest`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.optimize import linprog

from corridor.assignment.costs import EdgeCosts, edge_costs
from corridor.assignment.model import CapacityRow, group_demand
from corridor.errors import CorridorError
from corridor.network.model import Network
from corridor.routing.odset import ODPair
from corridor.routing.shortest import CSRGraph

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
MAX_ROUNDS = 500
REDUCED_COST_TOLERANCE = 1e-7  # relative to the sink's dual (USD per TEU)


@dataclass(eq=False)
class PathSink:
    """One destination of one source block, and the path columns it has so far."""

    index: int  # its row in the master LP
    origin: str
    destination: str
    costs: EdgeCosts
    targets: IntArray  # the destination node's vertices
    demand: float
    pairs: tuple[int, ...]  # indices into the demand of the OD rows it serves
    paths: list[tuple[int, ...]] = field(default_factory=list)
    columns: list[tuple[float, IntArray, FloatArray]] = field(default_factory=list)


@dataclass(frozen=True, eq=False)
class PathSolution:
    """The optimum: each sink's path flows (TEU/week), the capacity duals and the objective."""

    sinks: tuple[PathSink, ...]
    flows: tuple[FloatArray, ...]  # per sink, per path
    duals: FloatArray  # per capacity row, <= 0
    objective: float
    rounds: int


@dataclass(frozen=True, eq=False)
class _Graph:
    """One commodity's allowed edges as CSR over vertices, with a last row left for a virtual
    source (filled per origin), ready for the engine's Dijkstra."""

    costs: EdgeCosts
    edges: IntArray  # graph edge of each CSR arc
    indptr: IntArray  # n_vertices + 2 entries
    heads: npt.NDArray[np.int32]


@dataclass(frozen=True, eq=False)
class _Block:
    """Sinks that share an origin, a commodity and a destination country: one Dijkstra."""

    sources: npt.NDArray[np.int32]
    graph: _Graph
    sinks: tuple[PathSink, ...]


def solve_by_paths(
    network: Network,
    demand: Sequence[ODPair],
    capacities: Sequence[CapacityRow],
    *,
    value_of_time: float,
    unserved_penalty: float,
) -> PathSolution:
    """The assignment LP's optimum by column generation (see the module docstring)."""
    blocks = _blocks(network, demand, value_of_time)
    sinks = tuple(s for b in blocks for s in b.sinks)
    rows_of = _rows_of_edge(capacities)
    incidence = _incidence(network.graph.n_edges, rows_of, len(capacities))
    duals = np.zeros(len(capacities))
    pi: FloatArray | None = None  # no duals before the first solve: take the cheapest paths
    flows: tuple[FloatArray, ...] = ()
    objective = 0.0
    for rounds in range(1, MAX_ROUNDS + 1):
        # capacity duals are <= 0: each capped edge costs more by what its capacity is worth
        surcharge = -(incidence @ np.minimum(duals, 0.0))
        weights = {id(b.graph): b.graph.costs.generalized + surcharge for b in blocks}
        added = sum(_price(network, b, weights[id(b.graph)], pi, rows_of) for b in blocks)
        if pi is not None and not added:
            return PathSolution(sinks, flows, duals, objective, rounds - 1)
        flows, pi, duals, objective = _master(sinks, len(capacities), capacities, unserved_penalty)
    raise CorridorError(f"the assignment did not converge in {MAX_ROUNDS} pricing rounds")


def _blocks(network: Network, demand: Sequence[ODPair], value_of_time: float) -> list[_Block]:
    g = network.graph
    graphs: dict[tuple[str, str], _Graph] = {}

    def vertices(node: str) -> IntArray:
        return np.array(g.vertices_of_node[network.node_index[node]], dtype=np.int64)

    blocks: list[_Block] = []
    count = 0
    for (origin, commodity, country), by_destination in group_demand(network, demand).items():
        if (commodity, country) not in graphs:
            costs = edge_costs(network, commodity, value_of_time, country)
            graphs[commodity, country] = _graph(network, costs)
        graph = graphs[commodity, country]
        sinks = tuple(
            PathSink(
                count + i,
                origin,
                destination,
                graph.costs,
                vertices(destination),
                float(sum(demand[k].teu_per_week or 0.0 for k in rows)),
                tuple(rows),
            )
            for i, (destination, rows) in enumerate(by_destination.items())
        )
        count += len(sinks)
        blocks.append(_Block(vertices(origin).astype(np.int32), graph, sinks))
    return blocks


def _graph(network: Network, costs: EdgeCosts) -> _Graph:
    g = network.graph
    edges = np.flatnonzero(costs.allowed).astype(np.int64)
    edges = edges[np.argsort(g.src[edges], kind="stable")]
    n = g.n_vertices
    indptr = np.zeros(n + 2, dtype=np.int64)
    np.cumsum(np.bincount(g.src[edges], minlength=n), out=indptr[1 : n + 1])
    indptr[n + 1] = indptr[n]
    return _Graph(costs, edges, indptr, g.dst[edges].astype(np.int32))


def _rows_of_edge(capacities: Sequence[CapacityRow]) -> dict[int, list[int]]:
    """The capacity rows that count each capped edge (an edge may be in several)."""
    rows: dict[int, list[int]] = {}
    for r, cap in enumerate(capacities):
        for e in cap.edges.tolist():
            rows.setdefault(int(e), []).append(r)
    return rows


def _incidence(n_edges: int, rows_of: dict[int, list[int]], n_rows: int) -> sp.csr_array:
    pairs = [(e, r) for e, rows in rows_of.items() for r in rows]
    edges = np.array([e for e, _ in pairs], dtype=np.int64)
    rows = np.array([r for _, r in pairs], dtype=np.int64)
    return sp.csr_array((np.ones(len(pairs)), (edges, rows)), shape=(n_edges, n_rows))


def _price(
    network: Network,
    block: _Block,
    weights: FloatArray,
    pi: FloatArray | None,
    rows_of: dict[int, list[int]],
) -> int:
    """Add each sink's least reduced-cost path when it is negative (or, without duals yet, its
    cheapest path); returns how many paths were added."""
    graph = block.graph
    n = len(graph.indptr) - 2
    indptr = graph.indptr.copy()
    indptr[-1] += len(block.sources)
    csr = CSRGraph(
        indptr=indptr,
        indices=np.concatenate([graph.heads, block.sources]),
        weights=np.concatenate([weights[graph.edges], np.zeros(len(block.sources))]),
    )
    dist, pred = csr.one_to_all_with_pred(n)
    added = 0
    for sink in block.sinks:
        end = int(sink.targets[np.argmin(dist[sink.targets])])
        if not np.isfinite(dist[end]):
            continue
        if pi is not None:
            bar = float(pi[sink.index])
            if dist[end] >= bar - REDUCED_COST_TOLERANCE * max(1.0, abs(bar)):
                continue
        path = _edges_back(network, graph.costs, weights, pred, end, n)
        if path in sink.paths:
            continue
        sink.paths.append(path)
        sink.columns.append(_column(path, sink.costs, rows_of))
        added += 1
    return added


def _column(
    path: tuple[int, ...], costs: EdgeCosts, rows_of: dict[int, list[int]]
) -> tuple[float, IntArray, FloatArray]:
    """A path's cost per TEU and its coefficients in the capacity rows."""
    counts: dict[int, float] = {}
    for e in path:
        for r in rows_of.get(e, ()):
            counts[r] = counts.get(r, 0.0) + 1.0
    cost = float(costs.generalized[np.array(path, dtype=np.int64)].sum()) if path else 0.0
    rows = np.array(list(counts), dtype=np.int64)
    return cost, rows, np.array(list(counts.values()), dtype=np.float64)


def _edges_back(
    network: Network,
    costs: EdgeCosts,
    weights: FloatArray,
    pred: npt.NDArray[np.int32],
    end: int,
    virtual: int,
) -> tuple[int, ...]:
    """The graph edges of the tree path to `end`: between consecutive vertices, the allowed
    edge of least weight (ties to the lower edge id)."""
    g = network.graph
    out: list[int] = []
    v = end
    while int(pred[v]) != virtual:
        u = int(pred[v])
        lo, hi = int(g.indptr[u]), int(g.indptr[u + 1])
        candidates = [e for e in range(lo, hi) if int(g.dst[e]) == v and costs.allowed[e]]
        out.append(min(candidates, key=lambda e: (weights[e], e)))
        v = u
    out.reverse()
    return tuple(out)


def _master(
    sinks: tuple[PathSink, ...],
    n_rows: int,
    capacities: Sequence[CapacityRow],
    penalty: float,
) -> tuple[tuple[FloatArray, ...], FloatArray, FloatArray, float]:
    """Solve the restricted master: path flows, sink duals, capacity duals, objective."""
    cost: list[float] = []
    eq_rows: list[int] = []
    ub_rows: list[IntArray] = [np.zeros(0, dtype=np.int64)]
    ub_cols: list[IntArray] = [np.zeros(0, dtype=np.int64)]
    ub_vals: list[FloatArray] = [np.zeros(0)]
    starts = []
    for sink in sinks:
        starts.append(len(cost))
        for c, rows, values in sink.columns:
            ub_rows.append(rows)
            ub_cols.append(np.full(len(rows), len(cost), dtype=np.int64))
            ub_vals.append(values)
            cost.append(c)
            eq_rows.append(sink.index)
        cost.append(penalty)  # unserved
        eq_rows.append(sink.index)
    n_cols = len(cost)
    a_eq = sp.csr_array(
        (np.ones(n_cols), (np.array(eq_rows), np.arange(n_cols))), shape=(len(sinks), n_cols)
    )
    a_ub = sp.csr_array(
        (np.concatenate(ub_vals), (np.concatenate(ub_rows), np.concatenate(ub_cols))),
        shape=(n_rows, n_cols),
    )
    result = linprog(
        np.array(cost),
        A_ub=a_ub if n_rows else None,
        b_ub=np.array([c.capacity for c in capacities]) if n_rows else None,
        A_eq=a_eq,
        b_eq=np.array([s.demand for s in sinks]),
        bounds=(0, None),
        method="highs",
    )
    if result.status != 0:
        raise CorridorError(f"the assignment LP was not solved: {result.message}")
    z = np.maximum(np.asarray(result.x, dtype=np.float64), 0.0)
    flows = tuple(
        z[start : start + len(sink.paths)] for start, sink in zip(starts, sinks, strict=True)
    )
    pi = np.asarray(result.eqlin.marginals, dtype=np.float64)
    duals = np.asarray(result.ineqlin.marginals, dtype=np.float64) if n_rows else np.zeros(0)
    return flows, pi, duals, float(result.fun)
