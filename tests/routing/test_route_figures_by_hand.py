"""Route figures on the tiny fixture worked out by hand from its CSV rows, and constraints that
must hold together: timetable minutes, WTW and TTW, countries in order of passage, avoid lists,
the order of the Pareto routes and what an alternative may repeat."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest

import corridor
from corridor import Constraints, Query

MONDAY = datetime(2026, 11, 30)  # a Monday, 00:00 UTC
TINY = Path(__file__).parents[1] / "fixtures" / "tiny"


@pytest.fixture
def tiny_dir(tmp_path: Path) -> Path:
    return Path(shutil.copytree(TINY, tmp_path / "tiny"))


def test_a_departure_at_12_45_leaves_at_a_quarter_to_one(tiny_dir: Path) -> None:
    services = tiny_dir / "services.csv"
    services.write_text(services.read_text().replace("12:00", "12:45"))
    net = corridor.load_network(tiny_dir)
    query = Query(
        "BB_D",
        "CC_E",
        depart=MONDAY,
        criteria=("time",),
        constraints=Constraints(avoid_modes=["road"]),
        alternatives=0,
    )
    route = corridor.plan(net, query).routes[0]
    # the 2 h border dwell ends before the Monday sailing at 12:45; the crossing takes 20 h
    assert route.transit_hours == pytest.approx(12 + 45 / 60 + 20, abs=1e-9)
    assert route.arrive == datetime(2026, 12, 1, 8, 45, tzinfo=route.arrive.tzinfo)


def test_well_to_wheel_and_tank_to_wheel_follow_the_fixture_factors(tiny_dir: Path) -> None:
    net = corridor.load_network(tiny_dir)
    result = corridor.plan(net, Query("AA_A", "CC_E", depart=MONDAY, alternatives=0))
    tonnes = 2 * 10.0  # one 40' box at the fixture's 10 t per TEU
    # by hand from emission_factors.csv (g per tonne-km, g per tonne at hubs) and links.csv
    road = (700 * tonnes * 100 / 1000, 700 * tonnes * 80 / 1000)
    rail_km, ferry_km = 100 + 10 + 200, 300
    rail_ferry = (
        (rail_km * 20 + ferry_km * 120) * tonnes / 1000 + tonnes * (1000 + 1500) / 1000,
        (rail_km * 0 + ferry_km * 100) * tonnes / 1000 + tonnes * (800 + 1200) / 1000,
    )
    got = {(round(r.co2e_kg, 6), round(r.co2e_ttw_kg, 6)) for r in result.routes}
    assert got == {road, rail_ferry}
    for route in result.routes:
        assert route.co2e_ttw_kg == pytest.approx(sum(leg.co2e_ttw_kg for leg in route.legs))
        assert route.co2e_kg == pytest.approx(sum(leg.co2e_kg for leg in route.legs))


def with_a_way_back_into_aa(folder: Path) -> Path:
    """The tiny fixture plus node AA_G in AA, reachable only by road from CC_E."""
    with (folder / "nodes.csv").open("a") as nodes:
        nodes.write("AA_G,Golf Depot,,AA,terminal,40.0,66.0,test,false,\n")
    with (folder / "links.csv").open("a") as links:
        links.write("L7,CC_E,AA_G,road,,100,50,,true,diesel,3.0,0,,,,*,,test,false,\n")
    with (folder / "crossings.csv").open("a") as crossings:
        for direction in ("forward", "reverse"):
            crossings.write(
                f"CA_ROAD,Echo–Golf road,L7,{direction},general,1,2,false,0,test,false,\n"
            )
    return folder


def test_a_country_entered_twice_is_listed_twice(tiny_dir: Path) -> None:
    net = corridor.load_network(with_a_way_back_into_aa(tiny_dir))
    result = corridor.plan(net, Query("AA_A", "AA_G", depart=MONDAY, alternatives=0))
    by_corridor = {r.corridor: r.countries for r in result.routes}
    assert by_corridor[("AC_ROAD", "CA_ROAD")] == ("AA", "CC", "AA")


def test_avoided_places_and_countries_are_both_kept_out(eurasia: corridor.Network) -> None:
    def plan(**avoid: list[str]) -> corridor.PlanResult:
        query = Query("Xi'an", "Duisburg", depart=MONDAY, constraints=Constraints(**avoid))
        return corridor.plan(eurasia, query)

    baseline = plan(avoid_countries=["UA"])
    # a place inside a transit country that the fastest route passes through
    fastest = baseline.routes[0]
    inner = [n for n in fastest.nodes[1:-1] if eurasia.node(n).country not in ("CN", "DE")]
    assert inner
    avoided = inner[len(inner) // 2]
    both = plan(avoid=[avoided], avoid_countries=["UA"])
    assert both.routes
    for route in both.routes:
        assert avoided not in route.nodes
        assert "UA" not in route.countries


def test_pareto_routes_come_fastest_first_and_alternatives_are_new_corridors(
    eurasia: corridor.Network,
) -> None:
    for origin, destination in (("Xi'an", "Duisburg"), ("Almaty", "Warsaw"), ("Urumqi", "Poti")):
        query = Query(origin, destination, depart=MONDAY, alternatives=3)
        result = corridor.plan(eurasia, query)
        pareto = [r for r in result.routes if r.pareto]
        hours = [r.transit_hours for r in pareto]
        assert hours == sorted(hours), (origin, destination)
        shown = {r.corridor for r in pareto}
        alternatives = [r.corridor for r in result.routes if not r.pareto]
        assert not shown & set(alternatives), (origin, destination)
        assert len(set(alternatives)) == len(alternatives), (origin, destination)


def test_the_exact_answer_keeps_two_routes_half_an_hour_and_a_dollar_apart(
    tiny_dir: Path,
) -> None:
    # a second Alpha-Echo road, 0.5 h slower than L5 (14 h at 50 km/h) and USD 0.70 cheaper
    with (tiny_dir / "links.csv").open("a") as links:
        links.write("L8,AA_A,CC_E,road,,700,,14.5,true,diesel,2.999,0,,,,*,,test,false,\n")
    with (tiny_dir / "crossings.csv").open("a") as crossings:
        for direction in ("forward", "reverse"):
            crossings.write(
                f"AC_ROAD2,Alpha–Echo road 2,L8,{direction},general,8,48,false,100,test,false,\n"
            )
    net = corridor.load_network(tiny_dir)
    query = Query(
        "AA_A", "CC_E", depart=MONDAY, criteria=("time", "cost"), thin=False, alternatives=0
    )
    routes = {r.corridor: r for r in corridor.plan(net, query).routes}
    assert set(routes) >= {("AC_ROAD",), ("AC_ROAD2",)}
    fast, cheap = routes[("AC_ROAD",)], routes[("AC_ROAD2",)]
    assert cheap.transit_hours - fast.transit_hours == pytest.approx(0.5)
    assert fast.cost_usd - cheap.cost_usd == pytest.approx(0.7)


def test_a_routes_short_repr_gives_days_and_tonnes(tiny_dir: Path) -> None:
    net = corridor.load_network(tiny_dir)
    query = Query("AA_A", "CC_E", depart=MONDAY, criteria=("time",), alternatives=0)
    road = corridor.plan(net, query).routes[0]
    text = repr(road)
    # 14 h on the road plus 8 h at the border; 700 km x 20 t x 100 g/t-km = 1.4 t WTW
    assert "0.9 d" in text and "1.40 t CO2e" in text and "via AC_ROAD" in text
    assert len(text) < 200
