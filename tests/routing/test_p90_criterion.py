"""The robust `p90` criterion: routing on every leg's P90 time, timetables included."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import corridor
from corridor.errors import QueryError
from corridor.routing.clock import to_hours
from corridor.routing.pareto import P90, TIME, pareto_paths, prepare
from corridor.routing.weights import Exclusions, edge_weights, shipment_of

# the documented line-haul P90/median ratios (docs/reliability.md), typed here so that the
# oracle does not read them from the code it checks
LINE_HAUL_P90 = {"rail": 1.15, "road": 1.15, "sea": 1.15, "ferry": 1.5, "pipeline": 1.0}


def at_p90(net: corridor.Network) -> corridor.Network:
    """The network whose medians are its P90s: routing it on time is routing `net` on P90."""
    return dataclasses.replace(
        net,
        links=tuple(
            dataclasses.replace(lk, duration_h=lk.duration_h * LINE_HAUL_P90[lk.mode])
            for lk in net.links
        ),
        crossings=tuple(
            dataclasses.replace(c, dwell_median_h=c.dwell_p90_h) for c in net.crossings
        ),
        transfers=tuple(dataclasses.replace(t, duration_h=t.duration_p90_h) for t in net.transfers),
    )


@pytest.fixture(scope="module")
def pessimistic(eurasia: corridor.Network) -> corridor.Network:
    return at_p90(eurasia)


def best(
    net: corridor.Network, origin: str, destination: str, start: float, criterion: int
) -> float:
    g = net.graph
    weights = edge_weights(net, shipment_of(net, "general", corridor.Cargo()), Exclusions())
    paths = pareto_paths(
        prepare(g, weights),
        g.vertices_of_node[net.node_index[origin]],
        g.vertices_of_node[net.node_index[destination]],
        start,
        [criterion],
    )
    path = paths[0]
    return (path.p90_arrival if criterion == P90 else path.arrival) - start


@settings(max_examples=20, deadline=None)
@given(
    pair=st.sampled_from(
        [("CN_XIA", "DE_DUI"), ("KZ_ALA", "GE_PTI"), ("KZ_KUR", "AZ_ALT"), ("CN_SHA", "NL_RTM")]
    ),
    hours=st.integers(0, 2 * 168),
)
def test_the_best_p90_clock_is_the_fastest_route_when_every_leg_takes_its_p90(
    eurasia: corridor.Network, pessimistic: corridor.Network, pair: tuple[str, str], hours: int
) -> None:
    start = to_hours(datetime(2026, 11, 30) + timedelta(hours=hours))
    robust = best(eurasia, *pair, start, P90)
    oracle = best(pessimistic, *pair, start, TIME)
    assert robust == pytest.approx(oracle, abs=1e-6)


@pytest.mark.parametrize(
    "pair", [("Xian", "Duisburg"), ("Almaty", "Warsaw"), ("Shanghai", "Rotterdam")]
)
def test_the_p90_route_is_the_fastest_when_legs_take_their_p90_not_on_medians(
    eurasia: corridor.Network, pessimistic: corridor.Network, pair: tuple[str, str]
) -> None:
    depart = datetime(2026, 12, 1)

    def first(net: corridor.Network, criterion: str) -> corridor.Route:
        query = corridor.Query(*pair, depart=depart, criteria=(criterion,), alternatives=0)
        return corridor.plan(net, query).routes[0]

    robust = first(eurasia, "p90")
    on_medians = first(eurasia, "time")
    oracle = first(pessimistic, "time")  # the fastest route of the all-P90 network
    assert robust.nodes == oracle.nodes and robust.corridor == oracle.corridor
    # on these pairs the tails pick another route than the medians do: the criterion matters
    assert robust.nodes != on_medians.nodes
    assert robust.transit_hours > on_medians.transit_hours


def test_p90_is_a_known_criterion_and_others_are_refused() -> None:
    assert corridor.Query("a", "b", criteria=("P90", "cost")).criteria == ("p90", "cost")
    with pytest.raises(QueryError, match="p90") as info:
        corridor.Query("a", "b", criteria=("p99",))
    assert info.value.field == "criteria"
