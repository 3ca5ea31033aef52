"""Flow assignment: the shipped demand on the bundled network, and one pair against networkx.

Target: assignment of the shipped demand (read demand, build the LP, HiGHS, flows, paths) <= 5 s.
3,000 OD rows (seeded: uniform node pairs of the bundled network, general cargo, 5-199 TEU/week)
<= 30 s (issue 11), by path columns (the default), beside the arc-flow LP (`formulation="arcs"`,
what `assign` solved before) given ARCS_LIMIT_S of HiGHS time; objectives checked equal when
both finish.
Peer: networkx has no multi-commodity solver, so the peer problem is one OD pair of the shipped
demand (the largest) with every capacity, a single-commodity min-cost flow that corridor's LP and
`networkx.network_simplex` both solve exactly; the two optima are checked equal.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

import numpy as np

from harness import Options, Report, Section, Target, skip, timed

TARGET_S = 5.0
ROWS = 3000
ROWS_TARGET_S = 30.0
ARCS_LIMIT_S = 60.0


def assignment(options: Options, report: Report) -> None:
    import corridor
    from corridor.assignment import assign, read_demand
    from corridor.assignment.costs import DEFAULT_VALUE_OF_TIME, UNSERVED_PENALTY, edge_costs
    from corridor.assignment.model import capacity_rows
    from corridor.routing.odset import default_od_path

    net = corridor.load_network()
    demand = read_demand(default_od_path(), net)

    def full() -> object:
        return assign(net, read_demand(default_od_path(), net))

    full()  # warm imports and caches
    times = timed(full, 5)
    median = statistics.median(times)
    result = assign(net, demand)
    print(
        f"\nassignment of the shipped demand ({len(demand)} OD pairs, "
        f"{result.demand_teu:,.0f} TEU/week, {net.graph.n_edges} edges)"
    )
    print(
        f"  corridor LP (HiGHS): median {median * 1000:,.1f} ms of 5 runs   target <= {TARGET_S:g} s"
        f"   bottlenecks: {', '.join(f.name for f in result.bottlenecks) or 'none'}"
    )
    what = "assignment of the shipped demand"
    report.targets.append(Target(what, f"{median:.3f} s", f"<= {TARGET_S:g} s", median <= TARGET_S))

    try:
        import networkx as nx
    except ImportError:
        skip(report, "assignment peer: one OD pair vs networkx", "ratio", "networkx missing")
        return
    pair = max(demand, key=lambda p: p.teu_per_week or 0.0)
    teu = int(pair.teu_per_week or 0)
    g = net.graph
    costs = edge_costs(net, pair.commodity, DEFAULT_VALUE_OF_TIME)
    caps: dict[int, int] = {}
    for row in capacity_rows(net):
        if row.kind == "terminal":
            continue  # a terminal caps two edges together; networkx cannot say that
        for e in row.edges.tolist():
            caps[e] = min(caps.get(e, 10**9), int(row.capacity))
    single_rows = [r for r in capacity_rows(net) if r.kind != "terminal"]

    def corridor_one() -> float:
        return assign(net, [pair], capacities=single_rows).objective_usd

    def networkx_one() -> float:
        graph = nx.MultiDiGraph()
        graph.add_node("S", demand=-teu)
        graph.add_node("T", demand=teu)
        for e in range(g.n_edges):
            if not costs.allowed[e]:
                continue
            attrs = {"weight": round(100 * float(costs.generalized[e]))}  # cents: integers
            if e in caps:
                attrs["capacity"] = caps[e]
            graph.add_edge(int(g.src[e]), int(g.dst[e]), **attrs)
        for v in g.vertices_of_node[net.node_index[pair.origin]]:
            graph.add_edge("S", v, weight=0)
        for v in g.vertices_of_node[net.node_index[pair.destination]]:
            graph.add_edge(v, "T", weight=0)
        graph.add_edge("S", "T", weight=round(100 * UNSERVED_PENALTY))
        cost, _ = nx.network_simplex(graph)
        return float(cost) / 100

    ours, theirs = corridor_one(), networkx_one()
    # networkx gets costs rounded to cents: up to half a cent per edge per TEU on a path
    agree = abs(ours - theirs) <= 0.005 * 100 * teu
    t_ours = statistics.median(timed(corridor_one, 5))
    t_nx = statistics.median(timed(networkx_one, 5))
    print(f"one OD pair with capacities ({pair.label}, {teu:,} TEU/week; terminal caps dropped)")
    print(f"  corridor LP (HiGHS)        median {t_ours * 1000:8.1f} ms   optimum {ours:,.2f}")
    print(
        f"  networkx network_simplex   median {t_nx * 1000:8.1f} ms   optimum {theirs:,.2f}"
        f"   ratio corridor/networkx {t_ours / t_nx:.2f}   optima agree: {agree}"
    )
    if not agree:
        report.failures.append("assignment: corridor and networkx optima differ")


def _rows(net: Any, rows: int, seed: int) -> list[Any]:
    """`rows` seeded OD rows: uniform pairs of distinct nodes, general cargo, 5-199 TEU/week."""
    from corridor.routing.odset import ODPair

    rng = np.random.default_rng(seed)
    ids = [n.node_id for n in net.nodes]
    out = []
    for _ in range(rows):
        a, b = rng.choice(len(ids), 2, replace=False)
        out.append(ODPair(ids[a], ids[b], "general", float(rng.integers(5, 200))))
    return out


def assignment_rows(options: Options, report: Report) -> None:
    """3,000 OD rows: path columns (default) against the arc LP under a HiGHS time limit."""
    from scipy.optimize import linprog

    import corridor
    from corridor.assignment import assign
    from corridor.assignment.costs import DEFAULT_VALUE_OF_TIME, UNSERVED_PENALTY
    from corridor.assignment.model import build_lp

    net = corridor.load_network()
    demand = _rows(net, ROWS, options.seed)
    assign(net, demand[:20])  # kernels loaded
    start = time.perf_counter()
    result = assign(net, demand)
    paths_s = time.perf_counter() - start
    start = time.perf_counter()
    lp = build_lp(
        net, demand, value_of_time=DEFAULT_VALUE_OF_TIME, unserved_penalty=UNSERVED_PENALTY
    )
    solved = linprog(
        lp.c, A_ub=lp.a_ub, b_ub=lp.b_ub, A_eq=lp.a_eq, b_eq=lp.b_eq, bounds=(0, None),
        method="highs", options={"time_limit": ARCS_LIMIT_S},
    )  # fmt: skip
    arcs_s = time.perf_counter() - start
    finished = solved.status == 0
    print(f"\n{ROWS:,} OD rows (seed {options.seed}), {result.demand_teu:,.0f} TEU/week")
    print(f"  path columns (default)   {paths_s:8.1f} s   objective {result.objective_usd:,.2f}")
    arcs = (
        f"{arcs_s:8.1f} s   objective {solved.fun:,.2f}"
        if finished
        else f"> {arcs_s:6.0f} s   ({lp.a_eq.shape[1]:,} columns; HiGHS stopped at its limit)"
    )
    print(f"  arc LP (before)          {arcs}   ratio paths/arcs {paths_s / arcs_s:.3f}")
    if finished and abs(solved.fun - result.objective_usd) > 1e-6 * abs(solved.fun):
        report.failures.append("assignment: path columns and the arc LP optima differ")
    report.targets.append(
        Target(f"assign {ROWS:,} OD rows", f"{paths_s:.1f} s (arc LP {'' if finished else '> '}"
               f"{arcs_s:.0f} s)", f"<= {ROWS_TARGET_S:g} s", paths_s <= ROWS_TARGET_S)
    )  # fmt: skip


SECTIONS: dict[str, Section] = {"assignment": assignment, "assignment-rows": assignment_rows}
