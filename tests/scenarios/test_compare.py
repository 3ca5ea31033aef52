"""Baseline-vs-scenario comparison: route matching, the Red Sea case, closures never help."""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import Phase, assume, given, settings
from hypothesis import strategies as st

import corridor
from corridor.batch.spec import NetworkSpec
from corridor.errors import ScenarioError
from corridor.routing.odset import ODPair, default_od_path, read_od_pairs
from corridor.scenarios import Scenario, apply_scenario, load_scenario
from corridor.scenarios.compare import RouteFigures, Settings, compare, compare_od, match_routes
from corridor.scenarios.model import (
    CloseBorder,
    CloseCountry,
    CloseCrossing,
    CloseLink,
    CloseNode,
)

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
        path=tuple(f"{c}:{m}" for c in corridor_ for m in modes),
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


def test_a_route_is_the_same_only_through_the_same_links_and_crossings() -> None:
    before = replace(figures(("A",), ("rail",), 10.0), path=("L1", "X1", "L2"))
    other_links = replace(before, path=("L1", "X1", "L3"), days=11.0)
    changes = match_routes([before], [other_links])
    assert [(c.status, c.after) for c in changes] == [("rerouted", other_links)]


def test_a_vanished_route_asks_for_its_family_counterpart() -> None:
    sea = figures(("passage:suez",), ("rail", "sea"), 40)
    cape = figures(("passage:cape",), ("rail", "sea"), 48)
    changes = match_routes([sea], [], lambda route: cape if route is sea else None)
    assert [(c.status, c.after) for c in changes] == [("rerouted", cape)]


def _cheapest(routes: tuple[RouteFigures, ...], mode: str) -> float:
    """The least cost of the routes that use `mode` (`rail`: rail only, no sea leg)."""
    if mode == "rail":
        return min(r.cost_usd for r in routes if r.modes == ("rail",))
    return min(r.cost_usd for r in routes if mode in r.modes)


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
    assert (od.delta()["cost_usd"] or 0.0) > 0
    # rail gains: the land routes keep their price while the cheapest sea route's rises
    before_rail, after_rail = (
        _cheapest(od.before.routes, "rail"),
        _cheapest(od.after.routes, "rail"),
    )
    before_sea, after_sea = _cheapest(od.before.routes, "sea"), _cheapest(od.after.routes, "sea")
    assert after_rail == pytest.approx(before_rail)
    assert after_sea > before_sea
    assert after_rail - after_sea < before_rail - before_sea
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


# -- headline figures that cannot lie -----------------------------------------------------------


def test_alashankou_closed_improves_no_headline_figure_of_any_od() -> None:
    """Reproduces issue 9: the closure once showed a P90 1.8 days better than the open network."""
    scenario = load_scenario(EXAMPLES / "alashankou-dostyk-closed.toml", NET)
    pairs = read_od_pairs(default_od_path(), NET)
    result = compare(NET, scenario, pairs, depart=DEPART, samples=500, seed=3, progress=False)
    for od in result.ods:
        for key, value in od.delta().items():
            assert value is None or value >= -1e-9, (od.pair.label, key, value)
        for change in od.routes:
            if change.status == "same":
                assert change.before is not None and change.after is not None
                assert change.before.path == change.after.path
                assert change.after.days == pytest.approx(change.before.days)


def test_a_long_lived_worker_sees_a_package_edited_since_its_last_comparison(
    tiny_copy: Path,
) -> None:
    from corridor.scenarios.compare import _scenario_network

    spec = NetworkSpec(str(tiny_copy))
    scenario = Scenario("nothing")
    first = _scenario_network(spec, scenario)
    assert first.link("L2").duration_h == 1.0
    links = tiny_copy / "links.csv"
    links.write_text(
        links.read_text().replace("L2,AA_B,BB_C,rail,1435,10,,1,", "L2,AA_B,BB_C,rail,1435,10,,7,")
    )
    stamp = links.stat()
    os.utime(links, ns=(stamp.st_atime_ns, stamp.st_mtime_ns + 5_000_000_000))
    assert _scenario_network(spec, scenario).link("L2").duration_h == 7.0


sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "routing"))
from random_networks import Spec, specs, write_package  # noqa: E402


def _closure(draw: st.DrawFn, spec: Spec) -> object:
    kind = draw(st.sampled_from(("link", "node", "crossing", "border", "country")))
    crossing_ids = sorted({c["crossing_id"] for c in spec.crossings})
    country = {n["node_id"]: n["country"] for n in spec.nodes}
    if kind == "crossing" and crossing_ids:
        return CloseCrossing(draw(st.sampled_from(crossing_ids)))
    if kind == "border" and crossing_ids:
        picked = draw(st.sampled_from(crossing_ids))
        link = next(lk for lk in spec.links if f"X{lk['link_id']}" == picked)
        return CloseBorder(country[link["from_node"]], country[link["to_node"]])
    if kind == "country":
        return CloseCountry(draw(st.sampled_from(sorted(set(country.values())))))
    if kind == "node":
        return CloseNode(draw(st.sampled_from([n["node_id"] for n in spec.nodes])))
    return CloseLink(draw(st.sampled_from([lk["link_id"] for lk in spec.links])))


@st.composite
def closures(draw: st.DrawFn) -> tuple[Spec, Scenario, ODPair]:
    """A random network, one or two closures of any kind, and an OD pair."""
    spec = draw(specs())
    changes = tuple(_closure(draw, spec) for _ in range(draw(st.integers(1, 2))))
    n = len(spec.nodes)
    a = draw(st.integers(0, n - 1))
    b = (a + draw(st.integers(1, n - 1))) % n
    commodity = draw(st.sampled_from(("general", "agri")))
    return spec, Scenario("closed", changes=changes), ODPair(f"N{a}", f"N{b}", commodity)  # type: ignore[arg-type]


@given(case=closures(), seed=st.integers(0, 3))
# no shrinking: each example loads two networks and runs Monte Carlos, so shrinking takes minutes
@settings(max_examples=40, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate])
def test_no_closure_improves_any_headline_figure_on_random_networks(
    case: tuple[Spec, Scenario, ODPair], seed: int
) -> None:
    spec, scenario, pair = case

    with tempfile.TemporaryDirectory() as tmp:
        net = corridor.load_network(write_package(spec, Path(tmp) / "net"))
    try:
        closed = apply_scenario(net, scenario)
    except ValueError:  # a closure that removes every link: compile_graph has no empty graph
        assume(False)
        raise
    except ScenarioError:  # the second closure's target never existed (a border with no crossing)
        assume(False)
        raise
    settings_ = Settings(DEPART, samples=300, seed=seed)
    od = compare_od(net, closed, pair, settings_)
    if not od.before.routes:
        assert not od.after.routes
        return
    before, after = od.before.headline(), od.after.headline()
    assert before["days"] is not None and before["p90_days"] is not None
    for key, value in after.items():
        if value is not None:
            assert value >= before[key] - 1e-9, (key, before, after)
