"""Network transforms: each returns a consistent new network and leaves its input alone."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scenario_consistency import problems

import corridor
from corridor.errors import NoRouteError, ScenarioError
from corridor.network.loader import load_network
from corridor.network.records import Provenance
from corridor.routing.planner import plan
from corridor.routing.query import Query
from corridor.scenarios import transforms as tf

TINY = Path(__file__).parents[1] / "fixtures" / "tiny"
DEPART = datetime(2026, 12, 1)


@pytest.fixture(scope="module")
def tiny() -> corridor.Network:
    return load_network(TINY)


def records(net: corridor.Network) -> tuple[object, ...]:
    return (net.nodes, net.links, net.transfers, net.crossings, net.services)


def test_close_link_drops_its_services_and_crossing_rows(tiny: corridor.Network) -> None:
    before = records(tiny)
    out = tf.close_link(tiny, "L4")
    assert "L4" not in out.link_index
    assert not [s for s in out.services if s.link_id == "L4"]
    assert not [c for c in out.crossings if c.link_id == "L4"]
    assert problems(out) == []
    assert records(tiny) == before  # the input is untouched


def test_close_link_drops_a_transfer_whose_layer_left_the_node(tiny: corridor.Network) -> None:
    out = tf.close_link(tiny, "L4")  # the only ferry link at BB_D
    assert not [t for t in out.transfers if t.node_id == "BB_D" and "ferry" in (t.to_layer,)]
    assert problems(out) == []


def test_close_node_removes_every_link_touching_it(tiny: corridor.Network) -> None:
    out = tf.close_node(tiny, "BB_D")
    assert "BB_D" not in out.node_index
    assert all("BB_D" not in (lk.from_node, lk.to_node) for lk in out.links)
    assert problems(out) == []


def test_a_node_left_without_links_is_dropped(tiny: corridor.Network) -> None:
    out = tf.close_links(tiny, ["L1", "L5", "L6"])  # every link at AA_A
    assert "AA_A" not in out.node_index
    assert problems(out) == []


def reachable(net: corridor.Network, origin: str, commodity: str = "general") -> set[str]:
    """Nodes a box of `commodity` can reach from `origin`, found here by breadth-first search
    over (node, layer) states from the link and transfer records (not the route engine): a
    link of a mode the commodity may use and that carries it, each way when bidirectional; a
    transfer row, both ways."""
    modes = next(c.modes for c in net.commodities if c.commodity == commodity)
    step: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for lk in net.links:
        if lk.status == "closed" or lk.mode not in modes:
            continue
        if lk.commodities != ("*",) and commodity not in lk.commodities:
            continue
        layer = f"rail_{lk.gauge_mm}" if lk.mode == "rail" else lk.mode
        a, b = (lk.from_node, layer), (lk.to_node, layer)
        step.setdefault(a, set()).add(b)
        if lk.bidirectional:
            step.setdefault(b, set()).add(a)
    for t in net.transfers:
        a, b = (t.node_id, t.from_layer), (t.node_id, t.to_layer)
        step.setdefault(a, set()).add(b)
        step.setdefault(b, set()).add(a)
    seen = {s for s in step if s[0] == origin}
    todo = list(seen)
    while todo:
        for nxt in step.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return {node for node, _ in seen}


def test_closed_crossing_blocks_passage_instead_of_opening_a_free_border(
    tiny: corridor.Network,
) -> None:
    query = Query("AA_A", "BB_C", depart=DEPART)
    assert any("AB_RAIL" in r.corridor for r in plan(tiny, query).routes)
    out = tf.close_crossing(tiny, "AB_RAIL")
    assert problems(out) == []
    routed = cut = 0
    for origin in out.node_index:
        can_reach = reachable(out, origin)
        for destination in out.node_index:
            if origin == destination:
                continue
            query = Query(origin, destination, depart=DEPART)
            if destination in can_reach:
                routes = plan(out, query).routes
                assert routes and all("AB_RAIL" not in r.corridor for r in routes)
                routed += 1
            else:  # the closure (or the network) leaves no path: the planner must agree
                with pytest.raises(NoRouteError):
                    plan(out, query)
                cut += 1
    assert routed and cut  # both kinds of pair were checked, AA_A to BB_C among the cut


def test_close_border_closes_every_crossing_between_the_two_countries(
    eurasia: corridor.Network,
) -> None:
    out = tf.close_border(eurasia, "pl", "BY")
    country = {n.node_id: n.country for n in out.nodes}
    for c in out.crossings:
        lk = out.link(c.link_id)
        assert {country[lk.from_node], country[lk.to_node]} != {"PL", "BY"}
    before = {n.node_id: n.country for n in eurasia.nodes}
    joining = {
        c.crossing_id
        for c in eurasia.crossings
        if {before[eurasia.link(c.link_id).from_node], before[eurasia.link(c.link_id).to_node]}
        == {"PL", "BY"}
    }
    assert len(joining) >= 2  # Brest-Małaszewicze and Bruzgi-Kuźnica at least
    assert set(out.crossing_ids) == set(eurasia.crossing_ids) - joining
    assert problems(out) == []


def test_close_country_removes_its_nodes(eurasia: corridor.Network) -> None:
    out = tf.close_country(eurasia, "BY")
    assert "BY" not in out.countries
    assert problems(out) == []


def test_close_passage_removes_every_lane_through_it(eurasia: corridor.Network) -> None:
    out = tf.close_passage(eurasia, "suez")
    assert not [lk for lk in out.links if "suez" in lk.passages]
    assert [lk for lk in out.links if "cape" in lk.passages]
    assert problems(out) == []


@pytest.mark.parametrize(
    ("call", "field", "hint"),
    [
        (lambda n: tf.close_link(n, "rail_AKS_DOZ"), "link_id", "rail_AKS_DOS"),
        (lambda n: tf.close_node(n, "KZ_DOZ"), "node_id", "KZ_DOS"),
        (lambda n: tf.close_crossing(n, "ALASHANKOU_DOSTIK"), "crossing_id", "ALASHANKOU_DOSTYK"),
        (lambda n: tf.close_passage(n, "suz"), "passage", "suez"),
        (lambda n: tf.close_country(n, "XX"), "country", "unknown country"),
        (lambda n: tf.close_border(n, "DE", "CN"), "countries", "no border crossing"),
    ],
)
def test_unknown_targets_raise_a_scenario_error_naming_the_field(
    eurasia: corridor.Network, call: object, field: str, hint: str
) -> None:
    with pytest.raises(ScenarioError) as info:
        call(eurasia)  # type: ignore[operator]
    assert info.value.field == field and hint in str(info.value)


def test_scale_dwell_scales_median_and_p90_of_every_class(tiny: corridor.Network) -> None:
    out = tf.scale_dwell(tiny, "AB_RAIL", 0.5)
    old = {
        (c.direction, c.commodity_class): c for c in tiny.crossings if c.crossing_id == "AB_RAIL"
    }
    new = {(c.direction, c.commodity_class): c for c in out.crossings if c.crossing_id == "AB_RAIL"}
    assert old.keys() == new.keys()
    for key, rule in old.items():
        assert new[key].dwell_median_h == rule.dwell_median_h * 0.5
        assert new[key].dwell_p90_h == rule.dwell_p90_h * 0.5


def test_dwell_for_a_commodity_without_rows_starts_from_the_general_row(
    tiny: corridor.Network,
) -> None:
    out = tf.set_dwell(tiny, "AB_RAIL", median_h=2, commodity="agri", direction="reverse")
    rows = {
        (c.direction, c.commodity_class): c for c in out.crossings if c.crossing_id == "AB_RAIL"
    }
    general = rows[("reverse", "general")]
    agri = rows[("reverse", "agri")]
    assert general.dwell_median_h == 10  # untouched
    assert agri.dwell_median_h == 2
    assert agri.dwell_p90_h == pytest.approx(30 * 2 / 10)  # the general row's spread, scaled
    assert problems(out) == []


def test_set_dwell_rejects_a_p90_below_the_median(tiny: corridor.Network) -> None:
    with pytest.raises(ScenarioError, match="p90_h"):
        tf.set_dwell(tiny, "AB_RAIL", median_h=10, p90_h=5)


def test_shorter_dwell_shortens_the_route_by_exactly_the_saving(tiny: corridor.Network) -> None:
    query = Query("AA_A", "BB_C", depart=DEPART, criteria=("time",), alternatives=0)
    base = plan(tiny, query).routes[0]
    assert "AB_RAIL" in base.corridor
    out = tf.set_dwell(tiny, "AB_RAIL", median_h=20, direction="forward", commodity="general")
    faster = plan(out, query).routes[0]
    assert base.transit_hours - faster.transit_hours == pytest.approx(10.0)


def test_change_link_speed_factor_and_capacity(eurasia: corridor.Network) -> None:
    link = eurasia.link("ferry_AKU_ALT")
    out = tf.change_link(eurasia, "ferry_AKU_ALT", speed_factor=2.0, capacity_factor=2.0)
    changed = out.link("ferry_AKU_ALT")
    assert changed.duration_h == pytest.approx(link.duration_h / 2)
    assert link.capacity_teu_per_week is not None
    assert changed.capacity_teu_per_week == pytest.approx(link.capacity_teu_per_week * 2)
    with pytest.raises(ScenarioError):
        tf.change_link(eurasia, "ferry_AKU_ALT", speed_factor=2.0, duration_h=3.0)


def test_change_tariff_touches_only_the_links_matching_every_filter(
    eurasia: corridor.Network,
) -> None:
    out = tf.change_tariff(eurasia, 1.5, modes=["rail"], countries=["KZ"])
    kz = {n.node_id for n in eurasia.nodes if n.country == "KZ"}
    for old, new in zip(eurasia.links, out.links, strict=True):
        hit = old.mode == "rail" and bool({old.from_node, old.to_node} & kz)
        factor = 1.5 if hit else 1.0
        assert new.tariff_usd_per_feu_km == pytest.approx(old.tariff_usd_per_feu_km * factor)


@given(
    # departures a tenth of an hour apart at least, so that none coincide
    departures=st.lists(
        st.integers(0, 1679).map(lambda t: t / 10), min_size=1, max_size=6, unique=True
    ),
    k=st.integers(1, 4),
)
@settings(max_examples=50, deadline=None)
def test_scaling_frequency_by_k_gives_k_times_the_departures_within_the_week(
    departures: list[float], k: int
) -> None:
    times = sorted(departures)
    out = tf.scale_frequency(times, k)
    assert len(out) == k * len(times)
    assert all(0 <= t < 168 for t in out) and list(out) == sorted(out)
    assert set(times) <= set(out)


def test_doubled_ferry_halves_the_wait_of_a_headway_service(eurasia: corridor.Network) -> None:
    service = next(s for s in eurasia.services if s.service_id == "caspian_kuryk_alat")
    out = tf.change_service(eurasia, "caspian_kuryk_alat", frequency_factor=2)
    doubled = next(s for s in out.services if s.service_id == "caspian_kuryk_alat")
    assert len(doubled.departures_h) == 2 * len(service.departures_h)
    gaps = {round(b - a, 6) for a, b in pairwise(doubled.departures_h)}
    assert len(gaps) == 1  # still an even headway


def test_add_link_across_a_border_needs_its_crossing(tiny: corridor.Network) -> None:
    base = tiny.link("L5")
    new = replace(
        base,
        link_id="L9",
        from_node="AA_B",
        to_node="CC_E",
        distance_km=100.0,
        duration_h=2.0,
        provenance=Provenance(("test",), True, "scenario link"),
    )
    with pytest.raises(ScenarioError, match="crossing"):
        tf.add_link(tiny, new)
    rule = next(c for c in tiny.crossings if c.crossing_id == "AC_ROAD")
    rows = [
        replace(rule, crossing_id="BC_ROAD", name="Bravo–Echo road", direction=d)
        for d in ("forward", "reverse")
    ]
    out = tf.add_link(tiny, new, rows)
    assert problems(out) == []
    route = plan(out, Query("AA_B", "CC_E", depart=DEPART, criteria=("time",))).routes[0]
    assert "BC_ROAD" in route.corridor


def test_rebuild_without_changes_keeps_every_record(eurasia: corridor.Network) -> None:
    assert records(tf.rebuild(eurasia)) == records(eurasia)
