"""The CSR shortest-path engine against scipy and networkx as oracles, and its input checks."""

from __future__ import annotations

import itertools
import math
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse.csgraph import dijkstra

from corridor.routing import shortest
from corridor.routing.shortest import (
    CSRGraph,
    admissible_scale,
    astar,
    extract_path,
    one_to_all,
    one_to_all_with_pred,
    point_to_point,
)

Arc = tuple[int, int, float]
Csr = tuple[np.ndarray[Any, Any], np.ndarray[Any, Any], np.ndarray[Any, Any]]


def to_csr(n: int, arcs: list[Arc]) -> Csr:
    """CSR arrays for `arcs`, keeping parallel arcs and self loops as given."""
    ordered = sorted(arcs, key=lambda arc: arc[0])
    tails = np.array([a[0] for a in ordered], dtype=np.int64)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(tails, minlength=n), out=indptr[1:])
    indices = np.array([a[1] for a in ordered], dtype=np.int64)
    weights = np.array([a[2] for a in ordered], dtype=np.float64)
    return indptr, indices, weights


def networkx_distances(n: int, arcs: list[Arc], source: int) -> np.ndarray[Any, Any]:
    graph = nx.MultiDiGraph()
    graph.add_nodes_from(range(n))
    graph.add_weighted_edges_from(arcs)
    found = nx.single_source_dijkstra_path_length(graph, source)
    return np.array([found.get(v, math.inf) for v in range(n)])


# Speed is the benchmarks' business: no hypothesis deadlines (the first call may compile).
untimed = settings(deadline=None)


weights_with_zeros = st.one_of(
    st.just(0.0), st.integers(0, 9).map(float), st.floats(0.0, 100.0, allow_nan=False)
)


@st.composite
def multigraphs(draw: st.DrawFn) -> tuple[int, list[Arc], int]:
    """Small directed multigraphs: parallel arcs, self loops, zero weights, unreachable nodes."""
    n = draw(st.integers(1, 12))
    node = st.integers(0, n - 1)
    arcs = draw(st.lists(st.tuples(node, node, weights_with_zeros), max_size=40))
    return n, arcs, draw(node)


@st.composite
def geometric_graphs(draw: st.DrawFn) -> tuple[int, list[Arc], list[float], list[float]]:
    """Random points with arcs weighted by euclidean length times a detour factor >= 1."""
    n = draw(st.integers(2, 25))
    coordinate = st.floats(-50.0, 50.0, allow_nan=False)
    xs = draw(st.lists(coordinate, min_size=n, max_size=n))
    ys = draw(st.lists(coordinate, min_size=n, max_size=n))
    node = st.integers(0, n - 1)
    pairs = draw(st.lists(st.tuples(node, node, st.floats(1.0, 1.5)), max_size=80))
    arcs = [(u, v, math.hypot(xs[u] - xs[v], ys[u] - ys[v]) * f) for u, v, f in pairs]
    return n, arcs, xs, ys


@untimed
@given(multigraphs())
def test_one_to_all_matches_networkx_on_multigraphs(case: tuple[int, list[Arc], int]) -> None:
    n, arcs, source = case
    got = one_to_all(*to_csr(n, arcs), source)
    np.testing.assert_allclose(got, networkx_distances(n, arcs, source), rtol=1e-12)


@untimed
@given(multigraphs())
def test_predecessors_trace_paths_whose_length_is_the_distance(
    case: tuple[int, list[Arc], int],
) -> None:
    n, arcs, source = case
    dist, pred = one_to_all_with_pred(*to_csr(n, arcs), source)
    cheapest: dict[tuple[int, int], float] = {}
    for u, v, w in arcs:
        cheapest[u, v] = min(w, cheapest.get((u, v), math.inf))
    assert pred[source] == -1
    for target in range(n):
        path = extract_path(pred, source, target)
        if math.isinf(dist[target]):
            assert path == []
            continue
        assert path[0] == source and path[-1] == target
        length = sum(cheapest[u, v] for u, v in itertools.pairwise(path))
        assert length == pytest.approx(dist[target], rel=1e-12, abs=1e-12)


@untimed
@given(multigraphs(), st.data())
def test_point_to_point_equals_one_to_all_at_the_target(
    case: tuple[int, list[Arc], int], data: st.DataObject
) -> None:
    n, arcs, source = case
    target = data.draw(st.integers(0, n - 1))
    csr = to_csr(n, arcs)
    assert point_to_point(*csr, source, target) == one_to_all(*csr, source)[target]


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_one_to_all_and_point_to_point_match_scipy_on_random_sparse_graphs(seed: int) -> None:
    # Hundreds of nodes, so the heap grows deep enough for its ordering to matter.
    rng = np.random.default_rng(seed)
    n = int(rng.integers(50, 400))
    matrix = sp.random_array(
        (n, n), density=3.0 / n, format="csr", rng=rng, data_sampler=lambda size: rng.random(size)
    )
    graph = CSRGraph.from_arrays(matrix.indptr, matrix.indices, matrix.data)
    for source in rng.integers(0, n, 3):
        expected = dijkstra(matrix, directed=True, indices=int(source))
        np.testing.assert_allclose(graph.one_to_all(int(source)), expected, rtol=1e-12)
        for target in rng.integers(0, n, 10):
            assert graph.point_to_point(int(source), int(target)) == pytest.approx(
                expected[target], rel=1e-12
            )


@untimed
@given(geometric_graphs(), st.data())
def test_astar_equals_point_to_point_on_geometric_graphs(
    case: tuple[int, list[Arc], list[float], list[float]], data: st.DataObject
) -> None:
    n, arcs, xs, ys = case
    source, target = data.draw(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)))
    csr = to_csr(n, arcs)
    expected = point_to_point(*csr, source, target)
    assert astar(*csr, source, target, xs, ys, scale=1.0) == pytest.approx(expected, rel=1e-9)


def test_astar_with_the_admissible_scale_is_exact_on_a_scaled_road_grid() -> None:
    rng = np.random.default_rng(7)
    side = 30
    xs, ys = (c.ravel().astype(float) for c in np.meshgrid(np.arange(side), np.arange(side)))
    arcs: list[Arc] = []
    for u in range(side * side):
        for v in (u + 1, u + side):
            if v < side * side and (v != u + 1 or v % side):
                length = math.hypot(xs[u] - xs[v], ys[u] - ys[v])
                arcs += [(u, v, 2.5 * length * rng.uniform(1, 1.3)), (v, u, 2.5 * length)]
    csr = to_csr(side * side, arcs)
    scale = admissible_scale(*csr, xs, ys)
    assert scale == pytest.approx(2.5)
    graph = CSRGraph.from_arrays(*csr)
    for source, target in rng.integers(0, side * side, (20, 2)):
        expected = graph.one_to_all(int(source))[target]
        got = graph.astar(int(source), int(target), xs, ys, scale)
        assert got == pytest.approx(expected, rel=1e-12)


def test_unreachable_target_is_infinite_for_every_query() -> None:
    csr = to_csr(3, [(0, 1, 1.0), (2, 0, 1.0)])
    assert point_to_point(*csr, 0, 2) == math.inf
    assert astar(*csr, 0, 2, [0.0, 1.0, 2.0], [0.0, 0.0, 0.0]) == math.inf
    assert one_to_all(*csr, 0).tolist() == [0.0, 1.0, math.inf]


def test_source_equal_to_target_is_zero() -> None:
    csr = to_csr(2, [(0, 1, 3.0), (1, 0, 3.0)])
    assert point_to_point(*csr, 1, 1) == 0.0
    assert astar(*csr, 1, 1, [0.0, 3.0], [0.0, 0.0]) == 0.0


def test_accepts_int32_indptr_and_float32_weights() -> None:
    indptr = np.array([0, 1, 2, 2], dtype=np.int32)
    indices = np.array([1, 2], dtype=np.uint16)
    weights = np.array([0.5, 0.25], dtype=np.float32)
    assert one_to_all(indptr, indices, weights, 0).tolist() == [0.0, 0.5, 0.75]


GOOD: dict[str, Any] = {"indptr": [0, 1, 2], "indices": [1, 0], "weights": [1.0, 2.0]}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"weights": [1.0, -2.0]}, "negative weight"),
        ({"weights": [1.0, math.nan]}, "NaN weight"),
        ({"indices": [1, 2]}, r"indices must lie in \[0, 2\)"),
        ({"indices": [1, -1]}, r"indices must lie in \[0, 2\)"),
        ({"indptr": [0, 2, 1]}, "indptr must start at 0 and end"),
        ({"indptr": [0, 2, 1, 2], "indices": [1, 0], "weights": [1.0, 2.0]}, "non-decreasing"),
        ({"indptr": np.array([], dtype=np.int64)}, "got an empty array"),
        ({"weights": [1.0]}, "weights has 1 entries but indices has 2"),
        ({"indices": [1.0, 0.0]}, "indices must have an integer dtype"),
        ({"weights": ["a", "b"]}, "weights must have a real numeric dtype"),
        ({"indptr": [[0, 1, 2]]}, "indptr must be 1-D"),
    ],
)
def test_malformed_graph_raises_value_error(change: dict[str, Any], message: str) -> None:
    arrays = {**GOOD, **change}
    with pytest.raises(ValueError, match=message):
        one_to_all(arrays["indptr"], arrays["indices"], arrays["weights"], 0)


@pytest.mark.parametrize(
    ("source", "message"),
    [(2, "source 2 is out of range"), (-1, "source -1 is out of range"), (True, "integer")],
)
def test_bad_source_raises_value_error(source: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        point_to_point(GOOD["indptr"], GOOD["indices"], GOOD["weights"], source, 0)


@pytest.mark.parametrize(
    ("x", "y", "scale", "message"),
    [
        ([0.0], [0.0, 1.0], 1.0, "x has 1 entries, expected 2"),
        ([0.0, 1.0], [0.0, math.inf], 1.0, "y must be finite"),
        ([0.0, 1.0], [0.0, 1.0], -1.0, "scale must be finite and non-negative"),
        ([0.0, 1.0], [0.0, 1.0], math.nan, "scale must be finite and non-negative"),
    ],
)
def test_bad_astar_coordinates_raise_value_error(
    x: list[float], y: list[float], scale: float, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        astar(GOOD["indptr"], GOOD["indices"], GOOD["weights"], 0, 1, x, y, scale)


def test_kernels_run_as_plain_python_when_the_jit_is_disabled() -> None:
    csr = ([0, 2, 3, 4, 4], [1, 2, 3, 3], [1.0, 4.0, 1.5, 0.0])
    xs = [0.0, 1.0, 2.0, 2.0]
    script = textwrap.dedent(
        f"""
        from corridor.routing.shortest import astar, one_to_all_with_pred, point_to_point
        dist, pred = one_to_all_with_pred(*{csr!r}, 0)
        print(dist.tolist(), pred.tolist())
        print(point_to_point(*{csr!r}, 0, 3), astar(*{csr!r}, 0, 3, {xs!r}, [0.0] * 4))
        """
    )
    package_root = str(Path(shortest.__file__).parents[2])
    path = os.pathsep.join([package_root, os.environ.get("PYTHONPATH", "")])
    env = {**os.environ, "NUMBA_DISABLE_JIT": "1", "PYTHONPATH": path}
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    dist, pred = one_to_all_with_pred(*csr, 0)
    compiled = [
        f"{dist.tolist()} {pred.tolist()}",
        f"{point_to_point(*csr, 0, 3)} {astar(*csr, 0, 3, xs, [0.0] * 4)}",
    ]
    assert out.stdout.splitlines() == compiled
    assert compiled == ["[0.0, 1.0, 4.0, 2.5] [-1, 0, 0, 1]", "2.5 2.5"]


@pytest.mark.parametrize("source", [-1, -2, 3, 4])
def test_sources_outside_the_graph_are_refused(source: int) -> None:
    graph = CSRGraph.from_arrays([0, 1, 2, 2], [1, 2], [1.0, 1.0])  # 0 -> 1 -> 2
    with pytest.raises(ValueError, match="sources must lie in"):
        shortest.one_to_all_from_set(graph, [0, source])
