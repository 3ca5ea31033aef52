"""Deterministic road-like test networks for the routing benchmarks.

Random points in a square joined by their Delaunay triangulation (a planar graph of near
neighbours, like a road map), every link in both directions, each direction weighted by its
euclidean length times an independent detour factor in [1, 1.3].
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from scipy.spatial import Delaunay

SIZES: dict[str, int] = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000}
DETOUR_MAX = 1.3


@dataclass(frozen=True)
class RoadGraph:
    """A directed graph in CSR form with planar coordinates (km) for every node."""

    indptr: NDArray[np.int64]
    indices: NDArray[np.int32]
    weights: NDArray[np.float64]
    x: NDArray[np.float64]
    y: NDArray[np.float64]
    build_seconds: float

    @property
    def n_nodes(self) -> int:
        return int(self.indptr.shape[0] - 1)

    @property
    def n_arcs(self) -> int:
        return int(self.indices.shape[0])


def parse_size(label: str) -> int:
    """Node count for a label such as '10k', '1M' or a plain integer."""
    if label in SIZES:
        return SIZES[label]
    text = label.strip().lower()
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    digits = text[:-1] if factor != 1 else text
    return int(float(digits) * factor)


def road_graph(n_nodes: int, seed: int = 20_260_101) -> RoadGraph:
    """Build the Delaunay road-like graph on `n_nodes` uniform points; same seed, same graph.

    The square's side grows with sqrt(n) so the mean link stays about 1 km long at every size.
    """
    start = time.perf_counter()
    rng = np.random.default_rng(seed)
    side = float(np.sqrt(n_nodes))
    points = rng.random((n_nodes, 2)) * side
    simplices = Delaunay(points).simplices.astype(np.int64)
    a = simplices[:, [0, 1, 2]].ravel()
    b = simplices[:, [1, 2, 0]].ravel()
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    pairs = np.unique(lo * n_nodes + hi)
    lo, hi = pairs // n_nodes, pairs % n_nodes
    tails = np.concatenate([lo, hi])
    heads = np.concatenate([hi, lo])
    length = np.hypot(points[tails, 0] - points[heads, 0], points[tails, 1] - points[heads, 1])
    weights = length * rng.uniform(1.0, DETOUR_MAX, size=length.shape[0])
    order = np.lexsort((heads, tails))
    tails, heads, weights = tails[order], heads[order], weights[order]
    indptr = np.zeros(n_nodes + 1, dtype=np.int64)
    np.cumsum(np.bincount(tails, minlength=n_nodes), out=indptr[1:])
    return RoadGraph(
        indptr=indptr,
        indices=heads.astype(np.int32),
        weights=np.ascontiguousarray(weights, dtype=np.float64),
        x=np.ascontiguousarray(points[:, 0]),
        y=np.ascontiguousarray(points[:, 1]),
        build_seconds=time.perf_counter() - start,
    )


def save(graph: RoadGraph, path: Path) -> None:
    """Write `graph` to an .npz file (the cache the benchmark subprocesses read)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(
        path,
        indptr=graph.indptr,
        indices=graph.indices,
        weights=graph.weights,
        x=graph.x,
        y=graph.y,
        build_seconds=np.float64(graph.build_seconds),
    )


def load(path: Path) -> RoadGraph:
    """Read a graph written by `save`."""
    with np.load(path) as data:
        return RoadGraph(
            indptr=data["indptr"],
            indices=data["indices"],
            weights=data["weights"],
            x=data["x"],
            y=data["y"],
            build_seconds=float(data["build_seconds"]),
        )


def cached_road_graph(n_nodes: int, cache_dir: Path, seed: int = 20_260_101) -> tuple[Path, bool]:
    """Path of the cached graph for (n_nodes, seed), generating it first if needed.

    Returns the path and whether it was already cached (generation takes ~15 s at 1M nodes).
    """
    path = cache_dir / f"road-{n_nodes}-{seed}.npz"
    if path.exists():
        return path, True
    save(road_graph(n_nodes, seed), path)
    return path, False
