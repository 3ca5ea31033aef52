"""One LP block per (origin, commodity, destination country) has the per-OD optimum.

The oracle (`flow_oracle`) is the formulation without aggregation: one commodity per OD row, with
its own graph, costs and capacities rebuilt from the network's tables. Grouping OD rows by source
must change no optimum, and repeated rows must share their destination in proportion.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from flow_oracle import min_cost_flow

import corridor
from corridor.assignment import assign, read_demand
from corridor.routing.odset import ODPair, default_od_path

VOT = 1.85  # USD per TEU-hour, passed to both sides
PENALTY = 50_000.0


def _per_od_objective(net: corridor.Network, demand: tuple[ODPair, ...]) -> float:
    oracle = min_cost_flow(net, demand, value_of_time=VOT, penalty=PENALTY)
    assert oracle is not None
    return oracle.objective


def test_shipped_demand_has_the_per_od_optimum(eurasia: corridor.Network) -> None:
    demand = read_demand(default_od_path(), eurasia)
    got = assign(eurasia, demand, value_of_time=VOT, unserved_penalty=PENALTY).objective_usd
    assert got == pytest.approx(_per_od_objective(eurasia, demand), rel=1e-6)


def test_rows_sharing_origins_and_repeated_pairs_have_the_per_od_optimum(
    eurasia: corridor.Network, tmp_path: Path
) -> None:
    rng = np.random.default_rng(11)
    hubs = ["CN_XIA", "CN_CTU", "KZ_ALA", "CN_CQG", "DE_DUI", "PL_LDZ", "TR_IST", "GE_PTI"]
    path = tmp_path / "demand.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["origin", "destination", "commodity", "teu_per_week"])
        for _ in range(40):
            a, b = rng.choice(len(hubs), 2, replace=False)
            commodity = "agri" if rng.random() < 0.3 else "general"
            writer.writerow([hubs[a], hubs[b], commodity, int(rng.integers(200, 3000))])
        writer.writerow(["CN_XIA", "DE_DUI", "general", 5000])  # repeated on purpose
        writer.writerow(["CN_XIA", "DE_DUI", "general", 2500])
    demand = read_demand(path, eurasia)
    result = assign(eurasia, demand, value_of_time=VOT, unserved_penalty=PENALTY)
    assert result.objective_usd == pytest.approx(_per_od_objective(eurasia, demand), rel=1e-6)
    for od, pair in zip(result.od, demand, strict=True):
        assert (od.origin, od.destination) == (pair.origin, pair.destination)
        assert sum(r.teu for r in od.routes) == pytest.approx(od.served_teu, abs=1e-6)
        assert od.served_teu <= od.demand_teu + 1e-6
    a, b = result.od[-2], result.od[-1]
    assert a.served_teu == pytest.approx(2 * b.served_teu)  # repeated rows share in proportion
