"""Exact single-criterion optima of an OD pair with elements closed: many closures per call.

A `Replanner` holds the work arrays of one prepared `SearchSpace` (allocated once, never
cleared: the kernel stamps them) and runs `replan_kernel.run_tasks`: per task, an A* search by
one figure with one row of a ban table closed, ordered by the lower bounds of the unbanned
graph (`SearchSpace.bounds`, computed once per target set). Clock figures (time, P90) wait for
departures as the engine does; cost and CO2e are static. Each figure is the optimum the
engine's single-criterion search (`optima.ODSearch.best_path`) finds on the same banned graph;
the tests compare both, and both with routes enumerated on small random networks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from corridor.routing import replan_kernel
from corridor.routing.pareto import CRITERION_INDEX, SearchSpace
from corridor.scenarios.optima import ODSearch

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
NO_BANS = (np.zeros(1, np.int64), np.zeros(0, np.int64))


@dataclass(frozen=True)
class Optimum:
    """A figure (hours from departure, USD or kg) and the edges of a path that attains it."""

    value: float
    edges: tuple[int, ...]


class Replanner:
    """Single-criterion searches on one prepared space, edges banned per search."""

    def __init__(self, space: SearchSpace) -> None:
        n, m = space.graph.n_vertices, space.graph.n_edges
        self.space = space
        self.usable = space.allowed.astype(np.uint8)
        self.seen = np.zeros(n, np.int64)
        self.dist = np.zeros(n, np.float64)
        self.pred = np.full(n, -1, np.int32)
        self.banned = np.zeros(m, np.int64)
        self.is_target = np.zeros(n, np.int64)
        self.hk = np.zeros(n + m + 1, np.float64)
        self.hv = np.zeros(n + m + 1, np.int32)
        self.stamp = 1

    def values(
        self,
        od: ODSearch,
        criteria: Sequence[str],
        bans: Sequence[int],
        table: tuple[I64, I64] = NO_BANS,
    ) -> list[float | None]:
        """Per task i, the optimum by `criteria[i]` with row `bans[i]` of the (ptr, edges) ban
        table closed (-1: nothing closed); None where no route is left.

        A task whose row is the previous task's, after that one found no route, is not run.
        """
        found, _ = self._run(od, criteria, bans, table)
        return [None if v == np.inf else float(v) for v in found]

    def best(self, od: ODSearch, criterion: str) -> Optimum | None:
        """The optimum by `criterion` on the unbanned graph, with the edges of its path."""
        found, reached = self._run(od, [criterion], [-1], NO_BANS)
        if reached[0] < 0:
            return None
        edges: list[int] = []
        v = int(reached[0])
        src = self.space.graph.src
        while self.pred[v] >= 0:
            e = int(self.pred[v])
            edges.append(e)
            v = int(src[e])
        return Optimum(float(found[0]), tuple(reversed(edges)))

    def _run(
        self, od: ODSearch, criteria: Sequence[str], bans: Sequence[int], table: tuple[I64, I64]
    ) -> tuple[F64, I64]:
        if od.weighted.space is not self.space:
            raise ValueError("the OD's search space is not this replanner's")
        sp = self.space
        columns = np.array([CRITERION_INDEX[c] for c in criteria], dtype=np.int64)
        rows = np.asarray(bans, dtype=np.int64)
        values = np.empty(len(columns), np.float64)
        reached = np.empty(len(columns), np.int64)
        sources = np.array(sorted(set(od.sources)), dtype=np.int64)
        targets = np.array(sorted(set(od.targets)), dtype=np.int64)
        bounds = sp.bounds(od.targets)
        run = replan_kernel.compiled()
        while True:
            stamp = run(
                sp.indptr, sp.dst, sp.columns, self.usable, sp.schedule, sp.tt_offsets,
                sp.tt_hours, sources, targets, bounds, od.start, columns, rows, *table,
                self.stamp, self.seen, self.dist, self.pred, self.banned, self.is_target,
                self.hk, self.hv, values, reached,
            )  # fmt: skip
            if stamp > 0:
                self.stamp = stamp
                return values, reached
            self.stamp += len(columns) + 1  # the failed call's stamps stay used
            self.hk = np.zeros(2 * len(self.hk), np.float64)
            self.hv = np.zeros(2 * len(self.hv), np.int32)
