"""Batch and criticality: queries per second on 1 and 2 processes and a Dask cluster; the
criticality ranking over the whole bundled network beside its exhaustive peer.

criticality: every border, crossing, link and hub closed in turn for the default OD set. The
peer is the same ranking computed without the shortcut (every OD replanned for every element),
which must give the same numbers. With 2 workers a job shorter than starting the processes runs
in the calling process (`corridor.scenarios.criticality.worth_processes`); the exhaustive peer
is long enough to use them. batch: 10,000 Pareto queries (alternatives=0), the bundled OD
set times hourly departures, on 1 and 2 local worker processes and a 2-worker Dask LocalCluster.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from harness import Options, Report, Section, Target, skip

CRITICALITY_BOUND_S = 10.0  # issue 11: every element of the bundled network, 2 cores
BATCH_QUERIES = 10_000
DEPART = datetime(2026, 12, 1, tzinfo=UTC)


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def criticality(options: Options, report: Report) -> None:
    """Criticality over every element of the bundled network: pruned vs exhaustive replanning."""
    print(f"\n== criticality: bundled network, default OD set, {_cores()} cores ==")
    what = "criticality, every element (2 workers)"
    bound = f"<= {CRITICALITY_BOUND_S:.0f} s"
    try:
        from corridor.batch.spec import NetworkSpec
        from corridor.routing.odset import default_od_path, read_od_pairs
        from corridor.scenarios.criticality import criticality as rank
        from corridor.scenarios.criticality import elements
    except ImportError as exc:
        skip(report, what, bound, str(exc))
        return
    spec = NetworkSpec()
    net = spec.open()
    pairs = read_od_pairs(default_od_path(), net)
    rows: list[tuple[str, int, int, float, int]] = []
    results: dict[str, Any] = {}
    # warm: kernels loaded and each commodity's weights prepared before any clock starts
    rank(spec, pairs, depart=DEPART, kinds=["border"], progress=False)
    for label, kinds, workers, exhaustive in (
        ("links+crossings", ["link", "crossing"], 1, False),
        ("links+crossings", ["link", "crossing"], 2, False),
        ("all kinds", ["border", "crossing", "link", "hub"], 2, False),
        ("links+crossings, exhaustive (peer)", ["link", "crossing"], 2, True),
    ):
        start = time.perf_counter()
        result = rank(
            spec, pairs, depart=DEPART, kinds=kinds, workers=workers, exhaustive=exhaustive,
            progress=False,
        )  # fmt: skip
        seconds = time.perf_counter() - start
        results[f"{label}/{workers}"] = result
        rows.append((label, len(elements(net, kinds)), workers, seconds, result.replans))
    print(f"{'run':<38}{'elements':>9}{'workers':>8}{'seconds':>9}{'replans':>9}")
    for label, n, workers, seconds, replans in rows:
        print(f"{label:<38}{n:>9}{workers:>8}{seconds:>9.2f}{replans:>9}")
    quick = rows[1][3]
    peer = rows[3][3]
    every = rows[2][3]
    same = [e.to_dict() for e in results["links+crossings/2"].ranking] == [
        e.to_dict() for e in results["links+crossings, exhaustive (peer)/2"].ranking
    ]
    print(f"exhaustive / pruned: {peer / quick:.1f}x slower; same ranking: {same}")
    print(f"1 -> 2 workers speedup: {rows[0][3] / quick:.2f}x")
    if not same:
        report.failures.append("criticality: pruned and exhaustive rankings differ")
    report.targets.append(
        Target(what, f"{every:.2f} s (links+crossings {quick:.2f} s, peer {peer:.2f} s)", bound,
               every <= CRITICALITY_BOUND_S)
    )  # fmt: skip


def batch(options: Options, report: Report) -> None:
    """10,000 Pareto queries: 1 and 2 local processes and a 2-worker Dask LocalCluster."""
    print(f"\n== batch: {BATCH_QUERIES:,} Pareto queries (alternatives=0), {_cores()} cores ==")
    what = f"batch {BATCH_QUERIES:,} queries, throughput"
    try:
        from distributed import Client, LocalCluster

        from corridor.batch.queries import BatchJob, run_batch
        from corridor.network.loader import load_network
        from corridor.routing.odset import default_od_path, read_od_pairs
    except ImportError as exc:
        skip(report, what, "printed", str(exc))
        return
    pairs = read_od_pairs(default_od_path(), load_network())
    hours = -(-BATCH_QUERIES // len(pairs))
    departs = tuple(DEPART + timedelta(hours=h) for h in range(hours))
    job = BatchJob(pairs, departs)
    queries = len(job.tasks())
    runs: list[tuple[str, float, int]] = []

    def timed_run(label: str, **where: Any) -> None:
        start = time.perf_counter()
        table = run_batch(job, progress=False, **where)
        runs.append((label, time.perf_counter() - start, table.num_rows))

    timed_run("1 local process", workers=1)
    timed_run("2 local processes", workers=2)
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        Client(cluster) as client,
    ):
        client.run(lambda: None)  # workers up before the clock starts
        timed_run("Dask LocalCluster, 2 workers", scheduler=client)
    base = runs[0][1]
    print(f"{'where':<32}{'queries':>9}{'routes':>9}{'seconds':>9}{'queries/s':>11}{'speedup':>9}")
    for label, seconds, routes in runs:
        print(
            f"{label:<32}{queries:>9,}{routes:>9,}{seconds:>9.1f}"
            f"{queries / seconds:>11.0f}{base / seconds:>8.2f}x"
        )
    figures = ", ".join(f"{label}: {queries / s:.0f}/s" for label, s, _ in runs)
    report.targets.append(Target(what, figures, "printed, with speedup", True))


SECTIONS: dict[str, Section] = {"criticality": criticality, "batch": batch}
