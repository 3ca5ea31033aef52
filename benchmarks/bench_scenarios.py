"""Scenarios: applying one, and comparing it with the baseline over the shipped OD set.

Targets: applying the Red Sea scenario <= 0.1 s; `compare` of the shipped OD set (baseline and
scenario, P90 from 2,000 samples per route) <= 10 s on one core.
Peers, measured in the same run: for apply, loading the network package from disk (what editing
the CSVs and reloading would cost); for compare, planning the same OD set twice with plain
`plan` (the comparison's own extras are the exact bests, the family searches and Monte Carlo).
"""

from __future__ import annotations

import contextlib
import statistics
from datetime import UTC, datetime
from pathlib import Path

from harness import Options, Report, Section, Target, timed

APPLY_TARGET_S = 0.1
COMPARE_TARGET_S = 10.0
EXAMPLE = Path(__file__).parents[1] / "examples" / "red-sea-closed.toml"
DEPART = datetime(2026, 12, 1, tzinfo=UTC)


def scenarios(options: Options, report: Report) -> None:
    import corridor
    from corridor.routing.odset import default_od_path, read_od_pairs
    from corridor.routing.query import Query
    from corridor.scenarios import apply_scenario, load_scenario
    from corridor.scenarios.compare import compare

    net = corridor.load_network()
    scenario = load_scenario(EXAMPLE, net)
    pairs = read_od_pairs(default_od_path(), net)

    apply_s = statistics.median(timed(lambda: apply_scenario(net, scenario), 20))
    load_s = statistics.median(timed(corridor.load_network, 20))
    print(f"\nscenario '{scenario.name}' ({len(scenario.changes)} changes) on {net.name}")
    print(
        f"  apply_scenario: median {apply_s * 1000:,.1f} ms of 20   target <= "
        f"{APPLY_TARGET_S:g} s   peer load_network: {load_s * 1000:,.1f} ms "
        f"(ratio {apply_s / load_s:.2f})"
    )
    report.targets.append(
        Target(
            "apply the Red Sea scenario",
            f"{apply_s * 1000:.1f} ms",
            f"<= {APPLY_TARGET_S:g} s",
            apply_s <= APPLY_TARGET_S,
        )
    )

    changed = apply_scenario(net, scenario)

    def plain() -> None:
        for network in (net, changed):
            for p in pairs:
                q = Query(p.origin, p.destination, depart=DEPART, commodity=p.commodity)
                with contextlib.suppress(corridor.NoRouteError):
                    corridor.plan(network, q)

    def full() -> object:
        return compare(net, scenario, pairs, depart=DEPART, samples=2000, progress=False)

    full()  # warm caches
    compare_s = statistics.median(timed(full, 3))
    plain_s = statistics.median(timed(plain, 3))
    print(
        f"  compare over {len(pairs)} OD pairs: median {compare_s:,.2f} s of 3   target <= "
        f"{COMPARE_TARGET_S:g} s   peer plain plan x2: {plain_s:,.2f} s "
        f"(ratio {compare_s / plain_s:.1f})"
    )
    report.targets.append(
        Target(
            f"compare Red Sea over the shipped OD set ({len(pairs)} pairs)",
            f"{compare_s:.2f} s",
            f"<= {COMPARE_TARGET_S:g} s",
            compare_s <= COMPARE_TARGET_S,
        )
    )


SECTIONS: dict[str, Section] = {"scenarios": scenarios}
