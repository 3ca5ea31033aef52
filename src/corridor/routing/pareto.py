"""Time-dependent multi-criteria label setting on the expanded graph: the product's one engine.

`pareto_paths` runs the compiled kernel (`routing.kernel`, numba) over the flat arrays of a
`SearchSpace`. Labels carry (median arrival, cost, CO2e, P90 clock) and a transfer count; a
scheduled edge makes a label wait for its next departure (FIFO, so dominance stays sound). The
heap pops labels in the lexicographic order of the query's criteria, then the other figures, so
a cost search is ordered by cost and a `p90` search by the robust clock.

Dominance is over the query's criteria (plus the transfer count when it is capped, as a
resource). Tie rule: among routes equal on the criteria, the one returned is the first in the
lexicographic order (the criteria in the query's order, then median arrival, cost, CO2e, P90
clock). Lower bounds to the destination (reverse Dijkstra per figure, waits ignored) prune
labels that could only end up beaten by a route already found.

`epsilon` > 0 trades completeness for speed: a route is dropped when a route found is within a
factor (1 + epsilon) of it on every criterion (clocks measured from the departure) and it could
not dominate a route found. Every route returned is still Pareto-optimal, the set eps-covers the
exact front, and each criterion's exact optimum is added by a single-criterion search.

The robust criterion `P90` runs a second clock on each label: the arrival if every edge took
its P90 time, waiting at scheduled edges for the next departure after that later arrival. It is
FIFO like the median clock; as a sum of per-edge P90s it is a conservative bound on the route's
P90, which the reliability simulation then reports.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import cast

import numpy as np
import numpy.typing as npt

from corridor.errors import SearchBudgetError
from corridor.network.expanded import ExpandedGraph
from corridor.routing import kernel
from corridor.routing.bounds import ReverseGraphs, reverse_graphs
from corridor.routing.weights import EdgeWeights

EPS = kernel.EPS
TIME, COST, CO2E, P90 = kernel.TIME, kernel.COST, kernel.CO2E, kernel.P90
CRITERION_INDEX = {"time": TIME, "cost": COST, "co2e": CO2E, "p90": P90}
# Pops between two returns to Python to check the deadline and the label budget.
POPS_PER_CHECK = 1 << 14

Banned = frozenset[int] | npt.NDArray[np.bool_]
# lower bounds given to a search: a (vertices, 4) table, or one array per criterion
Bounds = npt.NDArray[np.float64] | Sequence[npt.NDArray[np.float64]]
# per edge (multiplier, addend) of the corridor signature, then of the country signature
U64 = npt.NDArray[np.uint64]
Signatures = tuple[U64, U64, U64, U64]


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

    def figures(self) -> tuple[float, float, float, float]:
        """(transit hours, cost, CO2e, P90 hours), clocks from the departure."""
        return (
            self.arrival - self.start,
            self.cost,
            self.co2e,
            self.p90_arrival - self.start,
        )


@dataclass(frozen=True, eq=False)
class SearchSpace:
    """One query's edge weights as flat arrays, prepared once for several searches."""

    graph: ExpandedGraph
    weights: EdgeWeights
    indptr: npt.NDArray[np.int64]
    dst: npt.NDArray[np.int32]
    columns: npt.NDArray[np.float64]  # (edges, 4): hours, cost, CO2e, P90 hours
    is_transfer: npt.NDArray[np.int8]
    schedule: npt.NDArray[np.int32]
    tt_offsets: npt.NDArray[np.int64]
    tt_hours: npt.NDArray[np.float64]
    allowed: npt.NDArray[np.bool_]
    _cache: dict[object, object] = field(default_factory=dict, repr=False)

    def reverse(self) -> ReverseGraphs:
        """The allowed edges reversed, built on first use."""
        found = self._cache.get("reverse")
        if found is None:
            g = self.graph
            found = reverse_graphs(g.src, g.dst, g.n_vertices, self.columns, self.allowed)
            self._cache["reverse"] = found
        assert isinstance(found, ReverseGraphs)
        return found

    def bounds(self, targets: Sequence[int]) -> npt.NDArray[np.float64]:
        """Lower bounds (vertices, 4) to `targets` over the allowed edges (bans ignored)."""
        cache_key = ("bounds", tuple(sorted(set(targets))))
        found = self._cache.get(cache_key)
        if found is None:
            found = self.reverse().bounds_to(list(cache_key[1]))
            self._cache[cache_key] = found
        assert isinstance(found, np.ndarray)
        return found


@dataclass(frozen=True)
class SearchStats:
    """What a search cost: labels stored, labels popped, searches run (extremes included)."""

    labels: int
    pops: int
    searches: int


def prepare(graph: ExpandedGraph, weights: EdgeWeights) -> SearchSpace:
    """Flatten a query's weights and the graph's timetables for the kernel."""
    tables = graph.schedules
    offsets = np.zeros(len(tables) + 1, dtype=np.int64)
    np.cumsum([len(t) for t in tables], out=offsets[1:])
    hours = np.concatenate(tables) if tables else np.zeros(0)
    columns = np.stack([weights.hours, weights.cost_usd, weights.co2e_kg, weights.hours_p90], 1)
    return SearchSpace(
        graph=graph,
        weights=weights,
        indptr=np.ascontiguousarray(graph.indptr, dtype=np.int64),
        dst=np.ascontiguousarray(graph.dst, dtype=np.int32),
        columns=np.ascontiguousarray(columns, dtype=np.float64),
        is_transfer=weights.is_transfer.astype(np.int8),
        schedule=np.ascontiguousarray(graph.schedule, dtype=np.int32),
        tt_offsets=offsets,
        tt_hours=np.ascontiguousarray(hours, dtype=np.float64),
        allowed=weights.allowed.copy(),
    )


def lower_bounds(
    graph: ExpandedGraph,
    weights: EdgeWeights,
    targets: Sequence[int],
    criteria: Sequence[int],
    banned: frozenset[int] = frozenset(),
) -> list[npt.NDArray[np.float64]]:
    """Per criterion, a static lower bound of what remains from each vertex to the targets.

    Parallel edges count by their cheapest (each is relaxed on its own).
    """
    space = prepare(graph, weights)
    usable = _usable(space, banned)
    found = reverse_graphs(graph.src, graph.dst, graph.n_vertices, space.columns, usable)
    table = found.bounds_to(targets)
    return [np.ascontiguousarray(table[:, c]) for c in criteria]


def pareto_paths(
    space: SearchSpace,
    sources: Sequence[int],
    targets: Sequence[int],
    start: float,
    criteria: Sequence[int] = (TIME, COST, CO2E),
    max_transfers: int | None = None,
    prune: bool = True,
    banned: Banned = frozenset(),
    epsilon: float = 0.0,
    deadline: float | None = None,
    max_labels: int | None = None,
    tie_break: Sequence[int] | None = None,
    bounds: Bounds | None = None,
) -> list[LabelPath]:
    """The Pareto-optimal paths from any source vertex to any target vertex, leaving at `start`.

    `banned` edges (ids or a boolean mask) are closed for this search only; `prune` uses lower
    bounds to the targets. `epsilon` > 0 returns an eps-cover of the front that holds each
    criterion's exact optimum (see the module docstring). `deadline` (a `time.monotonic()`
    instant) and `max_labels` stop the search with `SearchBudgetError`. `tie_break` orders
    the figures that decide exact ties after the criteria (default: time, cost, CO2e, P90).
    `bounds`: lower bounds to the targets computed before (`SearchSpace.bounds(targets)`, or
    per criterion as `lower_bounds` returns them); those of the graph without `banned` stay
    admissible with any edges banned, so many banned variants can share one set.
    """
    paths, _ = search(
        space,
        sources,
        targets,
        start,
        criteria,
        max_transfers,
        prune,
        banned,
        epsilon,
        deadline,
        max_labels,
        tie_break,
        bounds=bounds,
    )
    return paths


def search(
    space: SearchSpace,
    sources: Sequence[int],
    targets: Sequence[int],
    start: float,
    criteria: Sequence[int] = (TIME, COST, CO2E),
    max_transfers: int | None = None,
    prune: bool = True,
    banned: Banned = frozenset(),
    epsilon: float = 0.0,
    deadline: float | None = None,
    max_labels: int | None = None,
    tie_break: Sequence[int] | None = None,
    optima: bool = True,
    merge: bool = False,
    bounds: Bounds | None = None,
) -> tuple[list[LabelPath], SearchStats]:
    """`pareto_paths` with what the search cost; `optima=False` skips adding the exact optima
    to an eps front (to measure what eps alone costs). `merge=True` also applies eps at every
    vertex: far fewer labels, but a route returned may then be dominated (see `dominators`)."""
    crit = tuple(dict.fromkeys(int(c) for c in criteria))
    if not crit:
        raise ValueError("criteria must name at least one of TIME, COST, CO2E, P90")
    if not (epsilon >= 0.0 and np.isfinite(epsilon)):
        raise ValueError(f"epsilon must be finite and >= 0, got {epsilon!r}")
    runner = _Runner(space, sources, targets, start, max_transfers, prune, banned)
    runner.deadline, runner.max_labels = deadline, max_labels
    if bounds is not None and prune:
        runner.bounds = _bound_table(bounds, crit, space.graph.n_vertices)
    if len(crit) == 1 or epsilon == 0.0:
        return runner.paths(crit, _order(crit, tie_break), 0.0), runner.stats()
    front = runner.paths(crit, _order(crit, tie_break), epsilon, epsilon if merge else 0.0)
    # each criterion's exact optimum, ties by the other criteria in the query's order
    for c in crit if optima else ():
        rest = tuple(x for x in crit if x != c)
        front += runner.paths((c,), _order((c, *rest), tie_break), 0.0)
    return _merge(front, crit, _order(crit, tie_break)), runner.stats()


def dominators(
    space: SearchSpace,
    sources: Sequence[int],
    targets: Sequence[int],
    start: float,
    criteria: Sequence[int],
    path: LabelPath,
    max_transfers: int | None = None,
    banned: Banned = frozenset(),
    deadline: float | None = None,
    max_labels: int | None = None,
) -> tuple[list[LabelPath], SearchStats]:
    """The exact Pareto paths no worse than `path` on every criterion (`path`'s own figures
    among them exactly when `path` is Pareto-optimal): an exact search boxed by its figures.

    Also what the search cost. `max_labels` stops it with `SearchBudgetError` (what="label").
    """
    crit = tuple(dict.fromkeys(int(c) for c in criteria))
    runner = _Runner(space, sources, targets, start, max_transfers, True, banned)
    runner.deadline, runner.max_labels = deadline, max_labels
    absolute = (path.arrival, path.cost, path.co2e, path.p90_arrival)
    upper = np.array([absolute[c] if c in crit else np.inf for c in range(4)])
    found = runner.paths(crit, _order(crit, None), 0.0, 0.0, upper)
    mine = path.figures()
    inside = [p for p in found if all(p.figures()[c] <= mine[c] + EPS for c in crit)]
    return inside, runner.stats()


def _bound_table(bounds: Bounds, crit: Sequence[int], n: int) -> npt.NDArray[np.float64]:
    """The kernel's (vertices, 4) bounds from a table or from one array per criterion (the
    figures without a bound get zero, which is admissible)."""
    if isinstance(bounds, np.ndarray) and bounds.ndim == 2:
        if bounds.shape != (n, 4):
            raise ValueError(f"bounds has shape {bounds.shape}, expected ({n}, 4)")
        return np.ascontiguousarray(bounds, dtype=np.float64)
    columns = list(bounds)
    if len(columns) != len(crit):
        raise ValueError(f"bounds has {len(columns)} arrays, expected one per criterion")
    table = np.zeros((n, 4))
    for c, column in zip(crit, columns, strict=True):
        table[:, c] = column
    return table


def _order(crit: Sequence[int], tie_break: Sequence[int] | None) -> tuple[int, ...]:
    """The lexicographic order: the criteria, then `tie_break`, then time, cost, CO2e, P90."""
    return tuple(dict.fromkeys((*crit, *(tie_break or ()), TIME, COST, CO2E, P90)))


def _usable(space: SearchSpace, banned: Banned) -> npt.NDArray[np.bool_]:
    if isinstance(banned, np.ndarray):
        if banned.shape != space.allowed.shape:
            raise ValueError(
                f"banned mask has shape {banned.shape}, expected {space.allowed.shape}"
            )
        return space.allowed & ~banned
    if not banned:
        return space.allowed
    usable = space.allowed.copy()
    usable[np.fromiter(banned, dtype=np.int64, count=len(banned))] = False
    return usable


class _Runner:
    """Kernel calls for one (sources, targets, start, bans) setting; label arrays grow on need."""

    def __init__(
        self,
        space: SearchSpace,
        sources: Sequence[int],
        targets: Sequence[int],
        start: float,
        max_transfers: int | None,
        prune: bool,
        banned: Banned,
    ) -> None:
        n = space.graph.n_vertices
        self.space, self.start = space, float(start)
        self.sources = np.array(sorted(set(sources)), dtype=np.int64)
        self.is_target = np.zeros(n, dtype=np.uint8)
        self.is_target[np.asarray(list(targets), dtype=np.int64)] = 1
        self.usable = _usable(space, banned).astype(np.uint8)
        self.max_transfers = -1 if max_transfers is None else int(max_transfers)
        self.prune = prune
        self._targets = list(targets)
        self.bounds = space.bounds(targets) if prune else np.zeros((n, 4))
        self.deadline: float | None = None
        self.max_labels: int | None = None
        self.labels = self.pops = self.searches = 0
        self.began = time.monotonic()

    def stats(self) -> SearchStats:
        return SearchStats(labels=self.labels, pops=self.pops, searches=self.searches)

    def paths(
        self,
        crit: tuple[int, ...],
        order: tuple[int, ...],
        eps: float,
        merge: float = 0.0,
        upper: npt.NDArray[np.float64] | None = None,
    ) -> list[LabelPath]:
        """Run one search to the end and read its destination labels back as paths.

        A lone clock criterion (time, P90) keeps several labels per vertex for the tie rule;
        a one-label-per-vertex search first finds the optimum's value, and the exact search
        then drops every label that cannot reach it. `upper` boxes the search (figures, clocks
        as absolute hours); `merge` is eps-dominance at every vertex.
        """
        box = np.full(4, np.inf) if upper is None else np.asarray(upper, dtype=np.float64)
        if len(crit) == 1 and crit[0] in (TIME, P90):
            found = self._run(crit, order, 0.0, True, box, 0.0)
            best = min((float(self._value(p, crit[0])) for p in found), default=np.inf)
            box = box.copy()
            box[crit[0]] = min(box[crit[0]], best)
        return self._run(crit, order, eps, False, box, merge)

    def _value(self, path: LabelPath, c: int) -> float:
        return path.arrival if c == TIME else path.p90_arrival

    def _run(
        self,
        crit: tuple[int, ...],
        order: tuple[int, ...],
        eps: float,
        loose: bool,
        upper: npt.NDArray[np.float64],
        merge: float,
    ) -> list[LabelPath]:
        run = kernel.compiled()
        sp = self.space
        n = sp.graph.n_vertices
        ncomp = 4 if P90 in crit else 3
        arrays = _Labels(max(1024, 4 * n), n)
        key = np.array(crit, dtype=np.int64)
        ordering = np.array([c for c in order if c < ncomp], dtype=np.int64)
        self.searches += 1
        while True:
            status = run(
                sp.indptr, sp.dst, sp.columns, sp.is_transfer, sp.schedule, sp.tt_offsets,
                sp.tt_hours, self.usable, self.is_target, self.bounds, self.sources, key,
                ordering, ncomp, self.max_transfers, eps, self.start, self.prune, loose, upper,
                merge,
                *arrays.state()[:-1], arrays.ideal, arrays.counters, POPS_PER_CHECK,
            )  # fmt: skip
            self._check(arrays)
            if status == kernel.DONE:
                break
            if status == kernel.GROW:
                arrays.grow()
        self.labels += int(arrays.counters[kernel.N_LABELS])
        self.pops += int(arrays.counters[kernel.POPS])
        return arrays.paths(n, self.start, ncomp > 3)

    def corridor_paths(
        self,
        order: tuple[int, ...],
        signatures: Signatures,
        covered: Sequence[int],
        per_vertex: int,
        wanted: int,
        robust: bool,
    ) -> list[LabelPath]:
        """The best path (in `order`) of each corridor signature not `covered` (see kernel).

        `robust` runs the P90 clock, so that paths carry it when a criterion needs it.
        """
        run = kernel.compiled("run_corridors")
        sp = self.space
        n = sp.graph.n_vertices
        ncomp = 4 if robust or P90 in order[:1] else 3
        arrays = _Labels(max(1024, 8 * n), n)  # up to PER_VERTEX corridors per vertex
        ordering = np.array([c for c in order if c < ncomp], dtype=np.int64)
        shown = np.array(sorted(set(covered)), dtype=np.uint64)
        bounds = self.bounds if self.prune else self.space.bounds(self._targets)
        self.searches += 1
        while True:
            status = run(
                sp.indptr, sp.dst, sp.columns, sp.is_transfer, sp.schedule, sp.tt_offsets,
                sp.tt_hours, self.usable, self.is_target, bounds, self.sources, ordering, ncomp,
                self.max_transfers, self.start, *signatures, shown, per_vertex, max(1, wanted),
                *arrays.state()[:-1], arrays.sig, arrays.csig, arrays.counters, POPS_PER_CHECK,
            )  # fmt: skip
            self._check(arrays)
            if status == kernel.DONE:
                break
            if status == kernel.GROW:
                arrays.grow()
        self.labels += int(arrays.counters[kernel.N_LABELS])
        self.pops += int(arrays.counters[kernel.POPS])
        return arrays.paths(n, self.start, ncomp > 3)

    def _check(self, arrays: _Labels) -> None:
        stored = self.labels + int(arrays.counters[kernel.N_LABELS])
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise SearchBudgetError("time", time.monotonic() - self.began, stored)
        if self.max_labels is not None and stored > self.max_labels:
            raise SearchBudgetError("label", time.monotonic() - self.began, stored)


class _Labels:
    """The kernel's label store: parallel growable arrays, bag heads and the heap."""

    def __init__(self, capacity: int, n: int) -> None:
        self.vertex = np.empty(capacity, np.int32)
        self.val = np.empty((capacity, 4), np.float64)
        self.hkey = np.empty((capacity, 4), np.float64)
        self.tr = np.empty(capacity, np.int32)
        self.parent = np.empty(capacity, np.int32)
        self.edge = np.empty(capacity, np.int32)
        self.depart = np.empty(capacity, np.float64)
        self.alive = np.zeros(capacity, np.uint8)
        self.nxt = np.empty(capacity, np.int32)
        self.head = np.full(n + 1, -1, np.int32)
        self.heap = np.empty(capacity, np.int32)
        self.ideal = np.full(4, np.inf)  # the least of each figure at the destination
        self.sig = np.zeros(capacity, np.uint64)
        self.csig = np.zeros(capacity, np.uint64)
        self.counters = np.zeros(4, np.int64)

    def state(self) -> tuple[npt.NDArray[np.generic], ...]:
        return (
            self.vertex, self.val, self.hkey, self.tr, self.parent, self.edge, self.depart, self.alive,
            self.nxt, self.head, self.heap, self.counters,
        )  # fmt: skip

    def grow(self) -> None:
        for name in (
            "vertex",
            "val",
            "hkey",
            "tr",
            "parent",
            "edge",
            "depart",
            "alive",
            "nxt",
            "heap",
            "sig",
            "csig",
        ):
            old = getattr(self, name)
            new = np.zeros((2 * old.shape[0], *old.shape[1:]), old.dtype)
            new[: old.shape[0]] = old
            setattr(self, name, new)

    def paths(self, n: int, start: float, robust: bool) -> list[LabelPath]:
        """The destination bag's live labels as paths (fastest first), chains read in one
        compiled pass."""
        lids = []
        lid = int(self.head[n])
        while lid >= 0:
            if self.alive[lid]:
                lids.append(lid)
            lid = int(self.nxt[lid])
        ends = np.array(lids, dtype=np.int64)
        chained = kernel.compiled("chains")(self.parent, self.edge, ends)
        offsets, at = cast(tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]], chained)
        cut = offsets.tolist()
        edges = self.edge[at].tolist()
        ready = self.val[self.parent[at], TIME].tolist()
        depart = self.depart[at].tolist()
        arrive = self.val[at, TIME].tolist()
        figures = self.val[ends].tolist()
        transfers = self.tr[ends].tolist()
        out = []
        for i, (a, b) in enumerate(itertools.pairwise(cut)):
            out.append(
                LabelPath(
                    edges=tuple(edges[a:b]),
                    ready=tuple(ready[a:b]),
                    depart=tuple(depart[a:b]),
                    arrive=tuple(arrive[a:b]),
                    start=start,
                    cost=figures[i][COST],
                    co2e=figures[i][CO2E],
                    transfers=transfers[i],
                    p90_arrival=figures[i][P90] if robust else float("nan"),
                )
            )
        out.sort(key=lambda p: (p.arrival, p.cost, p.co2e, p.edges))
        return out


def _merge(
    paths: list[LabelPath], crit: tuple[int, ...], order: tuple[int, ...]
) -> list[LabelPath]:
    """One path per distinct criteria vector (the first in `order`), dominated ones dropped."""
    vectors = [tuple(p.figures()[c] for c in crit) for p in paths]

    def dominated(a: tuple[float, ...]) -> bool:
        return any(
            all(y <= x + EPS for x, y in zip(a, b, strict=True))
            and any(y < x - EPS for x, y in zip(a, b, strict=True))
            for b in vectors
        )

    ranked = sorted(
        range(len(paths)),
        key=lambda i: (*(paths[i].figures()[c] for c in order if c in crit), paths[i].edges),
    )
    kept: list[int] = []
    for i in ranked:
        if dominated(vectors[i]):
            continue
        same = (
            all(abs(x - y) <= EPS for x, y in zip(vectors[i], vectors[k], strict=True))
            for k in kept
        )
        if not any(same):
            kept.append(i)
    out = [paths[i] for i in kept]
    out.sort(key=lambda p: (p.arrival, p.cost, p.co2e, p.edges))
    return out


def corridor_paths(
    space: SearchSpace,
    sources: Sequence[int],
    targets: Sequence[int],
    start: float,
    criteria: Sequence[int],
    signatures: Signatures,
    covered: Sequence[int] = (),
    max_transfers: int | None = None,
    banned: Banned = frozenset(),
    per_vertex: int = 8,
    wanted: int = 8,
    deadline: float | None = None,
    max_labels: int | None = None,
) -> list[LabelPath]:
    """The best path by `criteria[0]` (ties: the rest, then time, cost, CO2e) of each corridor.

    A corridor is a signature folded from the per-edge (multiplier, addend) `signatures`;
    `covered` signatures are not returned. One search: labels compete only within their
    corridor, at most `per_vertex` corridors per vertex, and once `wanted` country sequences
    reached the destination, labels that cannot beat the last of them on `criteria[0]` go.
    """
    runner = _Runner(space, sources, targets, start, max_transfers, True, banned)
    runner.deadline, runner.max_labels = deadline, max_labels
    crit = tuple(int(c) for c in criteria)
    return runner.corridor_paths(
        _order(crit, None), signatures, covered, per_vertex, wanted, P90 in crit
    )


def warm_up() -> None:
    """Compile (or load from numba's on-disk cache) every kernel, so no query pays for it.

    Runs both kernels once on a two-vertex graph. Call it where a first query has a time
    budget (a server's start, a test session's start).
    """
    from types import SimpleNamespace

    one = np.ones(1)
    graph = SimpleNamespace(
        n_vertices=2,
        indptr=np.array([0, 1, 1], dtype=np.int32),
        src=np.array([0], dtype=np.int32),
        dst=np.array([1], dtype=np.int32),
        schedule=np.array([0], dtype=np.int32),
        schedules=(np.array([1.0]),),
    )
    weights = SimpleNamespace(
        hours=one, hours_p90=one, cost_usd=one, co2e_kg=one,
        is_transfer=np.zeros(1, dtype=bool), allowed=np.ones(1, dtype=bool),
    )  # fmt: skip
    space = prepare(graph, weights)  # type: ignore[arg-type]
    search(space, [0], [1], 0.0, (TIME, COST, CO2E, P90), epsilon=0.01)
    signatures = (np.ones(1, np.uint64), np.zeros(1, np.uint64)) * 2
    corridor_paths(space, [0], [1], 0.0, [TIME], signatures)
