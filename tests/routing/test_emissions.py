"""ISO 14083 accounting, checked against docs/emissions.md's formulas with numbers typed here.

The bundled-network tests type the published inputs (grid intensity, energy per tonne-km,
trade-lane factors) and recompute the leg; the tiny-network tests write their own factor rows
into a copy of the fixture and check the effect of payload, vehicle count, hub category and
reefer power and tariffs.
"""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import pytest

import corridor
from corridor import Constraints, Query

DEPART = datetime(2026, 12, 1)
ALL_MODES = ("rail", "road", "sea", "ferry", "pipeline")

# The corridor's countries (issue 8): each must have its own electric-rail grid row.
COUNTRIES = [
    "CN",
    "KZ",
    "RU",
    "BY",
    "PL",
    "DE",
    "NL",
    "BE",
    "FR",
    "AT",
    "HU",
    "CZ",
    "SK",
    "SI",
    "HR",
    "IT",
    "GR",
    "BG",
    "RO",
    "RS",
    "MK",
    "TR",
    "GE",
    "AZ",
    "AM",
    "UZ",
    "TM",
    "KG",
    "TJ",
    "IR",
    "MN",
    "LT",
    "LV",
    "EE",
    "FI",
    "UA",
]


def only(*modes: str) -> Constraints:
    return Constraints(avoid_modes=[m for m in ALL_MODES if m not in modes])


def move_leg(route: corridor.Route, link_id: str) -> corridor.Leg:
    legs = [leg for leg in route.legs if leg.kind == "move" and leg.ref == link_id]
    assert legs, [leg.ref for leg in route.legs]
    return legs[0]


# -- the bundled network ------------------------------------------------------------------------


def test_every_country_has_its_own_electric_rail_pipeline_and_plug_in_rows(
    eurasia: corridor.Network,
) -> None:
    keys = {(f.activity, f.mode, f.energy_carrier) for f in eurasia.emission_factors}
    countries = set(COUNTRIES) | {n.country for n in eurasia.nodes}
    for cc in sorted(countries):
        carrier = f"electricity_{cc.lower()}"
        assert ("move", "rail", carrier) in keys, cc
        assert ("move", "pipeline", carrier) in keys, cc
        assert ("reefer", "terminal", carrier) in keys, cc


def test_tank_to_wheel_never_exceeds_well_to_wheel(eurasia: corridor.Network) -> None:
    for f in eurasia.emission_factors:
        assert 0 <= f.ttw_g <= f.wtw_g, f
        assert 0 <= f.ttw_g_per_vkm <= f.wtw_g_per_vkm, f
        if f.energy_carrier.startswith("electricity_"):
            assert f.ttw_g == 0, f  # nothing burns on an electric train, pump or plug


def test_links_carry_the_carrier_of_where_they_run(eurasia: corridor.Network) -> None:
    country = {n.node_id: n.country for n in eurasia.nodes}
    classes = {"container_asia_neu", "container_asia_med", "container_feeder", "container_deepsea"}
    for link in eurasia.links:
        if link.mode == "rail" and link.energy_carrier.startswith("electricity"):
            assert link.energy_carrier == f"electricity_{country[link.from_node].lower()}", link
        elif link.mode == "sea":
            assert link.energy_carrier in classes, link
        elif link.mode == "ferry":
            assert link.energy_carrier == "ropax", link


def test_an_electric_rail_leg_in_poland_is_tonnes_times_km_times_the_polish_grid_factor(
    eurasia: corridor.Network,
) -> None:
    # 32.3 Wh per net t-km at the pantograph (EcoTransIT), 8% grid and 5% traction losses,
    # Poland's grid 661.926 g CO2e/kWh (2023, codecarbon's energy mix).
    polish_g_per_tkm = 0.0323 / 0.92 / 0.95 * 661.926
    q = Query(
        "PL_MAL",
        "PL_WAW",
        depart=DEPART,
        cargo=corridor.Cargo(tonnes=10.0),
        constraints=only("rail"),
        alternatives=0,
    )
    leg = move_leg(corridor.plan(eurasia, q).routes[0], "rail_MAL_WAW")
    assert leg.co2e_kg == pytest.approx(10.0 * leg.distance_km * polish_g_per_tkm / 1000, rel=1e-3)
    assert leg.co2e_ttw_kg == 0.0


def test_the_asia_north_europe_lane_uses_the_clean_cargo_factor(eurasia: corridor.Network) -> None:
    # About 48 g CO2e per TEU-km WTW on Asia-North Europe, at 10 t per TEU.
    q = Query(
        "CN_SHA",
        "NL_RTM",
        depart=DEPART,
        cargo=corridor.Cargo(tonnes=20.0),
        constraints=only("sea"),
    )
    route = corridor.plan(eurasia, q).routes[0]
    leg = next(leg for leg in route.legs if leg.kind == "move")
    assert leg.co2e_kg == pytest.approx(20.0 * leg.distance_km * 48 / 10 / 1000, rel=1e-6)
    assert 0 < leg.co2e_ttw_kg < leg.co2e_kg


def test_every_leg_reports_ttw_at_most_wtw_and_routes_sum_their_legs(
    eurasia: corridor.Network,
) -> None:
    for commodity in ("general", "reefer"):
        q = Query("Chengdu", "Rotterdam", depart=DEPART, commodity=commodity)
        for route in corridor.plan(eurasia, q).routes:
            for leg in route.legs:
                assert 0 <= leg.co2e_ttw_kg <= leg.co2e_kg + 1e-9
            assert route.co2e_kg == pytest.approx(sum(leg.co2e_kg for leg in route.legs))


def test_twenty_foot_boxes_cost_the_manifest_share_of_forty(eurasia: corridor.Network) -> None:
    def cheapest(size: int) -> float:
        q = corridor.Query(
            "Almaty",
            "Hamburg",
            depart=DEPART,
            criteria=("cost",),
            cargo=corridor.Cargo(size_ft=size),
            alternatives=0,
        )
        return corridor.plan(eurasia, q).routes[0].cost_usd

    assert cheapest(20) == pytest.approx(cheapest(40) * eurasia.manifest.teu_cost_factor)


def test_emissions_by_rail_and_sea_scale_with_the_cargo_mass(eurasia: corridor.Network) -> None:
    def co2(tonnes: float) -> float:
        q = corridor.Query(
            "Almaty",
            "Hamburg",
            depart=DEPART,
            criteria=("co2e",),
            cargo=corridor.Cargo(tonnes=tonnes),
            constraints=Constraints(avoid_modes=["road"]),
            alternatives=0,
        )
        return corridor.plan(eurasia, q).routes[0].co2e_kg

    assert co2(30.0) == pytest.approx(2 * co2(15.0))


# -- effects, on the tiny network with factor rows written here ----------------------------------


def rewrite(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open(newline="") as f:
        old = list(csv.DictReader(f))
    columns = list(dict.fromkeys([c for r in old + rows for c in r]))
    with path.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(old + rows)


def factor(**cells: str) -> dict[str, str]:
    return {"source": "test", "estimate": "false", "note": "", **cells}


@pytest.fixture
def tiny(tiny_copy: Path) -> corridor.Network:
    """The tiny network with per-vehicle road, a maritime hub and reefer rows added."""
    factors = tiny_copy / "emission_factors.csv"
    with factors.open(newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["mode"] != "road"]
    with factors.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    rewrite(
        factors,
        [
            factor(
                activity="move",
                mode="road",
                energy_carrier="diesel",
                wtw_g_per_tkm="100",
                ttw_g_per_tkm="80",
                wtw_g_per_vkm="1000",
                ttw_g_per_vkm="800",
                empty_share="0.2",
            ),
            factor(
                activity="hub",
                mode="maritime_transshipment",
                wtw_g_per_t="2000",
                ttw_g_per_t="1500",
            ),
            factor(activity="reefer", mode="road", wtw_g_per_kwh="900", ttw_g_per_kwh="700"),
            factor(activity="reefer", mode="rail", wtw_g_per_kwh="900", ttw_g_per_kwh="700"),
            factor(activity="reefer", mode="ferry", wtw_g_per_kwh="800", ttw_g_per_kwh="650"),
            factor(activity="reefer", mode="terminal", wtw_g_per_kwh="500", ttw_g_per_kwh="0"),
        ],
    )
    rewrite(
        tiny_copy / "commodities.csv",
        [
            {
                "commodity": "reefer",
                "name": "Reefer",
                "unit": "container",
                "border_class": "general",
                "modes": "rail;road;sea;ferry",
                "reefer_kw_per_teu": "2.5",
                "tariff_factors": "rail:1.5;road:1.2;ferry:1.3",
                "source": "test",
                "estimate": "false",
                "note": "",
            }
        ],
    )
    return corridor.load_network(tiny_copy)


def by_road(net: corridor.Network, commodity: str = "general", **cargo: float) -> corridor.Route:
    q = Query(
        "AA_A",
        "CC_E",
        depart=DEPART,
        commodity=commodity,
        cargo=corridor.Cargo(**cargo),  # type: ignore[arg-type]
        constraints=only("road"),
        alternatives=0,
    )
    return corridor.plan(net, q).routes[0]


def test_road_emissions_are_per_truck_so_a_heavier_box_emits_less_per_tonne_km(
    tiny: corridor.Network,
) -> None:
    # 700 km x 1,000 g per loaded vehicle-km / (1 - 0.2 empty) = 875 kg WTW per truck.
    light, heavy = by_road(tiny, tonnes=10.0), by_road(tiny, tonnes=20.0)
    assert light.co2e_kg == pytest.approx(875.0)
    assert light.co2e_ttw_kg == pytest.approx(700.0)
    assert heavy.co2e_kg == pytest.approx(875.0)
    assert heavy.co2e_kg / (20.0 * 700) < light.co2e_kg / (10.0 * 700)


def test_two_boxes_on_the_road_emit_twice_one(tiny: corridor.Network) -> None:
    one = by_road(tiny, containers=1, tonnes=12.0)
    two = by_road(tiny, containers=2, tonnes=24.0)
    assert two.co2e_kg == pytest.approx(2 * one.co2e_kg)
    assert two.co2e_kg == pytest.approx(1750.0)


def test_rail_stays_per_tonne_km(tiny: corridor.Network) -> None:
    q = Query("AA_A", "AA_B", depart=DEPART, cargo=corridor.Cargo(tonnes=15.0), alternatives=0)
    leg = move_leg(corridor.plan(tiny, q).routes[0], "L1")
    assert leg.co2e_kg == pytest.approx(15.0 * 100 * 20 / 1000)  # 20 g/t-km electric


def test_a_port_transshipment_uses_the_maritime_terminal_factor(tiny: corridor.Network) -> None:
    q = Query(
        "AA_A",
        "CC_E",
        depart=DEPART,
        cargo=corridor.Cargo(tonnes=10.0),
        constraints=only("rail", "ferry"),
        alternatives=0,
    )
    route = corridor.plan(tiny, q).routes[0]
    port = [leg for leg in route.legs if leg.kind == "transfer" and leg.from_node == "BB_D"]
    gauge = [leg for leg in route.legs if leg.kind == "transfer" and leg.from_node == "BB_C"]
    assert port[0].co2e_kg == pytest.approx(10.0 * 2000 / 1000)  # not the inland 1,500 g/t
    assert gauge[0].co2e_kg == pytest.approx(10.0 * 1000 / 1000)


def test_a_reefer_costs_and_emits_more_than_general_cargo_by_the_documented_amount(
    tiny: corridor.Network,
) -> None:
    general = by_road(tiny, tonnes=20.0)
    reefer = by_road(tiny, "reefer", tonnes=20.0)
    # Power: 2 TEU x 2.5 kW over 14 h on the road (900 g/kWh WTW, 700 TTW) and 8 h of border
    # dwell plugged in (500 g/kWh WTW, 0 TTW).
    assert reefer.co2e_kg - general.co2e_kg == pytest.approx(5.0 * (14 * 900 + 8 * 500) / 1000)
    assert reefer.co2e_ttw_kg - general.co2e_ttw_kg == pytest.approx(5.0 * 14 * 700 / 1000)
    # Tariff: road line haul 3.0 USD/FEU-km x 700 km x 1.2; the border fee is unchanged.
    assert reefer.cost_usd - general.cost_usd == pytest.approx(3.0 * 700 * 0.2)


def test_reefer_tariffs_apply_per_mode(tiny: corridor.Network) -> None:
    def cost(commodity: str) -> float:
        q = Query(
            "AA_A",
            "AA_B",
            depart=DEPART,
            commodity=commodity,
            constraints=only("rail"),
            alternatives=0,
        )
        return corridor.plan(tiny, q).routes[0].cost_usd

    assert cost("reefer") == pytest.approx(1.5 * cost("general"))  # 100 km x 1.0 USD/FEU-km
    assert cost("general") == pytest.approx(100.0)


def test_a_bundled_reefer_by_rail_pays_its_surcharge_and_its_generator_fuel(
    eurasia: corridor.Network,
) -> None:
    def fastest(commodity: str) -> corridor.Route:
        q = Query(
            "Almaty",
            "Duisburg",
            depart=DEPART,
            commodity=commodity,
            criteria=("time",),
            constraints=only("rail"),
            alternatives=0,
        )
        return corridor.plan(eurasia, q).routes[0]

    general, reefer = fastest("general"), fastest("reefer")
    assert [leg.ref for leg in general.legs] == [leg.ref for leg in reefer.legs]
    for g, r in zip(general.legs, reefer.legs, strict=True):
        if g.kind == "move":
            # x 1.4 on rail line haul; a 40' box draws 2 x 2.7 kW from a diesel generator set
            # at 972 g CO2e/kWh WTW and 762 TTW for the leg's hours.
            assert r.cost_usd == pytest.approx(1.4 * g.cost_usd)
            assert r.co2e_kg - g.co2e_kg == pytest.approx(5.4 * g.hours * 972 / 1000)
            assert r.co2e_ttw_kg - g.co2e_ttw_kg == pytest.approx(5.4 * g.hours * 762 / 1000)
        else:
            assert r.cost_usd == pytest.approx(g.cost_usd)
            assert r.co2e_kg >= g.co2e_kg  # plugged in at terminals and borders
    assert reefer.cost_usd > general.cost_usd and reefer.co2e_kg > general.co2e_kg
