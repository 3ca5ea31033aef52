"""`assign` against an independent multi-commodity min-cost flow built from the network's tables.

The oracle (`flow_oracle`) rebuilds graph, per-TEU costs and capacities from the records and
solves one commodity per OD row; `assign` groups rows by origin and works on corridor's expanded
graph. They must agree on the optimum, and corridor's link flows and served TEU, pinned in the
oracle, must still reach that optimum (the flows corridor reports are an optimal assignment, not
merely one with the right cost). Random networks cross borders, change gauge and mode at
terminals and wait for timetabled services, with capacities on all four, drawn to bind.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from capacity_networks import Spec, specs, write_package
from flow_oracle import arcs_of, min_cost_flow
from hypothesis import HealthCheck, given, settings

import corridor
from corridor.assignment import AssignmentResult, assign, read_demand
from corridor.routing.odset import ODPair, default_od_path

PENALTY = 5_000.0
VOT = 1.5  # USD per TEU-hour, an arbitrary figure both sides are given


def load(spec: Spec, folder: Path) -> tuple[corridor.Network, tuple[ODPair, ...]]:
    net = corridor.load_network(write_package(spec, folder))
    return net, read_demand(folder / "demand.csv", net)


def pinned_arc_flows(net: corridor.Network, result: AssignmentResult) -> dict[int, float]:
    """Each link direction's flow as `assign` reports it (absent: none), by oracle arc."""
    reported = {(f.facility_id, f.direction): f.flow_teu for f in result.links}
    return {
        i: reported.get((arc.ref, f"{arc.tail[0]}→{arc.head[0]}"), 0.0)
        for i, arc in enumerate(arcs_of(net))
        if arc.kind == "move"
    }


def check_against_oracle(
    net: corridor.Network, demand: tuple[ODPair, ...], *, vot: float = VOT, penalty: float = PENALTY
) -> AssignmentResult:
    result = assign(net, demand, value_of_time=vot, unserved_penalty=penalty)
    oracle = min_cost_flow(net, demand, value_of_time=vot, penalty=penalty)
    assert oracle is not None
    assert result.objective_usd == pytest.approx(oracle.objective, rel=1e-7, abs=1e-5)
    pinned = min_cost_flow(
        net,
        demand,
        value_of_time=vot,
        penalty=penalty,
        fixed_arc_flow=pinned_arc_flows(net, result),
        fixed_served=[od.served_teu for od in result.od],
    )
    assert pinned is not None, "corridor's flows break a capacity or conservation"
    assert pinned.objective == pytest.approx(oracle.objective, rel=1e-6, abs=1e-3)
    for od in result.od:
        assert sum(r.teu for r in od.routes) == pytest.approx(od.served_teu, abs=1e-6)
    return result


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=specs())
def test_assign_matches_the_table_built_min_cost_flow_on_random_networks(spec: Spec) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        net, demand = load(spec, Path(tmp) / "net")
    check_against_oracle(net, demand)


def test_shipped_demand_on_the_bundled_network_matches_the_oracle(
    eurasia: corridor.Network,
) -> None:
    check_against_oracle(eurasia, read_demand(default_od_path(), eurasia), vot=1.85, penalty=5e4)


# -- hand-made cases, one per kind of capacity: every figure below is worked out by hand ----------


def _line(spec: Spec, tmp_path: Path) -> tuple[corridor.Network, AssignmentResult]:
    net, demand = load(spec, tmp_path / "net")
    return net, check_against_oracle(net, demand)


def _link(link_id: str, a: str, b: str, **figures: object) -> dict[str, object]:
    row: dict[str, object] = {
        "link_id": link_id, "from_node": a, "to_node": b, "mode": "rail", "gauge_mm": 1435,
        "distance_km": 10, "duration_h": 1, "bidirectional": False, "tariff_km": 1,
        "tariff_feu": 0, "capacity": None,
    }  # fmt: skip
    return {**row, **figures}


def test_services_on_one_direction_add_their_capacities(tmp_path: Path) -> None:
    spec = Spec(
        nodes=[{"node_id": "N0", "country": "AA"}, {"node_id": "N1", "country": "AA"}],
        links=[_link("L0", "N0", "N1"), _link("L1", "N1", "N0")],
        services=[
            {
                "service_id": s,
                "link_id": "L0",
                "direction": "forward",
                "headway": 84,
                "offset": offset,
                "capacity": cap,
            }
            for s, offset, cap in (("A", 0, 3), ("B", 42, 4))
        ],
        demand=[("N0", "N1", "general", 10)],
    )
    _, result = _line(spec, tmp_path)
    (od,) = result.od
    assert od.served_teu == pytest.approx(3 + 4)  # the only way from N0 to N1


def test_a_crossing_caps_its_link_direction(tmp_path: Path) -> None:
    # N0 (AA) to N1 (BB): the border link takes 5 TEU; the rest go by the long road
    spec = Spec(
        nodes=[{"node_id": "N0", "country": "AA"}, {"node_id": "N1", "country": "BB"}],
        links=[
            _link("L0", "N0", "N1", capacity=5),
            _link("L1", "N0", "N1", mode="road", gauge_mm=None, distance_km=50, tariff_km=3),
            _link("L2", "N1", "N0"),
        ],
        crossings=[
            {
                "crossing_id": x,
                "link_id": lk,
                "direction": "forward",
                "class": "general",
                "dwell": 2,
                "fee": 10,
            }
            for x, lk in (("X0", "L0"), ("X1", "L1"), ("X2", "L2"))
        ],
        demand=[("N0", "N1", "general", 8)],
    )
    _, result = _line(spec, tmp_path)
    (od,) = result.od
    # per TEU: rail 10 km x USD 1 / 2 + fee 10 / 2 + 1.5 x (1 + 2) h = 14.5;
    # road 50 km x USD 3 / 2 + 5 + 1.5 x 3 h = 84.5
    assert result.objective_usd == pytest.approx(5 * 14.5 + 3 * 84.5)
    assert {r.modes: r.teu for r in od.routes} == {
        ("rail",): pytest.approx(5),
        ("road",): pytest.approx(3),
    }


def test_a_terminal_caps_both_directions_together(tmp_path: Path) -> None:
    # N0 rail 1435 to N1, gauge change at N1 (6 TEU a week, either way), 1520 on to N2 and back
    spec = Spec(
        nodes=[{"node_id": f"N{i}", "country": "AA"} for i in range(3)],
        links=[
            _link("L0", "N0", "N1", bidirectional=True),
            _link("L1", "N1", "N2", gauge_mm=1520, bidirectional=True),
        ],
        transfers=[
            {
                "node_id": "N1",
                "from_layer": "rail_1435",
                "to_layer": "rail_1520",
                "kind": "gauge_change",
                "duration": 0,
                "cost": 0,
                "capacity": 6,
            }
        ],
        demand=[("N0", "N2", "general", 4), ("N2", "N0", "agri", 4)],
    )
    _, result = _line(spec, tmp_path)
    assert result.served_teu == pytest.approx(6)
    assert result.objective_usd == pytest.approx(6 * 2 * (5 + 1.5) + 2 * PENALTY)
