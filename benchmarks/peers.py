"""One adapter per shortest-path library, all built from the same CSR arrays.

`run.py` runs each library in its own subprocess (`python peers.py --library NAME ...`), so
peak memory is the library's own and no library warms caches for the next. The child times the
build, the one-to-all queries and the point-to-point queries, checks distances against scipy's
(written by the scipy child first) and prints one JSON line of results.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

sys.path.insert(0, str(Path(__file__).resolve().parent))

from graphs import RoadGraph, load

FloatArray = NDArray[np.float64]
TOLERANCE = 1e-9


class Peer:
    """A library under test: build its graph once, then answer distance queries."""

    name = ""
    p2p_is_one_to_all = False  # scipy has no early exit: its p2p is a full one-to-all

    def warm_up(self) -> None:
        """Run a tiny query so imports, JITs and lazy setup are not timed."""
        tiny = RoadGraph(
            indptr=np.array([0, 1, 2], dtype=np.int64),
            indices=np.array([1, 0], dtype=np.int32),
            weights=np.array([1.0, 1.0]),
            x=np.array([0.0, 1.0]),
            y=np.array([0.0, 0.0]),
            build_seconds=0.0,
        )
        self.build(tiny)
        self.one_to_all(0)
        self.point_to_point(0, 1)

    def build(self, graph: RoadGraph) -> None:
        raise NotImplementedError

    def one_to_all(self, source: int) -> Any:
        """Distances in the library's native form (converted by `as_array`, untimed)."""
        raise NotImplementedError

    def as_array(self, native: Any, source: int, n: int) -> FloatArray:
        return np.asarray(native, dtype=np.float64).reshape(n)

    def point_to_point(self, source: int, target: int) -> float:
        raise NotImplementedError


class Scipy(Peer):
    name = "scipy"
    p2p_is_one_to_all = True

    def build(self, graph: RoadGraph) -> None:
        from scipy.sparse import csr_array
        from scipy.sparse.csgraph import dijkstra

        self._dijkstra = dijkstra
        n = graph.n_nodes
        # int32 index arrays are csgraph's native type: no conversion inside each query.
        indptr = graph.indptr.astype(np.int32) if graph.n_arcs < 2**31 else graph.indptr
        self.matrix = csr_array((graph.weights, graph.indices, indptr), shape=(n, n))

    def one_to_all(self, source: int) -> FloatArray:
        return np.asarray(self._dijkstra(self.matrix, directed=True, indices=source))

    def point_to_point(self, source: int, target: int) -> float:
        return float(self.one_to_all(source)[target])


class Corridor(Peer):
    name = "corridor"

    def warm_up(self) -> None:
        from corridor.routing.shortest import warm_up

        warm_up()

    def build(self, graph: RoadGraph) -> None:
        from corridor.routing.shortest import CSRGraph

        self.graph = CSRGraph.from_arrays(graph.indptr, graph.indices, graph.weights)
        self.x, self.y = graph.x, graph.y

    def one_to_all(self, source: int) -> FloatArray:
        return self.graph.one_to_all(source)

    def point_to_point(self, source: int, target: int) -> float:
        return self.graph.point_to_point(source, target)


class CorridorAStar(Corridor):
    name = "corridor A*"

    def one_to_all(self, source: int) -> FloatArray:
        raise NotImplementedError  # A* is point-to-point only

    def point_to_point(self, source: int, target: int) -> float:
        # The generator's weights are length x detour >= length, so scale 1 is admissible.
        return self.graph.astar(source, target, self.x, self.y, 1.0)


class Networkit(Peer):
    name = "networkit"

    def build(self, graph: RoadGraph) -> None:
        import networkit as nk

        nk.setLogLevel("ERROR")
        self._nk = nk
        tails = np.repeat(np.arange(graph.n_nodes, dtype=np.uint64), np.diff(graph.indptr))
        heads = graph.indices.astype(np.uint64)
        self.g = nk.GraphFromCoo(
            (graph.weights, (tails, heads)), n=graph.n_nodes, weighted=True, directed=True
        )

    def one_to_all(self, source: int) -> list[float]:
        algo = self._nk.distance.Dijkstra(self.g, source, storePaths=False)
        algo.run()
        return list(algo.getDistances())

    def as_array(self, native: Any, source: int, n: int) -> FloatArray:
        dist = np.asarray(native, dtype=np.float64)
        dist[dist >= np.finfo(np.float64).max] = np.inf  # networkit marks unreachable so
        return dist

    def point_to_point(self, source: int, target: int) -> float:
        algo = self._nk.distance.Dijkstra(self.g, source, storePaths=False, target=target)
        algo.run()
        d = float(algo.distance(target))
        return math.inf if d >= np.finfo(np.float64).max else d


class Igraph(Peer):
    name = "igraph"

    def build(self, graph: RoadGraph) -> None:
        import igraph as ig

        tails = np.repeat(np.arange(graph.n_nodes), np.diff(graph.indptr))
        self.g = ig.Graph(
            n=graph.n_nodes,
            edges=np.column_stack([tails, graph.indices]),
            directed=True,
            edge_attrs={"weight": graph.weights},
        )

    def one_to_all(self, source: int) -> list[list[float]]:
        return list(self.g.distances(source=[source], weights="weight", mode="out"))

    def point_to_point(self, source: int, target: int) -> float:
        return float(self.g.distances(source=source, target=target, weights="weight")[0][0])


class Rustworkx(Peer):
    name = "rustworkx"

    def build(self, graph: RoadGraph) -> None:
        import rustworkx as rx

        self._rx = rx
        tails = np.repeat(np.arange(graph.n_nodes), np.diff(graph.indptr))
        self.g = rx.PyDiGraph(multigraph=False)
        self.g.add_nodes_from(range(graph.n_nodes))
        edges = zip(tails.tolist(), graph.indices.tolist(), graph.weights.tolist(), strict=True)
        self.g.add_edges_from(list(edges))

    def one_to_all(self, source: int) -> Any:
        return self._rx.digraph_dijkstra_shortest_path_lengths(self.g, source, float)

    def as_array(self, native: Any, source: int, n: int) -> FloatArray:
        return _dict_to_array(dict(native), source, n)

    def point_to_point(self, source: int, target: int) -> float:
        if source == target:
            return 0.0
        found = self._rx.digraph_dijkstra_shortest_path_lengths(self.g, source, float, goal=target)
        return float(found[target]) if target in found else math.inf


class Networkx(Peer):
    name = "networkx"

    def build(self, graph: RoadGraph) -> None:
        import networkx as nx
        from scipy.sparse import csr_array

        self._nx = nx
        n = graph.n_nodes
        matrix = csr_array((graph.weights, graph.indices, graph.indptr), shape=(n, n))
        self.g = nx.from_scipy_sparse_array(matrix, create_using=nx.DiGraph)

    def one_to_all(self, source: int) -> dict[int, float]:
        return dict(self._nx.single_source_dijkstra_path_length(self.g, source, weight="weight"))

    def as_array(self, native: Any, source: int, n: int) -> FloatArray:
        return _dict_to_array(native, source, n)

    def point_to_point(self, source: int, target: int) -> float:
        try:
            return float(self._nx.dijkstra_path_length(self.g, source, target, weight="weight"))
        except self._nx.NetworkXNoPath:
            return math.inf


def _dict_to_array(found: dict[int, float], source: int, n: int) -> FloatArray:
    dist = np.full(n, np.inf)
    if found:
        dist[np.fromiter(found.keys(), dtype=np.int64)] = np.fromiter(found.values(), float)
    dist[source] = 0.0
    return dist


PEERS: dict[str, Callable[[], Peer]] = {
    cls.name: cls
    for cls in (Scipy, Corridor, CorridorAStar, Networkit, Igraph, Rustworkx, Networkx)
}


def relative_error(got: FloatArray, expected: FloatArray, chunk: int = 1 << 16) -> float:
    """Largest |got - expected| / max(1, |expected|); inf if reachability differs.

    Works in chunks so the check adds no n-sized temporaries to the memory figures.
    """
    worst = 0.0
    for lo in range(0, expected.shape[0], chunk):
        g, e = got[lo : lo + chunk], expected[lo : lo + chunk]
        e_inf = np.isinf(e)
        if not np.array_equal(np.isinf(g), e_inf):
            return math.inf
        if not e_inf.all():
            g, e = g[~e_inf], e[~e_inf]
            worst = max(worst, float((np.abs(g - e) / np.maximum(1.0, np.abs(e))).max()))
    return worst


def _status_mb(field: str) -> float | None:
    """A memory figure from /proc/self/status (Linux), in MB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024.0  # kB
    except OSError:
        pass
    return None


def _reset_peak() -> float:
    """Start a memory phase: reset the peak-RSS mark where Linux allows; the RSS now, MB."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")  # 5: reset VmHWM to the current RSS
    now = _status_mb("VmRSS")
    return now if now is not None else _peak_mb()


def _peak_mb() -> float:
    """Peak RSS in MB: VmHWM (resettable) on Linux, else the process-lifetime maximum."""
    peak = _status_mb("VmHWM")
    if peak is not None:
        return peak
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # kB on Linux


def _timed_loop(
    items: list[Any], call: Callable[[Any], Any], keep: Callable[[int, Any], None], budget: float
) -> list[float]:
    """Time `call` on items in order, handing each result to `keep` untimed.

    Stops early once `budget` seconds are spent (after at least one run).
    """
    times: list[float] = []
    for i, item in enumerate(items):
        if times and sum(times) > budget:
            break
        start = time.perf_counter()
        result = call(item)
        times.append(time.perf_counter() - start)
        keep(i, result)
    return times


def run_peer(
    name: str, graph_path: Path, queries_path: Path, refs_path: Path, budget_s: float
) -> dict[str, Any]:
    """Measure one library; scipy's run also writes the reference distances to `refs_path`.

    Results are checked (or, for scipy, stored in arrays allocated beforehand) as they come,
    so the memory figures are the library's build and per-query peaks, not retained results.
    """
    peer = PEERS[name]()
    start = time.perf_counter()
    peer.warm_up()
    warm_up_s = time.perf_counter() - start
    graph = load(graph_path)
    n = graph.n_nodes
    with np.load(queries_path) as q:
        sources = [int(s) for s in q["sources"]]
        pairs = [(int(s), int(t)) for s, t in q["pairs"]]
    is_reference = isinstance(peer, Scipy)
    if is_reference:
        ref_o2a = np.full((len(sources), n), np.nan)
        ref_p2p = np.full(len(pairs), np.nan)
    else:
        with np.load(refs_path) as refs:
            ref_o2a, ref_p2p = refs["o2a"], refs["p2p"]
    errors = [0.0]

    def keep_o2a(i: int, native: Any) -> None:
        dist = peer.as_array(native, sources[i], n)
        if is_reference:
            ref_o2a[i] = dist
        else:
            errors.append(relative_error(dist, ref_o2a[i]))

    def keep_p2p(i: int, value: float) -> None:
        if is_reference:
            ref_p2p[i] = value
        else:
            errors.append(relative_error(np.array([value]), ref_p2p[i : i + 1]))

    base_mb = _reset_peak()
    start = time.perf_counter()
    peer.build(graph)
    build_s = time.perf_counter() - start
    build_mb = _peak_mb()
    o2a_times: list[float] = []
    if not isinstance(peer, CorridorAStar):
        o2a_times = _timed_loop(sources, peer.one_to_all, keep_o2a, budget_s)
    p2p_times = _timed_loop(pairs, lambda st: peer.point_to_point(*st), keep_p2p, budget_s)
    peak_mb = _peak_mb()
    if is_reference:
        np.savez(refs_path, o2a=ref_o2a, p2p=ref_p2p)
    return {
        "library": name,
        "warm_up_s": warm_up_s,
        "build_s": build_s,
        "one_to_all_s": o2a_times,
        "p2p_s": p2p_times,
        "p2p_is_one_to_all": peer.p2p_is_one_to_all,
        "max_rel_error": max(errors),
        "build_mb": build_mb - base_mb,
        "peak_mb": peak_mb - base_mb,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--library", choices=sorted(PEERS), required=True)
    parser.add_argument("--graph", type=Path, required=True)
    parser.add_argument("--queries", type=Path, required=True)
    parser.add_argument("--refs", type=Path, required=True)
    parser.add_argument("--budget", type=float, default=10.0, help="seconds per query phase")
    args = parser.parse_args()
    result = run_peer(args.library, args.graph, args.queries, args.refs, args.budget)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
