"""Crossing rows by traffic: import rows apply to cargo bound for the country the crossing enters."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

import corridor
from corridor.assignment import assign
from corridor.network.expanded import BORDER
from corridor.routing.odset import ODPair
from corridor.routing.query import Cargo
from corridor.routing.weights import Exclusions, edge_weights, shipment_of

# tiny fixture: L2 joins AA_B (country AA) to BB_C (country BB); AB_RAIL forward general 30 h,
# forward agri 5 h (green lane), reverse general 10 h
IMPORT_ROWS = [
    [
        "AB_RAIL",
        "Bravo–Charlie",
        "L2",
        "forward",
        "general",
        "import",
        "100",
        "200",
        "true",
        "350",
    ],
]


def _with_import_rows(tiny: Path) -> corridor.Network:
    path = tiny / "crossings.csv"
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    at = header.index("commodity_class") + 1
    out = [[*r[:at], "traffic" if i == 0 else "any", *r[at:]] for i, r in enumerate(rows)]
    for row in IMPORT_ROWS:
        out.append([*row, "test", "false", "import dwell"])
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(out)
    return corridor.load_network(tiny)


def _border(net: corridor.Network, commodity: str, country: str | None) -> dict[bool, float]:
    """Border dwell on L2 by direction (reverse?) for this commodity and destination country."""
    g = net.graph
    shipment = shipment_of(net, commodity, Cargo())
    w = edge_weights(net, shipment, Exclusions(), destination_country=country)
    return {
        bool(g.reverse[e]): float(w.hours[e])
        for e in np.flatnonzero(g.kind == BORDER)
        if g.crossing_directions[g.crossdir[e]].crossing_id == "AB_RAIL"
    }


@pytest.fixture
def net(tiny_copy: Path) -> corridor.Network:
    return _with_import_rows(tiny_copy)


def test_cargo_for_the_country_entered_takes_the_import_row(net: corridor.Network) -> None:
    assert _border(net, "general", "BB")[False] == 100
    assert _border(net, "general", None)[False] == 30
    assert _border(net, "general", "CC")[False] == 30


def test_a_direction_without_import_rows_keeps_its_row(net: corridor.Network) -> None:
    assert _border(net, "general", "AA")[True] == 10


def test_a_class_row_of_its_own_beats_the_general_import_row(net: corridor.Network) -> None:
    assert _border(net, "agri", "BB")[False] == 5


def test_the_planner_charges_the_import_fee_only_for_cargo_bound_there(
    net: corridor.Network,
) -> None:
    def border_fee(destination: str) -> float:
        result = corridor.plan(net, corridor.Query("AA_A", destination))
        legs = [leg for r in result.routes for leg in r.legs if leg.kind == "border"]
        assert legs
        return max(leg.cost_usd for leg in legs)

    assert border_fee("BB_C") == pytest.approx(350)
    assert border_fee("CC_E") == pytest.approx(200)


def test_the_border_leg_names_the_green_lane_of_the_row_that_applied(
    net: corridor.Network,
) -> None:
    def details(destination: str) -> list[str]:
        result = corridor.plan(net, corridor.Query("AA_A", destination))
        return [leg.detail for r in result.routes for leg in r.legs if leg.ref == "AB_RAIL"]

    assert details("BB_C") and all("green lane" in d for d in details("BB_C"))
    assert details("CC_E") and not any("green lane" in d for d in details("CC_E"))


def test_flow_assignment_prices_the_import_row_for_cargo_bound_there(
    net: corridor.Network,
) -> None:
    plain = corridor.load_network(Path(__file__).parents[1] / "fixtures" / "tiny")

    def objective(network: corridor.Network, destination: str) -> float:
        pairs = [ODPair("AA_A", destination, teu_per_week=1.0)]
        return assign(network, pairs, value_of_time=1.0).objective_usd

    assert objective(net, "BB_C") > objective(plain, "BB_C")
    assert objective(net, "CC_E") == pytest.approx(objective(plain, "CC_E"))
