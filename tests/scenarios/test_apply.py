"""apply_scenario: pure, composable, and closures never help (property tests on eurasia)."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scenario_consistency import problems

import corridor
from corridor.errors import NoRouteError, ScenarioError
from corridor.routing.planner import plan
from corridor.routing.query import Query
from corridor.scenarios import Scenario, apply_scenario, compose
from corridor.scenarios.model import (
    ChangeService,
    CloseCrossing,
    CloseLink,
    ClosePassage,
    ScaleDwell,
)

DEPART = datetime(2026, 12, 1)
NET = corridor.load_network()
NODES = sorted(NET.node_index)
LINKS = sorted(NET.link_index)
SUPPRESS = [HealthCheck.function_scoped_fixture]


def records(net: corridor.Network) -> tuple[object, ...]:
    return (net.nodes, net.links, net.transfers, net.crossings, net.services)


def best(net: corridor.Network, origin: str, destination: str, criterion: str) -> float | None:
    """The exact best value of one criterion (thinning off), or None without a route."""
    if origin not in net.node_index or destination not in net.node_index:
        return None
    query = Query(
        origin, destination, depart=DEPART, criteria=(criterion,), alternatives=0, thin=False
    )
    try:
        route = plan(net, query).routes[0]
    except NoRouteError:
        return None
    return route.criteria()[criterion]


@given(
    origin=st.sampled_from(NODES),
    destination=st.sampled_from(NODES),
)
@settings(max_examples=30, deadline=None)
def test_an_empty_scenario_changes_nothing(origin: str, destination: str) -> None:
    out = apply_scenario(NET, Scenario("empty"))
    assert records(out) == records(NET)
    if origin == destination:
        return
    query = Query(origin, destination, depart=DEPART)
    try:
        expected = plan(NET, query).to_dict()
    except NoRouteError:
        with pytest.raises(NoRouteError):
            plan(out, query)
        return
    assert plan(out, query).to_dict() == expected


@given(
    link=st.sampled_from(LINKS),
    origin=st.sampled_from(NODES),
    destination=st.sampled_from(NODES),
    criterion=st.sampled_from(["time", "cost"]),
)
@settings(max_examples=60, deadline=None)
def test_closing_a_link_never_makes_any_od_faster_or_cheaper(
    link: str, origin: str, destination: str, criterion: str
) -> None:
    if origin == destination:
        return
    closed = apply_scenario(NET, Scenario("closed", changes=(CloseLink(link),)))
    assert problems(closed) == []
    before = best(NET, origin, destination, criterion)
    after = best(closed, origin, destination, criterion)
    if before is None:
        assert after is None  # closing a link never opens a route
    elif after is not None:
        assert after >= before - 1e-6


def test_applying_a_composition_equals_applying_each_in_turn() -> None:
    a = Scenario("a", changes=(CloseCrossing("ALASHANKOU_DOSTYK"),))
    b = Scenario("b", changes=(ScaleDwell("HORGOS_ALTYNKOL", 0.5),))
    c = Scenario("c", changes=(ChangeService("caspian_kuryk_alat", frequency_factor=2),))
    one = apply_scenario(NET, compose(a, b, c))
    steps = apply_scenario(apply_scenario(apply_scenario(NET, a), b), c)
    assert records(one) == records(steps)
    assert compose(a, b, c).name == "a + b + c"


def test_the_input_network_is_left_unchanged() -> None:
    before = records(NET)
    apply_scenario(NET, Scenario("x", changes=(CloseLink(LINKS[0]), ClosePassage("suez"))))
    assert records(NET) == before


def test_a_change_to_something_an_earlier_change_removed_is_skipped() -> None:
    # Closing Suez removes every Bab-el-Mandeb lane too; the second closure has nothing to do.
    out = apply_scenario(
        NET, Scenario("red sea", changes=(ClosePassage("suez"), ClosePassage("bab_el_mandeb")))
    )
    assert not [lk for lk in out.links if {"suez", "bab_el_mandeb"} & set(lk.passages)]


def test_a_change_to_something_the_network_never_had_raises() -> None:
    with pytest.raises(ScenarioError, match="unknown passage"):
        apply_scenario(NET, Scenario("typo", changes=(ClosePassage("panama"),)))
