"""The LP's optimum against independent oracles on small random networks.

Single commodity: networkx's network simplex on the same graph (super source and sink, an
unserved arc at the penalty). Several commodities: a path-based LP over every simple path, and a
brute force over integer path splits, which can only be as good as the LP or worse.
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from scipy.optimize import linprog

import corridor
from corridor.assignment import assign, read_demand
from corridor.assignment.costs import edge_costs
from corridor.assignment.model import capacity_rows

sys.path.insert(0, str(Path(__file__).parent))
from small_networks import Small, smalls, write_small

PENALTY = 10_000.0
SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _load(small: Small, folder: Path) -> tuple[corridor.Network, Path]:
    write_small(small, folder)
    return corridor.load_network(folder), folder / "demand.csv"


def _caps(net: corridor.Network) -> dict[int, float]:
    caps: dict[int, float] = {}
    for row in capacity_rows(net):
        (edge,) = row.edges.tolist()
        caps[edge] = row.capacity
    return caps


@SETTINGS
@given(small=smalls(pairs=1))
def test_single_commodity_optimum_matches_networkx_network_simplex(
    small: Small, tmp_path_factory: object
) -> None:
    folder = Path(tmp_path_factory.mktemp("net"))  # type: ignore[attr-defined]
    net, demand = _load(small, folder)
    pairs = read_demand(demand, net)
    result = assign(net, pairs, value_of_time=1.0, unserved_penalty=PENALTY)

    g = net.graph
    costs = edge_costs(net, "general", 1.0).generalized
    caps = _caps(net)
    graph = nx.MultiDiGraph()
    (a, b, teu) = small.demand[0]
    graph.add_node("S", demand=-teu)
    graph.add_node("T", demand=teu)
    for e in range(g.n_edges):
        attrs = {"weight": round(float(2 * costs[e]))}  # exact: costs are multiples of 0.5
        if e in caps:
            attrs["capacity"] = int(caps[e])
        graph.add_edge(int(g.src[e]), int(g.dst[e]), **attrs)
    for v in g.vertices_of_node[net.node_index[f"N{a}"]]:
        graph.add_edge("S", v, weight=0)
    for v in g.vertices_of_node[net.node_index[f"N{b}"]]:
        graph.add_edge(v, "T", weight=0)
    graph.add_edge("S", "T", weight=int(2 * PENALTY))
    cost, _flow = nx.network_simplex(graph)
    assert result.objective_usd == pytest.approx(cost / 2, rel=1e-7, abs=1e-6)


def _simple_paths(net: corridor.Network, a: int, b: int) -> list[list[int]]:
    """Every simple path of edges from node a to node b (one layer: vertices are nodes)."""
    g = net.graph
    start = g.vertices_of_node[net.node_index[f"N{a}"]][0]
    goal = g.vertices_of_node[net.node_index[f"N{b}"]][0]
    paths: list[list[int]] = []

    def walk(v: int, seen: set[int], edges: list[int]) -> None:
        if v == goal:
            paths.append(list(edges))
            return
        for e in range(int(g.indptr[v]), int(g.indptr[v + 1])):
            w = int(g.dst[e])
            if w not in seen:
                walk(w, seen | {w}, [*edges, e])

    walk(start, {start}, [])
    return paths


@SETTINGS
@given(small=smalls(pairs=2, max_demand=3))
def test_multi_commodity_optimum_matches_path_lp_and_bounds_integer_brute_force(
    small: Small, tmp_path_factory: object
) -> None:
    folder = Path(tmp_path_factory.mktemp("net"))  # type: ignore[attr-defined]
    net, demand = _load(small, folder)
    result = assign(net, read_demand(demand, net), value_of_time=1.0, unserved_penalty=PENALTY)

    costs = edge_costs(net, "general", 1.0).generalized
    caps = _caps(net)
    paths = [_simple_paths(net, a, b) for a, b, _ in small.demand]
    # path LP: one column per path plus one unserved column per pair
    columns = [(k, p) for k, ps in enumerate(paths) for p in ps]
    n = len(columns) + len(paths)
    c = np.array([costs[p].sum() for _, p in columns] + [PENALTY] * len(paths))
    a_eq = np.zeros((len(paths), n))
    for j, (k, _) in enumerate(columns):
        a_eq[k, j] = 1
    for k in range(len(paths)):
        a_eq[k, len(columns) + k] = 1
    b_eq = [teu for _, _, teu in small.demand]
    cap_edges = sorted(caps)
    a_ub = np.array([[p.count(e) for _, p in columns] + [0] * len(paths) for e in cap_edges])
    lp = linprog(
        c,
        A_ub=a_ub if cap_edges else None,
        b_ub=[caps[e] for e in cap_edges] if cap_edges else None,
        A_eq=a_eq,
        b_eq=b_eq,
        method="highs",
    )
    assert lp.status == 0
    assert result.objective_usd == pytest.approx(lp.fun, rel=1e-7, abs=1e-6)

    # integer brute force over how each pair's TEU split over its cheapest few paths
    Split = tuple[list[list[int]], tuple[int, ...], int]

    def splits(k: int) -> list[Split]:
        options = sorted(paths[k], key=lambda p: float(costs[p].sum()))[:3]
        teu = small.demand[k][2]
        counts = itertools.product(range(teu + 1), repeat=len(options))
        return [(options, c, teu - sum(c)) for c in counts if sum(c) <= teu]

    best = np.inf
    for combo in itertools.product(*(splits(k) for k in range(len(paths)))):
        load: dict[int, int] = {}
        total = 0.0
        for options, counts, unserved in combo:
            for path, count in zip(options, counts, strict=True):
                total += count * float(costs[path].sum())
                for e in path:
                    load[e] = load.get(e, 0) + count
            total += unserved * PENALTY
        if all(load.get(e, 0) <= caps[e] for e in cap_edges):
            best = min(best, total)
    assert result.objective_usd <= best + 1e-6
