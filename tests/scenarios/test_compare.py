"""Baseline-vs-scenario comparison: route matching, the Red Sea case, closures never help."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import corridor
from corridor.batch.spec import NetworkSpec
from corridor.routing.odset import ODPair
from corridor.scenarios import Scenario, load_scenario
from corridor.scenarios.compare import RouteFigures, compare, match_routes
from corridor.scenarios.model import CloseCrossing, CloseLink, CloseNode

DEPART = datetime(2026, 12, 1, tzinfo=UTC)
EXAMPLES = Path(__file__).parents[2] / "examples"
NET = corridor.load_network()


def figures(corridor_: tuple[str, ...], modes: tuple[str, ...], days: float) -> RouteFigures:
    return RouteFigures(
        corridor=corridor_,
        via=corridor_,
        modes=modes,
        countries=("CN", "DE"),
        pareto=True,
        days=days,
        p90_days=None,
        cost_usd=1000.0 + days,
        co2e_kg=10.0,
        distance_km=1.0,
    )


def test_routes_match_by_identity_then_family_then_come_and_go() -> None:
    rail = figures(("A", "B"), ("rail",), 14)
    sea = figures(("passage:suez",), ("rail", "sea"), 40)
    road = figures(("C",), ("road",), 12)
    rail_after = figures(("A", "B"), ("rail",), 15)
    cape = figures(("passage:cape",), ("rail", "sea"), 48)
    ferry = figures(("D",), ("ferry",), 30)
    changes = match_routes([rail, sea, road], [ferry, cape, rail_after])
    assert [(c.status, c.before, c.after) for c in changes] == [
        ("same", rail, rail_after),
        ("rerouted", sea, cape),
        ("vanished", road, None),
        ("appeared", None, ferry),
    ]
    assert changes[1].delta()["days"] == 8


def test_routes_sharing_corridor_and_modes_pair_with_their_physical_twin() -> None:
    by_road = replace(figures(("A",), ("rail", "ferry"), 10.3), distance_km=3000.0)
    by_rail = replace(figures(("A",), ("rail", "ferry"), 11.1), distance_km=3050.0)
    changes = match_routes([by_road, by_rail], [by_rail, by_road])
    assert [(c.status, c.before, c.after) for c in changes] == [
        ("same", by_road, by_road),
        ("same", by_rail, by_rail),
    ]


def test_a_vanished_route_asks_for_its_family_counterpart() -> None:
    sea = figures(("passage:suez",), ("rail", "sea"), 40)
    cape = figures(("passage:cape",), ("rail", "sea"), 48)
    changes = match_routes([sea], [], lambda route: cape if route is sea else None)
    assert [(c.status, c.after) for c in changes] == [("rerouted", cape)]


def test_red_sea_closed_sends_the_sea_route_round_the_cape_and_rail_gains() -> None:
    scenario = load_scenario(EXAMPLES / "red-sea-closed.toml", NET)
    pair = ODPair("CN_XIA", "DE_DUI")
    result = compare(NET, scenario, [pair], depart=DEPART, samples=200, progress=False)
    (od,) = result.ods
    sea = [c for c in od.routes if c.before is not None and "passage:suez" in c.before.corridor]
    assert sea and all(c.status == "rerouted" for c in sea)
    for change in sea:
        assert change.before is not None and change.after is not None
        assert "passage:suez" in change.before.corridor
        assert "passage:cape" in change.after.corridor
        assert change.after.days > change.before.days + 5  # the Cape detour
    assert od.before.cheapest is not None and "sea" in od.before.cheapest.modes
    assert od.after.cheapest is not None and od.after.cheapest.modes == ("rail",)
    assert (od.delta()["cost_usd"] or 0.0) > 0
    data = result.to_dict()
    assert data["scenario"] == "Red Sea closed" and data["ods"][0]["routes"]


def test_an_od_whose_origin_is_closed_is_cut_with_the_reason() -> None:
    scenario = Scenario("no Xi'an", changes=(CloseNode("CN_XIA"),))
    result = compare(
        NET, scenario, [ODPair("CN_XIA", "DE_DUI")], depart=DEPART, samples=0, progress=False
    )
    (od,) = result.ods
    assert od.cut and od.after.error == "CN_XIA is closed"
    assert all(c.status == "vanished" for c in od.routes)
    assert od.delta()["days"] is None


PAIRS = [
    ODPair("CN_XIA", "DE_DUI"),
    ODPair("KZ_ALA", "DE_DUI", "agri"),
    ODPair("UZ_TAS", "TR_IST"),
    ODPair("CN_CTU", "PL_LDZ"),
]


@given(
    closed=st.sampled_from(sorted(NET.crossing_ids)),
    pair=st.sampled_from(PAIRS),
)
@settings(max_examples=20, deadline=None)
def test_closing_a_crossing_never_improves_an_ods_headline(closed: str, pair: ODPair) -> None:
    scenario = Scenario("closed", changes=(CloseCrossing(closed),))
    (od,) = compare(NET, scenario, [pair], depart=DEPART, samples=0, progress=False).ods
    delta = od.delta()
    for key in ("days", "cost_usd", "co2e_kg"):
        value = delta[key]
        assert value is None or value >= -1e-6, (key, delta)
    assert bool(od.before.routes) or not od.after.routes


def test_worker_processes_give_the_same_comparison_as_here() -> None:
    scenario = Scenario("closed", changes=(CloseLink("ferry_KUR_ALT"),))
    pairs = [ODPair("KZ_AST", "AZ_BAK", "agri"), ODPair("UZ_TAS", "TR_IST")]
    here = compare(NET, scenario, pairs, depart=DEPART, samples=100, progress=False)
    there = compare(
        NET,
        scenario,
        pairs,
        depart=DEPART,
        samples=100,
        progress=False,
        workers=2,
        spec=NetworkSpec(None),
    )
    assert there.to_dict() == here.to_dict()


def test_workers_without_a_spec_are_refused() -> None:
    with pytest.raises(corridor.CorridorError, match="spec"):
        compare(NET, Scenario("x"), PAIRS[:1], depart=DEPART, workers=2, progress=False)
