"""Admissible lower bounds to the destination, per criterion, by reverse one-to-all Dijkstra.

The reverse graph keeps every usable edge, parallel ones included: Dijkstra relaxes each arc on
its own, so the cheapest of parallel edges decides (a sparse matrix would sum or pick one).
Waiting is ignored, which can only make a bound smaller. Bounds of a graph stay admissible for
every variant of it with edges banned, so one set serves a query's alternative searches.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from corridor.routing.shortest import CSRGraph, one_to_all_from_set

F64 = npt.NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class ReverseGraphs:
    """The usable edges reversed (head -> tail), one CSR graph per criterion column."""

    columns: tuple[CSRGraph, ...]

    def bounds_to(self, targets: Sequence[int]) -> F64:
        """(n_vertices, n_columns): the least each column can still add on the way to `targets`."""
        return np.stack([one_to_all_from_set(g, targets) for g in self.columns], axis=1)


def reverse_graphs(
    src: npt.NDArray[np.int32],
    dst: npt.NDArray[np.int32],
    n_vertices: int,
    columns: F64,
    usable: npt.NDArray[np.bool_],
) -> ReverseGraphs:
    """Reverse the `usable` edges of (src, dst) with `columns` (n_edges, k) as weights."""
    keep = np.flatnonzero(usable)
    heads, tails = dst[keep], src[keep]
    order = np.argsort(heads, kind="stable")
    indptr = np.zeros(n_vertices + 1, dtype=np.int64)
    np.cumsum(np.bincount(heads, minlength=n_vertices), out=indptr[1:])
    indices = np.ascontiguousarray(tails[order], dtype=np.int32)
    weights = columns[keep][order]
    graphs = tuple(
        CSRGraph(indptr=indptr, indices=indices, weights=np.ascontiguousarray(weights[:, j]))
        for j in range(weights.shape[1])
    )
    return ReverseGraphs(columns=graphs)
