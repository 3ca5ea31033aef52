"""Scale: every analysis on generated multimodal networks of 1k to 30k nodes, beside scipy.

    python benchmarks/run.py --sections scale                       # 1k, 3k, 10k, 30k
    python benchmarks/run.py --sections scale --scale-sizes 1k,3k --case-timeout 60

Per size, a network from `generate_network.py` (seeded, cached under benchmarks/results/cache)
and, each in a fresh subprocess with a time limit (a case over it reads "> limit"):

| case | what is timed |
|---|---|
| pareto3 exact | `pareto.search` with time, cost, CO2e, exact |
| pareto3 ε | the same in the planner's default ε mode (`DEFAULT_EPSILON`, merging at every vertex, each criterion's exact optimum added) |
| p90 | `pareto_paths` with the robust P90 clock and cost, exact |
| plan | `corridor.plan` with the default alternatives |
| montecarlo | `simulate` of the fastest route (found by a single-criterion search), 10,000 samples |
| criticality | every element of the network closed for 3 OD pairs (`criticality`, one process; the network opened before timing) |
| assign | the package's demand.csv (20 OD rows) under capacities |

The query runs from the westmost node to the eastmost. Times are CPU seconds of the case's
process (the machines these run on are shared), kernels loaded first (`pareto.warm_up`): the
median of up to three runs, no more once 2 s are spent. Beside each figure: scipy's one-to-all
Dijkstra (median hours, the same expanded graph, parallel edges reduced to their minimum)
measured in the same subprocess, and the ratio. Peak memory is the subprocess's peak RSS
(network loaded included); label counts are shown where the engine reports them. The growth
exponent is the slope of log(time) over log(nodes) across the sizes a case finished.
Also: `corridor assign` on 3,000 OD rows of the bundled network (target <= 30 s), and the LP
of that demand under HiGHS dual simplex against interior point.
"""

from __future__ import annotations

import argparse
import csv
import inspect
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from harness import Options, Report, Section, Target

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
RESULTS = HERE / "results"
CASES = ("pareto3 exact", "pareto3 ε", "p90", "plan", "montecarlo", "criticality", "assign")
SEED = 20_260_101
ASSIGN_ROWS = 3000
ASSIGN_TARGET_S = 30.0


def parse_nodes(label: str) -> int:
    label = label.strip().lower()
    return int(float(label[:-1]) * 1000) if label.endswith("k") else int(label)


def package_for(n: int, seed: int = SEED) -> Path:
    """The generated package of `n` nodes, written once and kept in the results cache."""
    sys.path.insert(0, str(HERE))
    from generate_network import generate_package

    folder = RESULTS / "cache" / f"scale-{n}-seed{seed}"
    if not (folder / "demand.csv").exists():
        generate_package(n, folder, seed)
    return folder


# -- the child: one case on one package ---------------------------------------------------------


def _scipy_one_to_all(net: Any, source: int, repeats: int = 5) -> float:
    """Median CPU seconds of scipy's Dijkstra from `source` over the expanded graph (median hours)."""
    from scipy.sparse import csr_array
    from scipy.sparse.csgraph import dijkstra

    g = net.graph
    w = g.hours.copy()
    order = np.lexsort((w, g.src, g.dst))
    s, d, w = g.src[order], g.dst[order], w[order]
    first = np.ones(len(s), dtype=bool)
    first[1:] = (s[1:] != s[:-1]) | (d[1:] != d[:-1])
    matrix = csr_array(
        (np.maximum(w[first], 1e-12), (s[first], d[first])), shape=(g.n_vertices,) * 2
    )
    times = []
    for _ in range(repeats):
        start = time.process_time()
        dijkstra(matrix, directed=True, indices=source)
        times.append(time.process_time() - start)
    return statistics.median(times)


def _ends(net: Any) -> list[tuple[str, str]]:
    """Three OD pairs across the network: west-east, north-south, south-west to north-east."""
    lon = np.array([n.lon for n in net.nodes])
    lat = np.array([n.lat for n in net.nodes])

    def node(i: int) -> str:
        return str(net.nodes[int(i)].node_id)

    return [
        (node(lon.argmin()), node(lon.argmax())),
        (node(lat.argmax()), node(lat.argmin())),
        (node((lon + lat).argmin()), node((lon + lat).argmax())),
    ]


def _engine_kwargs(exact: bool) -> dict[str, Any] | None:
    """What the query case passes to the engine: exact, or the planner's default eps mode
    (merging at every vertex, the exact optima added); None where the engine has no eps."""
    from corridor.routing import pareto

    if "merge" not in inspect.signature(getattr(pareto, "search", lambda: None)).parameters:
        return {} if exact else None
    from corridor.routing.query import DEFAULT_EPSILON

    return (
        {"epsilon": 0.0, "merge": False} if exact else {"epsilon": DEFAULT_EPSILON, "merge": True}
    )


def _warm_up() -> None:
    """Load the compiled kernels before timing, as scipy's are (an engine without is timed cold)."""
    from corridor.routing import pareto

    warm = getattr(pareto, "warm_up", None)
    if warm is not None:
        warm()


def _warm_up_criticality() -> None:
    """Load criticality's compiled replan kernel, where the engine has one."""
    try:
        from corridor.routing import replan_kernel
    except ImportError:  # an engine without it replans through `pareto` (loaded by _warm_up)
        return
    replan_kernel.compiled()


def run_case(case: str, package: Path) -> dict[str, Any]:
    """Run one case in this process; its figures as a JSON-able dict."""
    import corridor
    from corridor.routing.clock import to_hours
    from corridor.routing.pareto import CO2E, COST, P90, TIME, pareto_paths, prepare
    from corridor.routing.weights import Exclusions, edge_weights, shipment_of

    net = corridor.load_network(package)
    (origin, destination), *_ = _ends(net)
    g = net.graph
    sources = g.vertices_of_node[net.node_index[origin]]
    targets = g.vertices_of_node[net.node_index[destination]]
    depart = datetime(2026, 12, 1, tzinfo=UTC)
    query = corridor.Query(origin, destination, depart=depart)
    out: dict[str, Any] = {
        "nodes": len(net.nodes),
        "vertices": g.n_vertices,
        "edges": g.n_edges,
        "scipy_s": _scipy_one_to_all(net, sources[0]),
    }
    action: Callable[[], Any]
    if case in ("pareto3 exact", "pareto3 ε", "p90"):
        shipment = shipment_of(net, "general", query.cargo)
        space = prepare(g, edge_weights(net, shipment, Exclusions()))
        kwargs = _engine_kwargs(case != "pareto3 ε")
        if kwargs is None:
            return {**out, "skipped": "the engine has no ε"}
        criteria = [P90, COST] if case == "p90" else [TIME, COST, CO2E]
        start = to_hours(depart)
        stats: dict[str, int] = {}

        def action() -> Any:
            if "merge" not in kwargs:  # an engine without `search` returns no counts
                return len(pareto_paths(space, sources, targets, start, criteria, **kwargs))
            from corridor.routing.pareto import search

            paths, cost = search(space, sources, targets, start, criteria, **kwargs)
            stats.update(labels=cost.labels, searches=cost.searches)
            return len(paths)

        out["stats"] = stats
    elif case == "plan":

        def action() -> Any:
            return len(corridor.plan(net, query).routes)
    elif case == "montecarlo":
        from corridor.reliability.montecarlo import simulate
        from corridor.scenarios.optima import Searches

        # the fastest route by a single-criterion search: the case times the simulation only
        search = Searches(net).od(origin, destination, "general", query.cargo, depart)
        route = search.best_route("time") if search is not None else None
        assert route is not None

        def action() -> Any:
            return simulate(net, route, samples=10_000, seed=1).p90
    elif case == "criticality":
        from corridor.batch.spec import NetworkSpec
        from corridor.routing.odset import ODPair
        from corridor.scenarios.criticality import criticality

        pairs = [ODPair(a, b, teu_per_week=100.0) for a, b in _ends(net)]
        spec = NetworkSpec(str(package))
        spec.open()  # loaded once per process, as `net` is for the other cases
        _warm_up_criticality()
        counts: dict[str, int] = {}
        out["stats"] = counts

        def action() -> Any:
            result = criticality(spec, pairs, depart=depart, progress=False)
            counts.update(replans=result.replans, elements=len(result.ranking))
            return result.replans
    elif case == "assign":
        from corridor.assignment import assign, read_demand

        demand = read_demand(package / "demand.csv", net)

        def action() -> Any:
            return round(assign(net, demand).objective_usd)
    else:
        raise SystemExit(f"unknown case {case!r}")
    _warm_up()
    times: list[float] = []
    while not times or (len(times) < 3 and sum(times) < 2.0):
        start_t = time.process_time()
        answer = action()
        times.append(time.process_time() - start_t)
    out["seconds"] = statistics.median(times)
    out["first_s"] = times[0]  # caches built on first use (weights, bounds, indexes) included
    out["runs"] = len(times)
    out["answer"] = answer
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


# -- the parent: sizes x cases, each in a subprocess ----------------------------------------------


def _child(case: str, package: Path, limit_s: float) -> dict[str, Any] | str:
    command = [sys.executable, str(Path(__file__)), "--case", case, "--package", str(package)]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
    }
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=limit_s, check=False, env=env
        )
    except subprocess.TimeoutExpired:
        return f"> {limit_s:g} s"
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines() or ["(no output)"]
        return f"failed: {lines[-1][:60]}"
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _growth(points: list[tuple[int, float]]) -> float | None:
    if len(points) < 2:
        return None
    x = np.log([p[0] for p in points])
    y = np.log([max(p[1], 1e-9) for p in points])
    return float(np.polyfit(x, y, 1)[0])


def _cell(result: dict[str, Any] | str) -> str:
    if isinstance(result, str):
        return result
    if "skipped" in result:
        return "n/a"
    s = result["seconds"]
    ratio = s / result["scipy_s"] if result["scipy_s"] > 0 else math.inf
    labels = result.get("stats", {}).get("labels")
    extra = f" {labels:,} labels" if labels else ""
    return f"{s:.3g} s ({ratio:,.0f}x) {result['peak_mb']:.0f} MB{extra}"


def scale(options: Options, report: Report) -> None:
    """Each case at each generated size beside scipy's one-to-all, and the growth exponents."""
    sizes = [parse_nodes(s) for s in options.scale_sizes]
    limit = options.case_timeout_s
    print(f"\n== scale: generated multimodal networks, each case limited to {limit:g} s ==")
    table: dict[str, dict[int, dict[str, Any] | str]] = {case: {} for case in CASES}
    shapes: dict[int, str] = {}
    for n in sizes:
        package = package_for(n)
        for case in CASES:
            result = _child(case, package, limit)
            table[case][n] = result
            print(f"  {n:>6,} {case:<14} {_cell(result)}", flush=True)
            if isinstance(result, dict) and n not in shapes:
                shapes[n] = (
                    f"{result['nodes']:,} nodes, {result['vertices']:,} vertices, "
                    f"{result['edges']:,} edges, scipy one-to-all {result['scipy_s'] * 1e3:.2f} ms"
                )
    for n, shape in shapes.items():
        print(f"  {n:>6,}: {shape}")
    width = 36
    print(f"{'case':<14}" + "".join(f"{n:>{width},}" for n in sizes) + f"{'growth':>8}")
    growth: dict[str, float | None] = {}
    for case in CASES:
        points = [
            (r["nodes"], r["seconds"])
            for r in table[case].values()
            if isinstance(r, dict) and "seconds" in r
        ]
        growth[case] = _growth(points)
        exponent = "-" if growth[case] is None else f"n^{growth[case]:.2f}"
        cells = "".join(f"{_cell(table[case][n]):>{width}}" for n in sizes)
        print(f"{case:<14}{cells}{exponent:>8}")
    print(
        "each cell: seconds (ratio to scipy's one-to-all on the same graph, same run), peak RSS"
        " of the case's process; growth: slope of log time over log nodes."
    )
    _targets(table, report)
    assign_3000(options, report)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = RESULTS / f"scale-{stamp}.json"
    target.write_text(
        json.dumps({"limit_s": limit, "cases": table, "growth": growth}, indent=2, default=str)
    )
    print(f"wrote {target}")


def _targets(table: dict[str, dict[int, dict[str, Any] | str]], report: Report) -> None:
    """Issue 11's scale targets, where measured."""
    plan_3k = table["plan"].get(3000)
    if isinstance(plan_3k, dict) and "seconds" in plan_3k:
        ratio = plan_3k["seconds"] / plan_3k["scipy_s"]
        report.targets.append(
            Target("3k plan with alternatives vs scipy", f"{ratio:,.0f}x", "<= 300x", ratio <= 300)
        )
    for case, name in (("pareto3 ε", "10k 3-criteria query (ε)"), ("plan", "10k plan")):
        at_10k = table[case].get(10000)
        if isinstance(at_10k, dict) and "seconds" in at_10k:
            s = at_10k["seconds"]
            report.targets.append(Target(name, f"{s:.2f} s CPU", "< 1 s", s < 1.0))
    plan_30k = table["plan"].get(30000)
    if isinstance(plan_30k, dict) and "seconds" in plan_30k:
        mb = plan_30k["peak_mb"]
        report.targets.append(Target("30k plan peak memory", f"{mb:.0f} MB", "< 2 GB", mb < 2048))


def _write_od_rows(net: Any, path: Path, rows: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    ids = [n.node_id for n in net.nodes]
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["origin", "destination", "commodity", "teu_per_week"])
        for _ in range(rows):
            a, b = rng.choice(len(ids), 2, replace=False)
            writer.writerow([ids[a], ids[b], "general", int(rng.integers(5, 200))])


def assign_3000(options: Options, report: Report) -> None:
    """`corridor assign` with 3,000 OD rows of the bundled network; HiGHS methods side by side."""
    from scipy.optimize import linprog

    import corridor
    from corridor.assignment import read_demand
    from corridor.assignment.costs import DEFAULT_VALUE_OF_TIME, UNSERVED_PENALTY
    from corridor.assignment.model import build_lp

    net = corridor.load_network()
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"od-{ASSIGN_ROWS}.csv"
    _write_od_rows(net, path, ASSIGN_ROWS, options.seed)
    executable = Path(sys.executable).with_name("corridor")
    print(f"\n== assign: {ASSIGN_ROWS:,} OD rows of the bundled network ==")
    start = time.perf_counter()
    done = subprocess.run(
        [str(executable), "assign", str(path), "--format", "json"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    seconds = time.perf_counter() - start
    ok = done.returncode == 0
    print(f"corridor assign (cold CLI, whole run): {seconds:.1f} s, exit {done.returncode}")
    report.targets.append(
        Target(f"assign {ASSIGN_ROWS} OD rows (CLI)", f"{seconds:.1f} s", "<= 30 s",
               ok and seconds <= ASSIGN_TARGET_S)
    )  # fmt: skip
    demand = read_demand(path, net)
    lp = build_lp(
        net, demand, value_of_time=DEFAULT_VALUE_OF_TIME, unserved_penalty=UNSERVED_PENALTY
    )
    print(f"LP: {lp.a_eq.shape[1]:,} columns, {lp.a_eq.shape[0] + lp.a_ub.shape[0]:,} rows")
    objectives = {}
    for method in ("highs-ds", "highs-ipm", "highs"):
        start = time.perf_counter()
        result = linprog(lp.c, A_ub=lp.a_ub, b_ub=lp.b_ub, A_eq=lp.a_eq, b_eq=lp.b_eq,
                         bounds=(0, None), method=method)  # fmt: skip
        objectives[method] = float(result.fun)
        print(f"  {method:<10} {time.perf_counter() - start:7.2f} s  objective {result.fun:,.2f}")
    spread = max(objectives.values()) / min(objectives.values()) - 1
    print(f"  objectives agree within {spread:.1e} (relative)")


SECTIONS: dict[str, Section] = {"scale": scale}


def _main() -> int:
    parser = argparse.ArgumentParser(description="one scale case (run by the scale section)")
    parser.add_argument("--case", required=True, choices=CASES)
    parser.add_argument("--package", required=True, type=Path)
    args = parser.parse_args()
    print(json.dumps(run_case(args.case, args.package), default=str))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    sys.path.insert(0, str(SRC))
    raise SystemExit(_main())
