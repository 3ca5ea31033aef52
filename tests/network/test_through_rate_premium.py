"""The 1520 mm through-rate premium: the ERA index's section price, paid once on leaving for the EU.

docs/calibration.md ("The 1520 mm through-rate premium"): the Eurasian Rail Alliance Index prices
the 1520 mm transit of a FEU, Chinese border to EU border, at about USD 3,240 (2024 average; the
index page showed 3,289 on 15 July 2024, with a 3-year range of 2,691-3,295). The model charges
the Kazakh, Russian and Belarusian line haul at its 1520 mm rate and the rest of the section price
as a flat premium on the link that takes a box out of the 1520 network into the EU. The figures
below are the published ones and a plain list of EU members, not the package's tables; the routes
come from the planner.
"""

from __future__ import annotations

import pytest

import corridor
from corridor.network.model import Network
from corridor.routing.result import Route

ERAI_2024_USD = 3240.0  # ERAI, 1520 mm section Dostyk/Altynkol -> Brest/Bruzgi/Kaliningrad
EAEU_1520 = {"RU", "BY"}  # where a box bound for the EU last runs on the 1520 mm network
EU = {
    "AT", "BE", "BG", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT",
    "LT", "LU", "LV", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
}  # fmt: skip
# A premium is a flat charge of this order on one move; ordinary moves into the EU (a few
# dozen km of track, a Baltic feeder) cost far less.
PREMIUM_FLOOR_USD = 1000.0


def _country(network: Network, node_id: str) -> str:
    return network.node(node_id).country


def _exits(network: Network, route: Route, into: set[str], out_of: set[str]) -> list[float]:
    """The costs of the route's rail and sea moves from a country in `out_of` to one in `into`."""
    return [
        leg.cost_usd
        for leg in route.legs
        if leg.kind == "move"
        and leg.mode != "road"  # a truck crossing is not the rail transit product
        and _country(network, leg.from_node) in out_of
        and _country(network, leg.to_node) in into
    ]


def test_the_1520_section_costs_what_the_era_index_says(eurasia: Network) -> None:
    result = corridor.plan(
        eurasia, "Dostyk", "Małaszewicze", depart="2026-12-01", avoid_modes=["road"]
    )
    via_brest = [r for r in result.routes if "BREST_MALASZEWICZE" in r.corridor]
    assert via_brest, "no route from Dostyk reaches Małaszewicze through Brest"
    cheapest = min(r.cost_usd for r in via_brest)
    # 10%: the index moved within 2,915-3,295 over the year before July 2024.
    assert cheapest == pytest.approx(ERAI_2024_USD, rel=0.10), (
        f"the model's 1520 mm section costs USD {cheapest:,.0f}, the ERA index about "
        f"{ERAI_2024_USD:,.0f}: re-derive the premium (docs/calibration.md)"
    )


@pytest.mark.parametrize(
    ("origin", "destination"),
    [("Xi'an", "Hamburg"), ("Chengdu", "Łódź"), ("Harbin", "Rotterdam"), ("Almaty", "Vilnius")],
)
def test_a_box_leaving_the_1520_network_for_the_eu_pays_the_premium_once(
    origin: str, destination: str, eurasia: Network
) -> None:
    network = eurasia
    result = corridor.plan(network, origin, destination, depart="2026-12-01", alternatives=10)
    through_1520 = [r for r in result.routes if EAEU_1520 & set(r.countries)]
    assert through_1520, f"no route {origin} -> {destination} crosses Russia or Belarus"
    by_rail_or_sea = [r for r in through_1520 if _exits(network, r, EU, EAEU_1520)]
    assert by_rail_or_sea, f"no route {origin} -> {destination} leaves for the EU by rail or sea"
    for route in by_rail_or_sea:  # the others cross by truck (the road rows carry no premium)
        exits = _exits(network, route, EU, EAEU_1520)
        # the first exit carries the premium; a later one (Lithuania -> Kaliningrad -> Poland)
        # does not charge it again
        assert exits[0] >= PREMIUM_FLOOR_USD, f"{route.corridor}: first exit costs {exits[0]}"
        assert all(cost < PREMIUM_FLOOR_USD for cost in exits[1:]), f"{route.corridor}: {exits}"
        reentries = _exits(network, route, EAEU_1520, EU)
        assert all(cost < PREMIUM_FLOOR_USD for cost in reentries), f"{route.corridor}"


def test_a_box_entering_the_1520_network_from_the_eu_pays_the_premium_too(
    eurasia: Network,
) -> None:
    network = eurasia
    result = corridor.plan(network, "Duisburg", "Xi'an", depart="2026-12-01", avoid_modes=["sea"])
    through_1520 = [r for r in result.routes if EAEU_1520 & set(r.countries)]
    assert through_1520
    by_rail = [r for r in through_1520 if _exits(network, r, EAEU_1520, EU)]
    assert by_rail
    for route in by_rail:
        entries = _exits(network, route, EAEU_1520, EU)
        # eastbound the land exits take their reverse factor (0.833)
        assert entries[0] >= PREMIUM_FLOOR_USD, f"{route.corridor}: {entries}"


@pytest.mark.parametrize(
    ("origin", "destination"), [("Almaty", "Istanbul"), ("Altynkol", "Constanța")]
)
def test_a_box_sailing_west_from_a_russian_black_sea_port_pays_the_premium(
    origin: str, destination: str, eurasia: Network
) -> None:
    network = eurasia
    result = corridor.plan(network, origin, destination, depart="2026-12-01", alternatives=10)
    sailings = [
        leg
        for route in result.routes
        for leg in route.legs
        if leg.kind == "move"
        and leg.mode == "sea"
        and _country(network, leg.from_node) == "RU"
        and _country(network, leg.to_node) in {"TR", "RO", "BG"}
    ]
    assert sailings, f"no route {origin} -> {destination} sails from a Russian Black Sea port"
    assert all(leg.cost_usd >= PREMIUM_FLOOR_USD for leg in sailings), sailings
