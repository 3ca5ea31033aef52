"""A route's legs and countries as `route_from_path` writes them, worked out by hand from the
tiny fixture's rows (tests/fixtures/tiny), and the countries of routes on random networks against
the country column of the generated node rows.

The tiny fixture: AA_A -L1 rail 1435, 100 km at 50 km/h- AA_B -L2 rail 1435, 1 h- BB_C (border
AB_RAIL forward: general 30 h, agri 5 h green lane) -L3 rail 1520- BB_D -L4 ferry, 20 h, FERRY_DE
Mon and Thu 12:00 (border BC_FERRY 2 h)- CC_E; L5 road AA_A-CC_E; L6 a crude pipeline AA_A->BB_D
with no crossing rows.
"""

from __future__ import annotations

import csv
import dataclasses
import shutil
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from random_networks import Spec, brute_force, specs, write_package

import corridor
from corridor import Constraints, Query
from corridor.errors import NoRouteError
from corridor.routing.clock import EPOCH
from corridor.routing.legs import route_from_path
from corridor.routing.pareto import pareto_paths, prepare
from corridor.routing.weights import Exclusions, edge_weights, shipment_of

MONDAY = datetime(2026, 11, 30)  # a Monday, 00:00 UTC
TINY = Path(__file__).parents[1] / "fixtures" / "tiny"
NO_ROAD = Constraints(avoid_modes=["road"])


@pytest.fixture
def tiny_dir(tmp_path: Path) -> Path:
    return Path(shutil.copytree(TINY, tmp_path / "tiny"))


def legs_of(route: corridor.Route) -> list[tuple[str, str, str, float, str]]:
    return [(lg.kind, lg.from_node, lg.to_node, round(lg.hours, 9), lg.ref) for lg in route.legs]


def only_route(net: corridor.Network, query: Query) -> corridor.Route:
    routes = corridor.plan(net, query).routes
    assert len(routes) == 1
    return routes[0]


def by_ferry(net: corridor.Network, depart: datetime) -> corridor.Route:
    return only_route(net, Query("BB_D", "CC_E", depart=depart, constraints=NO_ROAD))


def test_a_wait_for_the_ferry_is_a_leg_named_after_the_first_service_of_its_link(
    tiny_dir: Path,
) -> None:
    # a second service on the same link, listed after FERRY_DE; Monday's sailing is FERRY_DE's
    with (tiny_dir / "services.csv").open("a") as services:
        services.write("FERRY_SUN,L4,both,weekly,Sun,12:00,,,Other Line,test,false,\n")
    route = by_ferry(corridor.load_network(tiny_dir), MONDAY)
    # 2 h at the border, then from 02:00 to the 12:00 sailing, then 20 h at sea
    assert legs_of(route) == [
        ("border", "BB_D", "CC_E", 2.0, "BC_FERRY"),
        ("wait", "BB_D", "BB_D", 10.0, "FERRY_DE"),
        ("move", "BB_D", "CC_E", 20.0, "L4"),
    ]
    wait = route.legs[1]
    assert wait.detail == "waiting for the next departure (FERRY_DE, FERRY_SUN)"
    assert (wait.depart, wait.arrive) == (
        (MONDAY + timedelta(hours=2)).replace(tzinfo=wait.depart.tzinfo),
        (MONDAY + timedelta(hours=12)).replace(tzinfo=wait.depart.tzinfo),
    )
    assert wait.cost_usd == wait.co2e_kg == wait.co2e_ttw_kg == wait.distance_km == 0.0
    assert route.legs[2].detail == "ferry: Delta Port → Echo Harbour"


def test_a_half_hour_wait_is_a_leg_of_its_own(tiny_dir: Path) -> None:
    # leaving at 09:30, the border dwell ends at 11:30: half an hour before the sailing
    route = by_ferry(corridor.load_network(tiny_dir), MONDAY + timedelta(hours=9.5))
    assert legs_of(route) == [
        ("border", "BB_D", "CC_E", 2.0, "BC_FERRY"),
        ("wait", "BB_D", "BB_D", 0.5, "FERRY_DE"),
        ("move", "BB_D", "CC_E", 20.0, "L4"),
    ]


def test_moves_without_a_timetable_have_no_wait_and_rail_legs_name_their_gauge(
    tiny_dir: Path,
) -> None:
    route = only_route(corridor.load_network(tiny_dir), Query("AA_A", "BB_C", depart=MONDAY))
    assert legs_of(route) == [
        ("move", "AA_A", "AA_B", 2.0, "L1"),  # 100 km at 50 km/h
        ("border", "AA_B", "BB_C", 30.0, "AB_RAIL"),
        ("move", "AA_B", "BB_C", 1.0, "L2"),
    ]
    assert route.legs[0].detail == "rail 1435 mm: Alpha Terminal → Bravo Border"
    assert route.legs[1].detail == "border Bravo–Charlie (AA→BB)"
    assert (route.nodes, route.countries) == (("AA_A", "AA_B", "BB_C"), ("AA", "BB"))


def test_a_road_leg_names_no_gauge(tiny_dir: Path) -> None:
    query = Query("AA_A", "CC_E", depart=MONDAY, constraints=Constraints(avoid_modes=["rail"]))
    road = only_route(corridor.load_network(tiny_dir), query)
    assert [lg.detail for lg in road.legs if lg.kind == "move"] == [
        "road: Alpha Terminal → Echo Harbour"
    ]


def test_a_route_whose_first_move_crosses_a_border_lists_both_countries(tiny_dir: Path) -> None:
    # the crude pipeline L6 runs from AA into BB with no border leg before it
    query = Query("AA_A", "BB_D", depart=MONDAY, commodity="crude")
    route = only_route(corridor.load_network(tiny_dir), query)
    assert [lg.kind for lg in route.legs] == ["move"]
    assert (route.nodes, route.countries) == (("AA_A", "BB_D"), ("AA", "BB"))


def with_green_import_row(folder: Path) -> corridor.Network:
    """The fixture with a `traffic` column: AB_RAIL forward general, for cargo bound for BB
    (`import`), is cleared through a green lane; the other rows stay `any`."""
    path = folder / "crossings.csv"
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    at = rows[0].index("commodity_class") + 1
    out = [[*r[:at], "traffic" if i == 0 else "any", *r[at:]] for i, r in enumerate(rows)]
    row = ["AB_RAIL", "Bravo–Charlie", "L2", "forward", "general", "import", "30", "90"]
    out.append([*row, "true", "200", "test", "false", "green for cargo bound for BB"])
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(out)
    return corridor.load_network(folder)


def test_a_border_leg_shows_the_green_lane_of_the_row_for_its_cargo(tiny_dir: Path) -> None:
    net = with_green_import_row(tiny_dir)

    def border(destination: str, commodity: str) -> str:
        query = Query("AA_A", destination, depart=MONDAY, commodity=commodity, constraints=NO_ROAD)
        (leg,) = [lg for lg in only_route(net, query).legs if lg.ref == "AB_RAIL"]
        return leg.detail

    plain, green = "border Bravo–Charlie (AA→BB)", "border Bravo–Charlie (AA→BB), green lane"
    assert border("BB_C", "general") == green  # the import row
    assert border("CC_E", "general") == plain  # transit: the `any` row, no green lane
    assert border("CC_E", "agri") == green  # the agri row, green for all traffic


def test_a_path_whose_times_fall_short_of_its_edges_is_refused(tiny_dir: Path) -> None:
    net = corridor.load_network(tiny_dir)
    g = net.graph
    shipment = shipment_of(net, "general", corridor.Cargo())
    weights = edge_weights(net, shipment, Exclusions())
    sources = g.vertices_of_node[net.node_index["AA_A"]]
    targets = g.vertices_of_node[net.node_index["BB_C"]]
    (path,) = pareto_paths(prepare(g, weights), sources, targets, 0.0, [0], None)
    assert len(path.edges) == 3
    assert len(route_from_path(net, weights, shipment, path, pareto=True).legs) == 3
    short = dataclasses.replace(path, arrive=path.arrive[:-1])
    with pytest.raises(ValueError, match="zip"):
        route_from_path(net, weights, shipment, short, pareto=True)


def deduplicated(countries: list[str]) -> tuple[str, ...]:
    out: list[str] = []
    for country in countries:
        if not out or out[-1] != country:
            out.append(country)
    return tuple(out)


queries = st.fixed_dictionaries(
    {
        "start": st.integers(0, 167),
        "commodity": st.sampled_from(("general", "agri", "crude")),
        "od": st.tuples(st.integers(0, 5), st.integers(0, 5)),
    }
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=specs(), q=queries)
def test_a_routes_countries_are_those_of_its_places_in_order_each_stay_once(
    spec: Spec, q: dict[str, Any]
) -> None:
    n = len(spec.nodes)
    a = q["od"][0] % n
    b = (a + 1 + q["od"][1] % (n - 1)) % n
    country = {row["node_id"]: row["country"] for row in spec.nodes}
    with tempfile.TemporaryDirectory() as tmp:
        net = corridor.load_network(write_package(spec, Path(tmp) / "net"))
    depart = EPOCH + timedelta(hours=q["start"])
    try:
        result = corridor.plan(net, Query(f"N{a}", f"N{b}", depart, commodity=q["commodity"]))
    except NoRouteError:
        assert not brute_force(spec, f"N{a}", f"N{b}", q["commodity"], q["start"])
        return
    for route in result.routes:
        moves = [lg for lg in route.legs if lg.kind == "move"]
        assert route.nodes == (f"N{a}", *(lg.to_node for lg in moves))
        assert route.countries == deduplicated([country[node] for node in route.nodes])
