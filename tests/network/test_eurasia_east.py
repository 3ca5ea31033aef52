"""The bundled network east and south of Moscow: exits, the south, energy, import dwell, CKU."""

from __future__ import annotations

import math
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest

import corridor
from corridor import Constraints, Query
from corridor.errors import ScenarioError
from corridor.network.expanded import BORDER
from corridor.routing.weights import Exclusions, edge_weights, shipment_of
from corridor.scenarios.apply import apply_scenario
from corridor.scenarios.files import load_scenario
from corridor.scenarios.transforms import open_link

DEPART = datetime(2026, 12, 1)
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
CKU = ("rail_KSH_TRG", "rail_TRG_JAL", "rail_JAL_AND")
EAST = {"CN", "MN", "KZ", "KG", "UZ", "TJ", "TM", "IR"}


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    h = (
        math.sin((la2 - la1) / 2) ** 2
        + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def moves(route: corridor.Route) -> list[str]:
    return [leg.ref for leg in route.legs if leg.kind == "move"]


def plan(net: corridor.Network, origin: str, destination: str, **kw: object) -> corridor.PlanResult:
    return corridor.plan(net, Query(origin, destination, depart=DEPART, **kw))  # type: ignore[arg-type]


def test_erenhot_to_duisburg_goes_through_mongolia(eurasia: corridor.Network) -> None:
    result = plan(eurasia, "Erenhot", "Duisburg")
    assert any("MN" in r.countries and r.modes == ("rail",) for r in result.routes)


def test_erenhot_to_moscow_passes_zamyn_uud_and_naushki(eurasia: corridor.Network) -> None:
    fastest = min(plan(eurasia, "Erenhot", "Moscow").routes, key=lambda r: r.transit_hours)
    assert {"MN_ZUU", "RU_NSK"} <= set(fastest.nodes)


def test_trains_from_inner_mongolia_change_gauge_at_erenhot(eurasia: corridor.Network) -> None:
    route = plan(eurasia, "CN_JNG", "Ulaanbaatar").routes[0]
    gauge_changes = [leg.from_node for leg in route.legs if "gauge change" in leg.detail]
    assert gauge_changes == ["CN_ERL"]


def test_manzhouli_to_moscow_runs_on_the_trans_siberian(eurasia: corridor.Network) -> None:
    result = plan(eurasia, "Manzhouli", "Moscow", constraints=Constraints(avoid_countries=["KZ"]))
    rail = [r for r in result.routes if r.modes == ("rail",)]
    assert rail and {"RU_ZBK", "RU_NOV"} <= set(rail[0].nodes)


def test_bishkek_reaches_bandar_abbas_by_rail(eurasia: corridor.Network) -> None:
    result = plan(eurasia, "Bishkek", "Bandar Abbas")
    assert any(r.modes == ("rail",) and "IR" in r.countries for r in result.routes)


def test_tengiz_crude_reaches_the_cpc_terminal_by_pipeline(eurasia: corridor.Network) -> None:
    result = plan(eurasia, "KZ_TEN", "RU_CPC", commodity="crude_oil")
    assert result.routes and all(r.modes == ("pipeline",) for r in result.routes)


def test_galkynysh_gas_reaches_horgos_across_three_countries(eurasia: corridor.Network) -> None:
    result = plan(eurasia, "TM_GKN", "CN_HRG", commodity="natural_gas")
    assert result.routes
    assert {"TM", "UZ", "KZ", "CN"} <= set(result.routes[0].countries)


def test_the_southern_railway_links_the_caspian_to_the_gulf(eurasia: corridor.Network) -> None:
    result = plan(eurasia, "Aktau", "Bandar Abbas", constraints=Constraints(avoid_modes=["sea"]))
    assert any({"TM_SRH", "IR_INB"} <= set(r.nodes) for r in result.routes)


def test_the_cku_railway_is_closed_until_the_shipped_scenario_opens_it(
    eurasia: corridor.Network,
) -> None:
    before = plan(eurasia, "Kashgar", "Andijan", alternatives=3)
    assert before.routes
    assert not any(set(CKU) & set(moves(r)) for r in before.routes)

    opened = apply_scenario(eurasia, load_scenario(EXAMPLES / "cku-railway-open.toml", eurasia))
    after = plan(opened, "Kashgar", "Andijan")
    assert any(set(CKU) <= set(moves(r)) for r in after.routes)


def test_opening_an_open_link_is_an_error(eurasia: corridor.Network) -> None:
    with pytest.raises(ScenarioError) as err:
        open_link(eurasia, "rail_AKS_DOS")
    assert err.value.field == "link_id"


def _border_hours(net: corridor.Network, destination_country: str | None) -> np.ndarray:
    shipment = shipment_of(net, "general", corridor.Cargo())
    weights = edge_weights(net, shipment, Exclusions(), destination_country=destination_country)
    return np.asarray(weights.hours)


def test_cargo_for_kazakhstan_waits_longer_at_the_chinese_rail_border(
    eurasia: corridor.Network,
) -> None:
    g = eurasia.graph
    transit, for_kz = _border_hours(eurasia, None), _border_hours(eurasia, "KZ")
    border = np.flatnonzero(g.kind == BORDER)
    into_kz = np.array([g.entered_country[g.crossdir[e]] == "KZ" for e in border])
    longer = for_kz[border] > transit[border]
    assert longer.any()
    assert not longer[~into_kz].any()  # only crossings into the destination country change
    assert np.array_equal(_border_hours(eurasia, "DE"), transit)


def test_urumqi_to_almaty_pays_the_import_dwell_and_urumqi_to_moscow_does_not(
    eurasia: corridor.Network,
) -> None:
    by_rail = Constraints(avoid_modes=["road"])
    transit = _border_hours(eurasia, None)
    g = eurasia.graph

    def cn_kz_border_leg(origin: str, destination: str) -> tuple[float, float]:
        route = plan(eurasia, origin, destination, constraints=by_rail).routes[0]
        leg = next(
            x for x in route.legs if x.kind == "border" and eurasia.node(x.to_node).country == "KZ"
        )
        edges = [
            e
            for e in np.flatnonzero(g.kind == BORDER)
            if g.crossing_directions[g.crossdir[e]].crossing_id == leg.ref
            and g.entered_country[g.crossdir[e]] == "KZ"
        ]
        return leg.hours, float(transit[edges].max())

    hours, transit_hours = cn_kz_border_leg("Urumqi", "Almaty")
    assert hours > transit_hours
    hours, transit_hours = cn_kz_border_leg("Urumqi", "Moscow")
    assert hours == pytest.approx(transit_hours)


def test_links_in_the_east_are_no_shorter_than_the_straight_line(
    eurasia: corridor.Network,
) -> None:
    # node coordinates are approximate to about 0.05 deg, so allow 3% and 5 km of slack
    short = []
    for link in eurasia.links:
        a, b = eurasia.node(link.from_node), eurasia.node(link.to_node)
        east = {a.country, b.country} <= EAST | {"RU"} and min(a.lon, b.lon) > 44.0
        if not (east or link.mode == "pipeline"):
            continue
        straight = haversine_km((a.lat, a.lon), (b.lat, b.lon))
        if link.distance_km < 0.97 * straight - 5.0:
            short.append((link.link_id, link.distance_km, round(straight)))
    assert not short


def test_transfers_in_the_east_have_a_capacity(eurasia: corridor.Network) -> None:
    missing = [
        (t.node_id, t.from_layer, t.to_layer)
        for t in eurasia.transfers
        if eurasia.node(t.node_id).country in EAST and t.capacity_teu_per_week is None
    ]
    assert not missing
