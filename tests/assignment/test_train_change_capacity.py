"""A train change's terminal capacity caps the boxes that change trains there (flow assignment).

The tiny fixture's only way from AA_A to BB_C is its rail line through AA_B (CC_E, at the end of
the road, has no transfer to the ferry). A train change at AA_B with a capacity of 5 TEU a week
lets 5 of the 20 TEU demanded through; the other 15 are left unserved.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import corridor
from corridor.assignment import AssignmentResult, assign
from corridor.routing.odset import ODPair


def _with_change(folder: Path, capacity: float | None) -> corridor.Network:
    path = folder / "transfers.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].replace("cost_usd_per_t,", "cost_usd_per_t,capacity_teu_per_week,")
    body = [",".join([*row.split(",")[:8], "", *row.split(",")[8:]]) for row in lines[1:]]
    cap = "" if capacity is None else f"{capacity:g}"
    body.append(f"AA_B,rail_1435,rail_1435,train_change,5,10,50,,{cap},test,false,")
    path.write_text("\n".join([header, *body]) + "\n", encoding="utf-8")
    with (folder / "emission_factors.csv").open("a", encoding="utf-8") as handle:
        handle.write("hub,train_change,-,,,700,500,test,false,\n")
    return corridor.load_network(folder)


def _through_aa_b(result: AssignmentResult) -> float:
    od = result.od[0]
    return sum(r.teu for r in od.routes if "AA_B" in r.nodes)


def test_a_train_change_capacity_caps_the_boxes_changing_there(tiny_copy: Path) -> None:
    net = _with_change(tiny_copy, capacity=5)
    demand = [ODPair("AA_A", "BB_C", "general", 20.0)]
    result = assign(net, demand, value_of_time=1.0, unserved_penalty=1e6)
    terminal = [c for c in result.constraints if c.kind == "terminal"]
    assert [(c.facility_id, c.capacity_teu) for c in terminal] == [
        ("AA_B:rail_1435-rail_1435", 5.0)
    ]
    assert terminal[0].flow_teu == pytest.approx(5.0)
    assert _through_aa_b(result) == pytest.approx(5.0)
    assert result.served_teu == pytest.approx(5.0)


def test_without_a_capacity_every_box_may_change_trains(tiny_copy: Path) -> None:
    net = _with_change(tiny_copy, capacity=None)
    demand = [ODPair("AA_A", "BB_C", "general", 20.0)]
    result = assign(net, demand, value_of_time=1.0, unserved_penalty=1e6)
    assert not [c for c in result.constraints if c.kind == "terminal"]
    assert _through_aa_b(result) == pytest.approx(20.0) == result.served_teu
