"""The LP's optimum against independent oracles on small random networks.

Single commodity: networkx's network simplex on the generated rows (super source and sink, an
unserved arc at the penalty). Several commodities: a path-based LP over every simple path, and a
brute force over integer path splits, which can only be as good as the LP or worse. Both build
their arcs, costs and capacities from the generated link rows (one rail layer, no borders, no
services): a TEU pays half a 40' box's price plus the value of time (USD 1 per TEU-hour here) for
the link's hours, so every cost is a multiple of USD 0.5.
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from scipy.optimize import linprog

import corridor
from corridor.assignment import assign, read_demand

sys.path.insert(0, str(Path(__file__).parent))
from small_networks import Small, smalls, write_small

PENALTY = 10_000.0
SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _load(small: Small, folder: Path) -> tuple[corridor.Network, Path]:
    write_small(small, folder)
    return corridor.load_network(folder), folder / "demand.csv"


def _arcs(small: Small) -> list[tuple[str, str, float, int | None]]:
    """(from, to, USD per TEU at USD 1 per TEU-hour, TEU/week capacity) per link direction."""
    arcs = []
    for link in small.links:
        cost = 0.5 * (link["tariff_usd_per_feu_km"] * link["distance_km"])
        cost += 0.5 * link["tariff_usd_per_feu"] + 1.0 * link["duration_h"]
        ends = [(link["from_node"], link["to_node"])]
        if link["bidirectional"]:
            ends.append((link["to_node"], link["from_node"]))
        arcs += [(a, b, cost, link["capacity_teu_per_week"]) for a, b in ends]
    return arcs


@SETTINGS
@given(small=smalls(pairs=1))
def test_single_commodity_optimum_matches_networkx_network_simplex(
    small: Small, tmp_path_factory: Any
) -> None:
    folder = Path(tmp_path_factory.mktemp("net"))
    net, demand = _load(small, folder)
    pairs = read_demand(demand, net)
    result = assign(net, pairs, value_of_time=1.0, unserved_penalty=PENALTY)

    graph = nx.MultiDiGraph()
    (a, b, teu) = small.demand[0]
    graph.add_node("S", demand=-teu)
    graph.add_node("T", demand=teu)
    for tail, head, cost, cap in _arcs(small):
        attrs: dict[str, int] = {"weight": round(2 * cost)}  # exact: multiples of 0.5
        if cap is not None:
            attrs["capacity"] = cap
        graph.add_edge(tail, head, **attrs)
    graph.add_edge("S", f"N{a}", weight=0)
    graph.add_edge(f"N{b}", "T", weight=0)
    graph.add_edge("S", "T", weight=int(2 * PENALTY))
    cost, _flow = nx.network_simplex(graph)
    assert result.objective_usd == pytest.approx(cost / 2, rel=1e-7, abs=1e-6)


def _simple_paths(small: Small, a: int, b: int) -> list[list[int]]:
    """Every simple path from node a to node b, as indices into `_arcs(small)`."""
    arcs = _arcs(small)
    paths: list[list[int]] = []

    def walk(v: str, seen: set[str], used: list[int]) -> None:
        if v == f"N{b}":
            paths.append(list(used))
            return
        for i, (tail, head, _cost, _cap) in enumerate(arcs):
            if tail == v and head not in seen:
                walk(head, seen | {head}, [*used, i])

    walk(f"N{a}", {f"N{a}"}, [])
    return paths


@SETTINGS
@given(small=smalls(pairs=2, max_demand=3))
def test_multi_commodity_optimum_matches_path_lp_and_bounds_integer_brute_force(
    small: Small, tmp_path_factory: Any
) -> None:
    folder = Path(tmp_path_factory.mktemp("net"))
    net, demand = _load(small, folder)
    result = assign(net, read_demand(demand, net), value_of_time=1.0, unserved_penalty=PENALTY)

    arcs = _arcs(small)
    costs = np.array([cost for _, _, cost, _ in arcs])
    caps = {i: cap for i, (_, _, _, cap) in enumerate(arcs) if cap is not None}
    paths = [_simple_paths(small, a, b) for a, b, _ in small.demand]
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
