"""Path columns (column generation, the default) reach the arc-flow LP's optimum."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from small_networks import Small, smalls, write_small

import corridor
from corridor.assignment import AssignmentResult, assign, read_demand
from corridor.errors import QueryError
from corridor.routing.odset import default_od_path

PENALTY = 10_000.0


def _facilities(result: AssignmentResult) -> list[tuple[str, str, str, float, float]]:
    return [
        (f.kind, f.facility_id, f.direction, f.flow_teu, f.shadow_price_usd)
        for f in (*result.constraints, *result.links, *result.crossings)
    ]


def _assert_same_optimum(paths: AssignmentResult, arcs: AssignmentResult) -> None:
    assert paths.objective_usd == pytest.approx(arcs.objective_usd, rel=1e-9, abs=1e-6)
    for a, b in zip(paths.od, arcs.od, strict=True):
        assert a.served_teu == pytest.approx(b.served_teu, abs=1e-6)


def test_the_shipped_demand_gets_the_same_optimum_loads_and_shadow_prices(
    eurasia: corridor.Network,
) -> None:
    demand = read_demand(default_od_path(), eurasia)
    paths = assign(eurasia, demand)
    arcs = assign(eurasia, demand, formulation="arcs")
    _assert_same_optimum(paths, arcs)
    got, want = _facilities(paths), _facilities(arcs)
    assert [f[:3] for f in got] == [f[:3] for f in want]
    for (*_, flow, price), (*_, flow_want, price_want) in zip(got, want, strict=True):
        assert flow == pytest.approx(flow_want, abs=1e-6)
        assert price == pytest.approx(price_want, abs=1e-6)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small=smalls(pairs=3, max_demand=12))
def test_random_capacitated_networks_get_the_arc_lps_optimum(small: Small) -> None:
    with tempfile.TemporaryDirectory() as folder:
        write_small(small, Path(folder))
        net = corridor.load_network(folder)
        demand = read_demand(Path(folder) / "demand.csv", net)
    paths = assign(net, demand, value_of_time=1.0, unserved_penalty=PENALTY)
    arcs = assign(net, demand, value_of_time=1.0, unserved_penalty=PENALTY, formulation="arcs")
    _assert_same_optimum(paths, arcs)
    for od, pair in zip(paths.od, demand, strict=True):
        assert sum(r.teu for r in od.routes) == pytest.approx(od.served_teu, abs=1e-6)
        assert od.served_teu <= (pair.teu_per_week or 0.0) + 1e-6
    for facility in paths.constraints:
        assert facility.capacity_teu is not None
        assert facility.flow_teu <= facility.capacity_teu + 1e-6
    flows = np.array([f.flow_teu for f in paths.links])
    assert np.all(flows >= -1e-9)


def test_an_unknown_formulation_is_a_query_error(eurasia: corridor.Network) -> None:
    demand = read_demand(default_od_path(), eurasia)[:1]
    with pytest.raises(QueryError, match="formulation"):
        assign(eurasia, demand, formulation="simplex")  # type: ignore[arg-type]
