"""Reliability: Monte Carlo of 100,000 samples over a 20-leg route with timetables.

The vectorized simulation is timed beside its peer, the same model as a plain per-sample Python
loop (`random.lognormvariate` and the planner's scalar `next_departure`), timed on fewer samples
and scaled per sample. A second figure times `simulate` end to end on a real eurasia route.
"""

from __future__ import annotations

import math
import os
import random
import statistics
import time
from datetime import datetime
from typing import TYPE_CHECKING

import numpy as np

from harness import Options, Report, Section, Target, skip, timed

if TYPE_CHECKING:
    from corridor.network.model import Network
    from corridor.reliability.distributions import RouteModel

SAMPLES = 100_000
PEER_SAMPLES = 5_000
LEGS = 20
BOUND_S = 0.100


def _twenty_leg_model(net: Network) -> RouteModel:
    """20 legs: lognormal dwell, handling and running times, every other one on a timetable."""
    from corridor.reliability.distributions import RouteModel

    graph = net.graph
    schedules = tuple(s for s in graph.schedules if len(s) > 1)[: LEGS // 2]
    rng = np.random.default_rng(0)
    median = rng.uniform(2.0, 60.0, LEGS)
    sigma = rng.uniform(0.1, 1.2, LEGS)
    schedule = np.full(LEGS, -1, dtype=np.int32)
    schedule[::2] = np.arange(LEGS // 2) % len(schedules)
    return RouteModel(
        start=0.0,
        median=median,
        sigma=sigma,
        schedule=schedule,
        schedules=schedules,
        refs=tuple(f"leg{i}" for i in range(LEGS)),
        planned_hours=0.0,
    )


def _python_loop(model: RouteModel, samples: int, seed: int) -> list[float]:
    """The peer: one journey at a time, one leg at a time, in plain Python."""
    from corridor.routing.clock import next_departure

    rng = random.Random(seed)
    legs = list(
        zip(model.median.tolist(), model.sigma.tolist(), model.schedule.tolist(), strict=True)
    )
    tables = [s.tolist() for s in model.schedules]
    out = []
    for _ in range(samples):
        t = 0.0
        for median, sigma, schedule in legs:
            if schedule >= 0:
                t = next_departure(t, tables[schedule])
            t += rng.lognormvariate(math.log(median), sigma) if sigma > 0 else median
        out.append(t)
    return out


def reliability(options: Options, report: Report) -> None:
    """Monte Carlo of 100,000 samples over a 20-leg route with timetables (median of 7)."""
    print("\n== reliability: Monte Carlo, 100,000 samples, 20 legs with timetables ==")
    what, bound = "monte carlo 100k x 20 legs median", "<= 100 ms"
    try:
        import corridor
        from corridor.reliability import simulate
        from corridor.reliability.montecarlo import sample_route
    except ImportError as exc:
        skip(report, what, bound, f"reliability not available: {exc}")
        return
    net = corridor.load_network()
    model = _twenty_leg_model(net)
    sample_route(model, samples=1_000, seed=0)  # warm-up: first-call costs
    walls, cpus = [], []
    for _ in range(9):
        cpu = time.process_time()
        walls += timed(lambda: sample_route(model, samples=SAMPLES, seed=options.seed), 1)
        cpus.append(time.process_time() - cpu)
    ours = statistics.median(walls)
    peer_s = statistics.median(
        timed(lambda: _python_loop(model, PEER_SAMPLES, options.seed), 3)
    ) * (SAMPLES / PEER_SAMPLES)
    dist = sample_route(model, samples=SAMPLES, seed=options.seed)
    peer = np.array(_python_loop(model, 20_000, options.seed + 1))
    print(f"{'implementation':<34} {'time':>10} {'vs corridor':>12}")
    print(f"{'corridor (numpy, vectorized)':<34} {ours * 1e3:>8.1f} ms {1.0:>11.1f}x")
    print(
        f"{'plain Python loop (scaled from 5k)':<34} {peer_s * 1e3:>8.0f} ms "
        f"{peer_s / ours:>11.1f}x"
    )
    print(
        f"same model, P50/P90 hours: corridor {dist.p50:.1f}/{dist.p90:.1f}, "
        f"Python loop (20k samples) {np.quantile(peer, 0.5):.1f}/{np.quantile(peer, 0.9):.1f}"
    )
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"{what}: {ours * 1e3:.1f} ms wall, {statistics.median(cpus) * 1e3:.1f} ms CPU, "
        f"best {min(walls) * 1e3:.1f} ms (target {bound}; 1-min load average {load:.1f})"
    )
    report.targets.append(Target(what, f"{ours * 1e3:.1f} ms", bound, ours <= BOUND_S))

    query = corridor.Query("Xian", "Duisburg", depart=datetime(2026, 12, 1), alternatives=0)
    route = corridor.plan(net, query).routes[0]
    steps = sum(leg.kind != "wait" for leg in route.legs)
    real = statistics.median(
        timed(lambda: simulate(net, route, samples=SAMPLES, seed=options.seed), 5)
    )
    print(
        f"simulate() on Xi'an → Duisburg by rail ({steps} legs), 100k samples, end to end: "
        f"{real * 1e3:.1f} ms"
    )


SECTIONS: dict[str, Section] = {"reliability": reliability}
