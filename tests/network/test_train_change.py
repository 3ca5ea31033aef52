"""Train changes at hubs (`train_change` rows of transfers.csv): loading, and where they are paid.

The tiny fixture's line runs AA_A -rail_1435- AA_B -rail_1435 (border)- BB_C (gauge change to
rail_1520) -rail_1520- BB_D. The expected figures below are read off the fixture's rows by hand.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

import corridor
from corridor.errors import NetworkValidationError, Problem
from corridor.reliability.distributions import route_model

PROVENANCE = "test,false,"


def _append(folder: Path, file: str, line: str) -> None:
    with (folder / file).open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")


def _with_changes(folder: Path, *rows: str, hub_factor: bool = True) -> Path:
    for row in rows:
        _append(folder, "transfers.csv", f"{row},{PROVENANCE}")
    if hub_factor:
        _append(folder, "emission_factors.csv", "hub,train_change,-,,,700,500,test,false,")
    return folder


def _problems(folder: Path) -> list[Problem]:
    with pytest.raises(NetworkValidationError) as info:
        corridor.load_network(folder)
    return list(info.value.problems)


def _plan(net: corridor.Network, origin: str, destination: str) -> corridor.Route:
    query = corridor.Query(
        origin=origin,
        destination=destination,
        depart=datetime(2025, 3, 3),
        criteria=("time",),
        alternatives=0,
    )
    return corridor.plan(net, query).routes[0]


def test_a_train_change_with_two_layers_is_refused_at_its_row_and_column(tiny_copy: Path) -> None:
    _with_changes(tiny_copy, "AA_B,rail_1435,road,train_change,5,10,50,")
    _append(
        tiny_copy, "links.csv", "L9,AA_B,AA_A,road,,100,50,,true,diesel,3.0,0,,,,*,,test,false,"
    )
    problems = _problems(tiny_copy)
    assert [(p.file, p.row, p.column) for p in problems] == [("transfers.csv", 4, "to_layer")]
    assert "train change joins a rail layer to itself" in problems[0].message


def test_a_transshipment_joining_a_layer_to_itself_is_refused(tiny_copy: Path) -> None:
    _with_changes(tiny_copy, "AA_B,rail_1435,rail_1435,transshipment,5,10,50,")
    problems = _problems(tiny_copy)
    assert [(p.file, p.row, p.column) for p in problems] == [("transfers.csv", 4, "to_layer")]
    assert "train_change" in problems[0].message


def test_a_train_change_off_the_rail_is_refused(tiny_copy: Path) -> None:
    _with_changes(tiny_copy, "CC_E,road,road,train_change,5,10,50,")
    problems = _problems(tiny_copy)
    assert [(p.file, p.row, p.column) for p in problems] == [("transfers.csv", 4, "from_layer")]


def test_a_train_change_needs_its_hub_emission_factor(tiny_copy: Path) -> None:
    _with_changes(tiny_copy, "AA_B,rail_1435,rail_1435,train_change,5,10,50,", hub_factor=False)
    problems = _problems(tiny_copy)
    assert [(p.file, p.column, p.value) for p in problems] == [
        ("emission_factors.csv", "mode", "train_change")
    ]


def test_a_second_train_change_on_one_layer_at_a_node_is_a_duplicate(tiny_copy: Path) -> None:
    row = "AA_B,rail_1435,rail_1435,train_change,5,10,50,"
    _with_changes(tiny_copy, row, row)
    problems = _problems(tiny_copy)
    assert [(p.file, p.row) for p in problems] == [("transfers.csv", 5)]


def test_a_box_through_a_hub_changes_trains_and_the_leg_says_so(tiny_copy: Path) -> None:
    plain = corridor.load_network(tiny_copy)
    hub = corridor.load_network(
        _with_changes(tiny_copy, "AA_B,rail_1435,rail_1435,train_change,5,10,50,")
    )
    before, after = _plan(plain, "AA_A", "BB_C"), _plan(hub, "AA_A", "BB_C")
    changes = [leg for leg in after.legs if leg.kind == "transfer"]
    assert len(changes) == 1
    change = changes[0]
    assert (change.from_node, change.to_node, change.hours) == ("AA_B", "AA_B", 5.0)
    assert change.cost_usd == 50.0
    assert change.co2e_kg == pytest.approx(20 * 700 / 1000)  # one 40' box of 20 t
    assert "train change at Bravo Border" in change.detail
    assert after.transit_hours == pytest.approx(before.transit_hours + 5.0)
    assert after.cost_usd == pytest.approx(before.cost_usd + 50.0)
    # the change precedes the border stop of the departing train
    kinds = [leg.kind for leg in after.legs]
    assert kinds.index("transfer") < kinds.index("border")
    model = route_model(hub, after)  # the change has a time distribution of its own
    assert "AA_B:rail_1435>rail_1435" in model.refs


@pytest.mark.parametrize(("origin", "destination"), [("AA_A", "AA_B"), ("AA_B", "BB_C")])
def test_a_route_that_starts_or_ends_at_the_hub_pays_no_change(
    tiny_copy: Path, origin: str, destination: str
) -> None:
    plain = corridor.load_network(tiny_copy)
    hub = corridor.load_network(
        _with_changes(tiny_copy, "AA_B,rail_1435,rail_1435,train_change,5,10,50,")
    )
    before, after = _plan(plain, origin, destination), _plan(hub, origin, destination)
    assert not any(leg.kind == "transfer" for leg in after.legs)
    assert (after.transit_hours, after.cost_usd) == (before.transit_hours, before.cost_usd)


def test_a_gauge_change_at_a_hub_does_not_pay_the_train_change_too(tiny_copy: Path) -> None:
    plain = corridor.load_network(tiny_copy)
    hub = corridor.load_network(
        _with_changes(
            tiny_copy,
            "BB_C,rail_1435,rail_1435,train_change,7,10,60,",
            "BB_C,rail_1520,rail_1520,train_change,9,12,70,",
        )
    )
    for origin, destination in (("AA_A", "BB_D"), ("BB_D", "AA_A")):
        before, after = _plan(plain, origin, destination), _plan(hub, origin, destination)
        assert [leg.detail for leg in after.legs if leg.kind == "transfer"] == [
            leg.detail for leg in before.legs if leg.kind == "transfer"
        ]
        assert (after.transit_hours, after.cost_usd) == (before.transit_hours, before.cost_usd)
