"""The western half of the bundled network: Central Europe, the Balkans, the Baltic and the Black Sea.

Each test plans on the bundled network and checks an effect a forwarder would check by hand: which
countries a route passes, which border it uses, which port its sea leg leaves from.
"""

from __future__ import annotations

import math
from datetime import datetime
from pathlib import Path

import pytest

import corridor
from corridor import Constraints, Query
from corridor.network.records import Node
from corridor.scenarios.apply import apply_scenario
from corridor.scenarios.files import load_scenario

DEPART = datetime(2026, 12, 1)
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
BALTIC_PORTS = {"RU_SPB", "RU_ULU", "RU_KLG", "LT_KLJ"}
# Countries whose links this part of the network holds (Russia's are split with the east).
WEST = {"BY", "LT", "FI", "PL", "DE", "NL", "BE", "CZ", "SK", "AT", "HU", "SI", "IT", "RS", "MK"}
WEST |= {"BG", "RO", "GR", "TR", "GE", "AM"}


def fastest(
    net: corridor.Network, origin: str, destination: str, constraints: Constraints | None = None
) -> corridor.Route:
    query = Query(
        origin,
        destination,
        depart=DEPART,
        criteria=("time",),
        alternatives=0,
        constraints=constraints or Constraints(),
    )
    return corridor.plan(net, query).routes[0]


def countries_passed(net: corridor.Network, route: corridor.Route) -> set[str]:
    return {net.node(n).country for n in route.nodes}


@pytest.mark.parametrize(
    ("origin", "destination"),
    [("Almaty", "Istanbul"), ("Xi'an", "Mersin"), ("Chongqing", "Budapest")],
)
def test_routes_to_south_east_europe_and_turkiye_do_not_detour_through_germany(
    eurasia: corridor.Network, origin: str, destination: str
) -> None:
    route = fastest(eurasia, origin, destination)
    assert "DE" not in countries_passed(eurasia, route)
    assert "DE" not in route.countries


def test_munich_reaches_budapest_along_the_danube_not_over_the_alps(
    eurasia: corridor.Network,
) -> None:
    # The main line runs Munich-Salzburg-Linz-Vienna; the way round by Innsbruck is 1.57x the
    # great circle, the Salzburg line about 1.25x.
    route = fastest(eurasia, "Munich", "Budapest")
    names = {eurasia.node(n).name for n in route.nodes}
    assert "Innsbruck" not in names
    assert "Salzburg" in names
    straight = _great_circle_km(eurasia.node(route.nodes[0]), eurasia.node(route.nodes[-1]))
    assert route.distance_km <= 1.35 * straight


def test_piraeus_reaches_budapest_by_rail_through_the_balkans(eurasia: corridor.Network) -> None:
    result = corridor.plan(eurasia, Query("Piraeus", "Budapest", depart=DEPART))
    rail = [r for r in result.routes if r.modes == ("rail",)]
    assert rail
    passed = countries_passed(eurasia, rail[0])
    assert {"GR", "RS", "HU"} <= passed
    assert passed & {"BG", "MK"}  # by Sofia or by Skopje


def _sea_departures(route: corridor.Route) -> set[str]:
    return {leg.from_node for leg in route.legs if leg.kind == "move" and leg.mode == "sea"}


def test_with_poland_belarus_closed_chengdu_reaches_hamburg_by_a_baltic_rail_sea_route(
    eurasia: corridor.Network,
) -> None:
    closed = apply_scenario(
        eurasia, load_scenario(EXAMPLES / "poland-belarus-closed.toml", eurasia)
    )
    result = corridor.plan(closed, Query("Chengdu", "Hamburg", depart=DEPART))
    baltic = [r for r in result.routes if _sea_departures(r) & BALTIC_PORTS]
    assert baltic
    assert min(r.transit_days for r in baltic) < 29
    for route in result.routes:  # the scenario really shuts the border
        hops = zip(route.nodes, route.nodes[1:], strict=False)
        pairs = {frozenset((closed.node(a).country, closed.node(b).country)) for a, b in hops}
        assert frozenset(("PL", "BY")) not in pairs


def test_avoiding_brest_the_northern_route_enters_poland_at_bruzgi_kuznica(
    eurasia: corridor.Network,
) -> None:
    query = Query(
        "Xi'an",
        "Warsaw",
        depart=DEPART,
        constraints=Constraints(avoid=["BREST_MALASZEWICZE"], avoid_modes=["sea", "road"]),
    )
    result = corridor.plan(eurasia, query)
    assert all("BREST_MALASZEWICZE" not in r.corridor for r in result.routes)
    via = [r for r in result.routes if "BRUZGI_KUZNICA" in r.corridor]
    assert via
    nodes = via[0].nodes
    assert nodes.index("BY_BRZ") + 1 == nodes.index("PL_KUZ")
    kinds = [leg.detail for leg in via[0].legs if leg.kind == "transfer"]
    assert any("gauge change" in k for k in kinds)


def test_the_baltic_ports_ship_to_hamburg_and_rotterdam(eurasia: corridor.Network) -> None:
    for port in sorted(BALTIC_PORTS):
        for target in ("DE_HAM", "NL_RTM"):
            only_sea = Constraints(avoid_modes=["rail", "road"])
            route = fastest(eurasia, port, target, constraints=only_sea)
            assert route.nodes == (port, target), (port, target)


def _great_circle_km(a: Node, b: Node) -> float:
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dlon = math.radians(b.lon - a.lon)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlon / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def test_estimated_western_distances_are_no_shorter_than_the_straight_line(
    eurasia: corridor.Network,
) -> None:
    checked = 0
    for link in eurasia.links:
        a, b = eurasia.node(link.from_node), eurasia.node(link.to_node)
        if not {a.country, b.country} <= WEST or link.distance_source not in ((), ("geometry",)):
            continue  # sourced lengths wait for the surveyed coordinates of their ends
        straight = _great_circle_km(a, b)
        assert link.distance_km >= straight * 0.999, link.link_id
        assert link.distance_km <= 2.2 * straight + 5, link.link_id
        checked += 1
    assert checked > 80
