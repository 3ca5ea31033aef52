"""Time-dependent multi-criteria label setting on the expanded graph.

Labels (arrival time, cost, CO2e, transfers) are settled in order of arrival time. A scheduled
edge makes a label wait for the next departure; with FIFO edges and non-negative weights, a
label that arrives later and is no better on the other criteria never leads anywhere better, so
dominance at each vertex is sound. Lower bounds to the destination (static, waits ignored) prune
labels that could only end up dominated by a route already found.

Dominance is taken over the query's criteria (plus the transfer count when it is capped). Two
labels equal on those are a tie, kept once: the one earlier in (time, cost, CO2e) order.

The robust criterion `P90` runs a second clock on each label: the arrival if every edge took
its P90 time, waiting at scheduled edges for the next departure after that later arrival. It is
FIFO like the median clock, so dominance stays sound; as a sum of per-edge P90s it is a
conservative bound on the route's P90, which the reliability simulation then reports.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from heapq import heappop, heappush

import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_array
from scipy.sparse.csgraph import dijkstra

from corridor.network.expanded import ExpandedGraph
from corridor.routing.clock import next_departure
from corridor.routing.weights import EdgeWeights

EPS = 1e-9
TIME, COST, CO2E, P90 = 0, 1, 2, 3
CRITERION_INDEX = {"time": TIME, "cost": COST, "co2e": CO2E, "p90": P90}


@dataclass(frozen=True)
class LabelPath:
    """One non-dominated way to the destination: its edges with ready, depart and arrive hours."""

    edges: tuple[int, ...]
    ready: tuple[float, ...]  # when the cargo stood at the edge's start
    depart: tuple[float, ...]  # when it left (later than ready on a scheduled edge)
    arrive: tuple[float, ...]
    start: float
    cost: float
    co2e: float
    transfers: int
    p90_arrival: float = float("nan")  # the robust clock's arrival; only with the P90 criterion

    @property
    def arrival(self) -> float:
        return self.arrive[-1] if self.arrive else self.start


@dataclass(frozen=True, eq=False)
class SearchSpace:
    """One query's edge weights as Python lists, prepared once for several searches."""

    graph: ExpandedGraph
    weights: EdgeWeights
    adjacency: list[list[int]]
    dst: list[int]
    hours: list[float]
    hours_p90: list[float]
    cost: list[float]
    co2: list[float]
    is_transfer: list[bool]
    schedule: list[int]
    timetables: list[list[float]]


def prepare(graph: ExpandedGraph, weights: EdgeWeights) -> SearchSpace:
    allowed = weights.allowed.tolist()
    indptr = graph.indptr.tolist()
    return SearchSpace(
        graph=graph,
        weights=weights,
        adjacency=[
            [e for e in range(indptr[v], indptr[v + 1]) if allowed[e]]
            for v in range(graph.n_vertices)
        ],
        dst=graph.dst.tolist(),
        hours=weights.hours.tolist(),
        hours_p90=weights.hours_p90.tolist(),
        cost=weights.cost_usd.tolist(),
        co2=weights.co2e_kg.tolist(),
        is_transfer=weights.is_transfer.tolist(),
        schedule=graph.schedule.tolist(),
        timetables=[t.tolist() for t in graph.schedules],
    )


def lower_bounds(
    graph: ExpandedGraph,
    weights: EdgeWeights,
    targets: Sequence[int],
    criteria: Sequence[int],
    banned: frozenset[int] = frozenset(),
) -> list[npt.NDArray[np.float64]]:
    """Per criterion, a static lower bound of what remains from each vertex to the targets."""
    keep = weights.allowed.copy()
    if banned:
        keep[list(banned)] = False
    src, dst = graph.src[keep], graph.dst[keep]
    n = graph.n_vertices
    columns = {
        TIME: weights.hours,
        COST: weights.cost_usd,
        CO2E: weights.co2e_kg,
        P90: weights.hours_p90,
    }
    out = []
    for criterion in criteria:
        w = columns[criterion][keep]
        # parallel edges: keep the cheapest, since a sparse matrix would add them up
        order = np.lexsort((w, src, dst))
        s, d, w = src[order], dst[order], w[order]
        first = np.ones(len(s), dtype=bool)
        first[1:] = (s[1:] != s[:-1]) | (d[1:] != d[:-1])
        # reversed graph (dst -> src); explicit zeros must stay edges
        matrix = csr_array((np.maximum(w[first], 1e-12), (d[first], s[first])), shape=(n, n))
        dist = dijkstra(matrix, directed=True, indices=list(targets), min_only=True)
        out.append(np.asarray(dist, dtype=np.float64))
    return out


def pareto_paths(
    space: SearchSpace,
    sources: Sequence[int],
    targets: Sequence[int],
    start: float,
    criteria: Sequence[int] = (TIME, COST, CO2E),
    max_transfers: int | None = None,
    prune: bool = True,
    banned: frozenset[int] = frozenset(),
) -> list[LabelPath]:
    """All Pareto-optimal paths from any source vertex to any target vertex, leaving at `start`.

    `banned` edges are closed for this search only; `prune` uses lower bounds to the targets.
    """
    target_set = set(targets)
    crit = tuple(criteria)
    capped = max_transfers is not None
    limit = max_transfers if max_transfers is not None else 1 << 30

    adjacency = space.adjacency
    if banned:
        adjacency = [[e for e in edges if e not in banned] for edges in adjacency]
    dst, hours, cost, co2 = space.dst, space.hours, space.cost, space.co2
    hours_p90 = space.hours_p90
    robust = P90 in crit  # labels carry a fourth figure, the robust clock, only when asked
    is_transfer, schedule, timetables = space.is_transfer, space.schedule, space.timetables

    bounds: list[list[float]] | None = None
    if prune:
        found = lower_bounds(space.graph, space.weights, targets, crit, banned)
        bounds = [b.tolist() for b in found]

    # label store: parallel lists indexed by label id
    lab_vertex: list[int] = []
    lab_full: list[tuple[float, ...]] = []
    lab_key: list[tuple[float, ...]] = []
    lab_transfers: list[int] = []
    lab_parent: list[int] = []
    lab_edge: list[int] = []
    lab_depart: list[float] = []
    alive: list[bool] = []
    bags: dict[int, list[int]] = {}
    final: list[int] = []
    heap: list[tuple[float, float, float, int]] = []

    everything = crit == (TIME, COST, CO2E)

    def key_of(full: tuple[float, ...], transfers: int) -> tuple[float, ...]:
        if capped:
            return (*(full[i] for i in crit), float(transfers))
        return full if everything else tuple(full[i] for i in crit)

    def beats(old: int, key: tuple[float, ...], full: tuple[float, ...]) -> bool:
        okey = lab_key[old]
        if len(okey) == 3:  # the default criteria: unrolled, this is the innermost operation
            a0, a1, a2 = okey
            b0, b1, b2 = key
            if a0 > b0 + EPS or a1 > b1 + EPS or a2 > b2 + EPS:
                return False
            if a0 < b0 - EPS or a1 < b1 - EPS or a2 < b2 - EPS:
                return True
            return lab_full[old] <= full
        strictly = False
        for a, b in zip(okey, key, strict=True):
            if a > b + EPS:
                return False
            if a < b - EPS:
                strictly = True
        return strictly or lab_full[old] <= full

    def covered(bag: list[int], key: tuple[float, ...]) -> bool:
        """A route already found is at least as good as this bound on every criterion."""
        return any(all(a <= b + EPS for a, b in zip(lab_key[old], key, strict=True)) for old in bag)

    def add(
        vertex: int,
        full: tuple[float, ...],
        transfers: int,
        parent: int,
        edge: int,
        depart: float,
    ) -> None:
        key = key_of(full, transfers)
        bag = final if vertex in target_set else bags.setdefault(vertex, [])
        for old in bag:
            if beats(old, key, full):
                return
        if bounds is not None and final and vertex not in target_set:
            bound = tuple([full[c] + b[vertex] for c, b in zip(crit, bounds, strict=True)])
            if covered(final, (*bound, float(transfers)) if capped else bound):
                return
        lid = len(lab_vertex)
        lab_vertex.append(vertex)
        lab_full.append(full)
        lab_key.append(key)
        lab_transfers.append(transfers)
        lab_parent.append(parent)
        lab_edge.append(edge)
        lab_depart.append(depart)
        alive.append(True)
        survivors = []
        for old in bag:
            if beats(lid, lab_key[old], lab_full[old]):
                alive[old] = False
            else:
                survivors.append(old)
        survivors.append(lid)
        bag[:] = survivors
        if vertex not in target_set:
            heappush(heap, (full[0], full[1], full[2], lid))

    for s in sorted(set(sources)):
        if s not in target_set:
            add(s, (start, 0.0, 0.0, start) if robust else (start, 0.0, 0.0), 0, -1, -1, start)

    while heap:
        t, c, e, lid = heappop(heap)
        if not alive[lid]:
            continue
        v = lab_vertex[lid]
        here = lab_full[lid]
        if bounds is not None and final:
            bound = tuple(here[i] + b[v] for i, b in zip(crit, bounds, strict=True))
            if covered(final, (*bound, float(lab_transfers[lid])) if capped else bound):
                continue
        k = lab_transfers[lid]
        t90 = here[P90] if robust else t
        for edge in adjacency[v]:
            nk = k + is_transfer[edge]
            if nk > limit:
                continue
            sched = schedule[edge]
            depart = t if sched < 0 else next_departure(t, timetables[sched])
            if robust:
                d90 = t90 if sched < 0 else next_departure(t90, timetables[sched])
                full: tuple[float, ...] = (
                    depart + hours[edge],
                    c + cost[edge],
                    e + co2[edge],
                    d90 + hours_p90[edge],
                )
            else:
                full = (depart + hours[edge], c + cost[edge], e + co2[edge])
            add(dst[edge], full, nk, lid, edge, depart)

    winners = [lid for lid in final if alive[lid]]
    if capped:
        # the transfer count is a resource, not a criterion: drop what the named criteria beat
        def named(lid: int) -> tuple[float, ...]:
            return tuple(lab_full[lid][i] for i in crit)

        def loses(lid: int, other: int) -> bool:
            a, b = named(other), named(lid)
            if any(x > y + EPS for x, y in zip(a, b, strict=True)):
                return False
            if any(x < y - EPS for x, y in zip(a, b, strict=True)):
                return True
            return (lab_full[other], other) < (lab_full[lid], lid)  # a tie: keep one

        winners = [lid for lid in winners if not any(loses(lid, o) for o in winners if o != lid)]
    paths = []
    for lid in winners:
        chain = []
        cur = lid
        while lab_edge[cur] >= 0:
            chain.append(cur)
            cur = lab_parent[cur]
        chain.reverse()
        paths.append(
            LabelPath(
                edges=tuple(lab_edge[i] for i in chain),
                ready=tuple(lab_full[lab_parent[i]][0] for i in chain),
                depart=tuple(lab_depart[i] for i in chain),
                arrive=tuple(lab_full[i][0] for i in chain),
                start=start,
                cost=lab_full[lid][1],
                co2e=lab_full[lid][2],
                transfers=lab_transfers[lid],
                p90_arrival=lab_full[lid][P90] if robust else float("nan"),
            )
        )
    paths.sort(key=lambda p: (p.arrival, p.cost, p.co2e, p.edges))
    return paths
