"""One LP block per (origin, commodity, destination country) has the per-OD optimum.

The oracle is the formulation the model had before aggregation, written out here: one commodity
per OD row (flow conservation, a demand row, an unserved column), capacity rows summing over
every row. It shares the edge costs and capacity rows with the model on purpose: what is checked
is that grouping OD rows by source changes no optimum, not the costs themselves.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.optimize import linprog

import corridor
from corridor.assignment import assign, read_demand
from corridor.assignment.costs import DEFAULT_VALUE_OF_TIME, UNSERVED_PENALTY, edge_costs
from corridor.assignment.model import capacity_rows
from corridor.routing.odset import ODPair, default_od_path


def _per_od_objective(net: corridor.Network, demand: tuple[ODPair, ...]) -> float:
    g = net.graph
    n = g.n_vertices
    rows, cols, vals, c, b = [], [], [], [], []
    ub_rows, ub_cols = [], []
    caps = capacity_rows(net)
    col = row = 0
    for pair in demand:
        # crossings into the destination's country take their import rows
        country = net.node(pair.destination).country
        cost = edge_costs(net, pair.commodity, DEFAULT_VALUE_OF_TIME, country)
        edges = np.flatnonzero(cost.allowed)
        src = list(g.vertices_of_node[net.node_index[pair.origin]])
        dst = list(g.vertices_of_node[net.node_index[pair.destination]])
        for j, e in enumerate(edges.tolist()):
            rows += [row + int(g.src[e]), row + int(g.dst[e])]
            cols += [col + j, col + j]
            vals += [1.0, -1.0]
            for r, cap in enumerate(caps):
                if e in cap.edges.tolist():
                    ub_rows.append(r)
                    ub_cols.append(col + j)
        c += cost.generalized[edges].tolist()
        col += len(edges)
        for v in src:  # injected, counted in the demand row
            rows += [row + v, row + n]
            cols += [col, col]
            vals += [-1.0, 1.0]
            c.append(0.0)
            col += 1
        for v in dst:
            rows.append(row + v)
            cols.append(col)
            vals.append(1.0)
            c.append(0.0)
            col += 1
        rows.append(row + n)  # unserved
        cols.append(col)
        vals.append(1.0)
        c.append(UNSERVED_PENALTY)
        col += 1
        b += [0.0] * n + [float(pair.teu_per_week or 0.0)]
        row += n + 1
    a_eq = sp.csr_array((vals, (rows, cols)), shape=(row, col))
    a_ub = sp.csr_array((np.ones(len(ub_rows)), (ub_rows, ub_cols)), shape=(len(caps), col))
    b_ub = [cap.capacity for cap in caps]
    result = linprog(c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b, bounds=(0, None), method="highs")
    assert result.status == 0
    return float(result.fun)


def test_shipped_demand_has_the_per_od_optimum(eurasia: corridor.Network) -> None:
    demand = read_demand(default_od_path(), eurasia)
    got = assign(eurasia, demand).objective_usd
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
    result = assign(eurasia, demand)
    assert result.objective_usd == pytest.approx(_per_od_objective(eurasia, demand), rel=1e-6)
    for od, pair in zip(result.od, demand, strict=True):
        assert (od.origin, od.destination) == (pair.origin, pair.destination)
        assert sum(r.teu for r in od.routes) == pytest.approx(od.served_teu, abs=1e-6)
        assert od.served_teu <= od.demand_teu + 1e-6
    a, b = result.od[-2], result.od[-1]
    assert a.served_teu == pytest.approx(2 * b.served_teu)  # repeated rows share in proportion
