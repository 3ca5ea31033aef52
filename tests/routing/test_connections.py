"""The wait for a connecting train in the edge weights and the planner.

A transfer whose row lists `through_destinations` charges a box bound elsewhere its
`connection_h`, `connection_p90_h` and `connection_usd_per_feu`, in the row's own direction only.
The tiny fixture's only gauge change is BB_C, rail_1435 -> rail_1520: 4 h, P90 12 h, USD 100/FEU.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import corridor
from corridor.network.expanded import TRANSFER
from corridor.routing.query import Cargo
from corridor.routing.weights import Exclusions, edge_weights, shipment_of
from through_trains import set_connection

WAIT, WAIT_P90, WAIT_USD = 30.0, 50.0, 70.0


def _load(tiny: Path, through: str = "BB") -> corridor.Network:
    return corridor.load_network(
        set_connection(tiny, through, str(WAIT), str(WAIT_P90), str(WAIT_USD))
    )


def _gauge_change(
    net: corridor.Network, country: str | None, containers: int = 1, commodity: str = "general"
) -> dict[bool, tuple[float, float, float]]:
    """(hours, P90 hours, USD) of the BB_C gauge change by direction (reverse?)."""
    g = net.graph
    shipment = shipment_of(net, commodity, Cargo(containers=containers))
    w = edge_weights(net, shipment, Exclusions(), destination_country=country)
    out = {}
    for e in np.flatnonzero(g.kind == TRANSFER):
        if net.transfers[g.ref[e]].node_id == "BB_C":
            out[bool(g.reverse[e])] = (
                float(w.hours[e]),
                float(w.hours_p90[e]),
                float(w.cost_usd[e]),
            )
    return out


def test_a_box_bound_for_a_through_country_rides_through(tiny_copy: Path) -> None:
    assert _gauge_change(_load(tiny_copy), "BB")[False] == (4.0, 12.0, 100.0)


def test_a_box_bound_elsewhere_waits_and_pays_for_the_connection(tiny_copy: Path) -> None:
    assert _gauge_change(_load(tiny_copy), "CC")[False] == (4.0 + WAIT, 12.0 + WAIT_P90, 170.0)


def test_the_connection_price_is_per_box(tiny_copy: Path) -> None:
    hours, _, usd = _gauge_change(_load(tiny_copy), "CC", containers=3)[False]
    assert (hours, usd) == (4.0 + WAIT, 3 * (100.0 + WAIT_USD))


def test_the_reverse_direction_never_waits(tiny_copy: Path) -> None:
    net = _load(tiny_copy)
    assert _gauge_change(net, "CC")[True] == _gauge_change(net, "BB")[True]
    assert _gauge_change(net, "CC")[True][0] == 4.0


def test_without_a_destination_every_box_rides_through(tiny_copy: Path) -> None:
    assert _gauge_change(_load(tiny_copy), None)[False] == (4.0, 12.0, 100.0)


def test_a_row_without_through_countries_never_waits(tiny_copy: Path) -> None:
    net = corridor.load_network(set_connection(tiny_copy, "", "", "", ""))
    assert _gauge_change(net, "CC")[False] == (4.0, 12.0, 100.0)


def test_several_through_countries_each_ride_through(tiny_copy: Path) -> None:
    net = _load(tiny_copy, through="AA;BB")
    assert _gauge_change(net, "AA")[False][0] == 4.0
    assert _gauge_change(net, "BB")[False][0] == 4.0
    assert _gauge_change(net, "CC")[False][0] == 4.0 + WAIT


def _plan(net: corridor.Network, destination: str) -> corridor.Route:
    query = corridor.Query(origin="AA_A", destination=destination, alternatives=0)
    return min(corridor.plan(net, query).routes, key=lambda r: r.transit_hours)


def test_the_planner_charges_the_wait_and_says_why(tiny_copy: Path) -> None:
    # AA_A -> BB_D has one way for general cargo: rail through the BB_C gauge change
    through = _plan(_load(tiny_copy, through="BB"), "BB_D")
    connecting = _plan(_load(tiny_copy, through="CC"), "BB_D")
    assert connecting.transit_hours == pytest.approx(through.transit_hours + WAIT)
    assert connecting.cost_usd == pytest.approx(through.cost_usd + WAIT_USD)
    (leg,) = [lg for lg in connecting.legs if lg.kind == "transfer"]
    assert leg.hours == pytest.approx(4.0 + WAIT)
    assert "connecting train" in leg.detail
    (leg,) = [lg for lg in through.legs if lg.kind == "transfer"]
    assert "connecting train" not in leg.detail
