"""Every scenario change type, tested by its effect on planned routes and on the network's figures.

Each test writes its change as a scenario file (as a user would), applies it to the hand-built
network of `line_network`, and checks the days, dollars or capacities that follow, worked out by
hand from that network's figures (in the docstring of `line_network` and in each comment here).
The transforms' own formulas are never imported.

Baseline, one 40' box of general cargo leaving A1 on Monday 00:00 (week hour 0):
  A1→B2 by rail: R1 2 h + dwell AB 10 h + R2 1 h + R3 4 h = 17 h;
                 USD (100 + 50) + fee 100 + (40 + 30) + 200 = 520.
  B2→A1 by rail: R3 4 h + dwell AB reverse 6 h + R2 1 h + R1 2 h = 13 h.
  A1→B2 agri:    the agri row dwells 4 h: 2 + 4 + 1 + 4 = 11 h.
  A1→B2 by road: dwell 20 h + 12 h = 32 h, USD 1,800. By sea via Suez 100 h, USD 1,700.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from line_network import write_line_network

import corridor
from corridor.assignment import assign
from corridor.errors import NoRouteError, ScenarioError, UnknownPlaceError
from corridor.routing.odset import ODPair
from corridor.routing.planner import plan
from corridor.routing.query import Constraints, Query
from corridor.routing.result import Route
from corridor.scenarios import apply_scenario, load_scenario
from corridor.scenarios import transforms as tf

MONDAY = "2026-11-30"  # a Monday: week hour 0


@pytest.fixture(scope="module")
def line(tmp_path_factory: pytest.TempPathFactory) -> corridor.Network:
    return corridor.load_network(write_line_network(tmp_path_factory.mktemp("line") / "net"))


def changed(net: corridor.Network, folder: Path, toml: str) -> corridor.Network:
    """`net` with the scenario file `toml` applied, read as `corridor compare` reads it."""
    path = folder / "scenario.toml"
    path.write_text('name = "test"\n' + toml, encoding="utf-8")
    return apply_scenario(net, load_scenario(path, net))


def best(
    net: corridor.Network,
    origin: str = "A1",
    destination: str = "B2",
    criterion: str = "time",
    commodity: str = "general",
    depart: str = MONDAY,
    avoid_modes: tuple[str, ...] = (),
) -> Route:
    query = Query(
        origin,
        destination,
        depart=depart,
        commodity=commodity,
        criteria=(criterion,),
        constraints=Constraints(avoid_modes=avoid_modes),
        alternatives=0,
        thin=False,
    )
    return plan(net, query).routes[0]


def border_details(route: Route) -> list[str]:
    return [leg.detail for leg in route.legs if leg.kind == "border"]


def test_the_baseline_figures_are_the_hand_computed_ones(line: corridor.Network) -> None:
    rail = best(line)
    assert (rail.transit_hours, rail.cost_usd, rail.modes) == (17, 520, ("rail",))
    assert best(line, "B2", "A1").transit_hours == 13
    assert best(line, commodity="agri").transit_hours == 11
    assert best(line, avoid_modes=("rail",)).transit_hours == 32  # road
    assert best(line, avoid_modes=("rail", "road")).transit_hours == 100  # sea via Suez


# -- closures --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "toml",
    [
        '[[change]]\ntype = "close_link"\nlink = "R2"\n',
        '[[change]]\ntype = "close_node"\nnode = "A2"\n',
        '[[change]]\ntype = "close_crossing"\ncrossing = "AB"\n',
    ],
)
def test_closing_the_rail_corridor_sends_the_box_by_road(
    line: corridor.Network, tmp_path: Path, toml: str
) -> None:
    route = best(changed(line, tmp_path, toml))
    assert route.modes == ("road",) and route.corridor == ("AB_ROAD",)
    assert (route.transit_hours, route.cost_usd) == (20 + 12, 3.0 * 600)


def test_closing_the_border_leaves_only_the_sea(line: corridor.Network, tmp_path: Path) -> None:
    out = changed(line, tmp_path, '[[change]]\ntype = "close_border"\ncountries = ["AA", "BB"]\n')
    route = best(out)
    assert route.modes == ("sea",)
    assert (route.transit_hours, route.cost_usd) == (100, 0.5 * 3000 + 200)  # Suez
    assert best(out, "B2", "C1").transit_hours == 2 + 1  # BB–CC is another border


def test_closing_suez_as_well_sends_the_sea_leg_round_the_cape(
    line: corridor.Network, tmp_path: Path
) -> None:
    toml = (
        '[[change]]\ntype = "close_border"\ncountries = ["AA", "BB"]\n'
        '[[change]]\ntype = "close_passage"\npassage = "suez"\n'
    )
    route = best(changed(line, tmp_path, toml))
    assert (route.transit_hours, route.cost_usd) == (200, 0.5 * 5000 + 200)


def test_closing_a_country_reroutes_around_it_and_removes_its_places(
    line: corridor.Network, tmp_path: Path
) -> None:
    # A1→C1 by rail through BB: 17 + dwell BC 2 + R5 1 = 20 h; the road D2: dwell 8 + 18 = 26 h
    assert best(line, "A1", "C1").transit_hours == 20
    out = changed(line, tmp_path, '[[change]]\ntype = "close_country"\ncountry = "BB"\n')
    route = best(out, "A1", "C1")
    assert (route.transit_hours, route.cost_usd, route.corridor) == (26, 3.0 * 900, ("AC",))
    with pytest.raises(UnknownPlaceError):
        best(out, "A1", "B2")


def test_opening_a_line_under_construction_makes_it_routable(
    line: corridor.Network, tmp_path: Path
) -> None:
    # R4 (B1→B2 in 2 h instead of R3's 4 h) ships closed: the baseline ignores it
    assert "R4" not in {leg.ref for leg in best(line).legs}
    route = best(changed(line, tmp_path, '[[change]]\ntype = "open_link"\nlink = "R4"\n'))
    assert route.transit_hours == 2 + 10 + 1 + 2
    assert "R4" in {leg.ref for leg in route.legs}


# -- border dwell ----------------------------------------------------------------------------------


def test_scale_dwell_for_one_commodity_and_direction_leaves_the_rest_alone(
    line: corridor.Network, tmp_path: Path
) -> None:
    toml = (
        '[[change]]\ntype = "scale_dwell"\ncrossing = "AB"\nfactor = 3\n'
        'commodity = "agri"\ndirection = "forward"\n'
    )
    out = changed(line, tmp_path, toml)
    assert best(out, commodity="agri").transit_hours == 2 + 3 * 4 + 1 + 4
    assert best(out).transit_hours == 17  # general cargo: its own rows, untouched
    assert best(out, "B2", "A1", commodity="agri").transit_hours == 13  # reverse: untouched


def test_scale_dwell_without_filters_scales_every_class_both_ways(
    line: corridor.Network, tmp_path: Path
) -> None:
    out = changed(line, tmp_path, '[[change]]\ntype = "scale_dwell"\ncrossing = "AB"\nfactor = 2\n')
    assert best(out).transit_hours == 2 + 2 * 10 + 1 + 4
    assert best(out, "B2", "A1").transit_hours == 4 + 2 * 6 + 1 + 2
    assert best(out, commodity="agri").transit_hours == 2 + 2 * 4 + 1 + 4
    rows = {(c.direction, c.commodity_class): c for c in out.crossings if c.crossing_id == "AB"}
    assert rows["forward", "general"].dwell_p90_h == 2 * 20
    assert rows["reverse", "general"].dwell_p90_h == 2 * 12


def test_set_dwell_in_one_direction_changes_only_that_direction(
    line: corridor.Network, tmp_path: Path
) -> None:
    toml = '[[change]]\ntype = "set_dwell"\ncrossing = "AB"\nmedian_h = 3\ndirection = "reverse"\n'
    out = changed(line, tmp_path, toml)
    assert best(out, "B2", "A1").transit_hours == 4 + 3 + 1 + 2
    assert best(out).transit_hours == 17
    assert best(out, commodity="agri").transit_hours == 11
    rows = {(c.direction, c.commodity_class): c for c in out.crossings if c.crossing_id == "AB"}
    assert rows["reverse", "general"].dwell_p90_h == pytest.approx(12 * 3 / 6)  # keeps its ratio
    assert rows["forward", "general"].dwell_p90_h == 20


def test_set_dwell_green_lane_marks_only_that_commodity_and_direction(
    line: corridor.Network, tmp_path: Path
) -> None:
    toml = (
        '[[change]]\ntype = "set_dwell"\ncrossing = "AB"\nmedian_h = 1\ncommodity = "agri"\n'
        'direction = "forward"\ngreen_lane = true\n'
    )
    out = changed(line, tmp_path, toml)
    agri = best(out, commodity="agri")
    assert agri.transit_hours == 2 + 1 + 1 + 4
    assert border_details(agri) == ["border Crossing AB (AA→BB), green lane"]
    assert border_details(best(line, commodity="agri")) == ["border Crossing AB (AA→BB)"]
    assert border_details(best(out)) == ["border Crossing AB (AA→BB)"]  # general: no lane
    back = best(out, "B2", "A1", commodity="agri")
    assert border_details(back) == ["border Crossing AB (BB→AA)"]
    assert back.transit_hours == 13  # agri westbound still takes the general row's 6 h


def test_set_dwell_with_p90_and_fee_sets_both(line: corridor.Network, tmp_path: Path) -> None:
    toml = (
        '[[change]]\ntype = "set_dwell"\ncrossing = "AB"\nmedian_h = 10\np90_h = 50\n'
        'direction = "forward"\ncommodity = "general"\nfee_usd_per_feu = 500\n'
    )
    out = changed(line, tmp_path, toml)
    route = best(out)
    assert (route.transit_hours, route.cost_usd) == (17, 520 - 100 + 500)
    rows = {(c.direction, c.commodity_class): c for c in out.crossings if c.crossing_id == "AB"}
    assert (rows["forward", "general"].dwell_p90_h, rows["forward", "agri"].dwell_p90_h) == (50, 8)
    assert rows["reverse", "general"].fee_usd_per_feu == 100


# -- links -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("keys", "hours", "usd"),
    [
        ("distance_km = 300", 6, 300),  # the speed (50 km/h) stays: 300 km take 6 h
        ("distance_km = 300\nduration_h = 5", 5, 300),
        ("distance_km = 300\nspeed_kmh = 100", 3, 300),
        ("duration_h = 8", 8, 200),
        ("speed_kmh = 100", 2, 200),
        ("speed_factor = 2", 2, 200),
        ("tariff_usd_per_feu_km = 2.5", 4, 2.5 * 200),
        ("tariff_usd_per_feu = 80", 4, 200 + 80),
    ],
)
def test_change_link_moves_the_route_by_the_new_figures(
    line: corridor.Network, tmp_path: Path, keys: str, hours: float, usd: float
) -> None:
    # R3 was 200 km in 4 h at USD 1.0 per FEU-km; the rest of the route is 13 h and USD 320
    out = changed(line, tmp_path, f'[[change]]\ntype = "change_link"\nlink = "R3"\n{keys}\n')
    route = best(out)
    assert route.transit_hours == pytest.approx(13 + hours)
    assert route.cost_usd == pytest.approx(320 + usd)


def test_change_link_per_tonne_km_tariff_prices_bulk(
    line: corridor.Network, tmp_path: Path
) -> None:
    # crude: 1,000 t by default; 1,000 t x 400 km x USD 0.01 = USD 4,000
    assert best(line, commodity="crude", criterion="cost").cost_usd == pytest.approx(4000)
    toml = '[[change]]\ntype = "change_link"\nlink = "P"\ntariff_usd_per_t_km = 0.03\n'
    route = best(changed(line, tmp_path, toml), commodity="crude", criterion="cost")
    assert route.cost_usd == pytest.approx(1000 * 400 * 0.03)


def test_capacity_factor_scales_both_capacities(line: corridor.Network, tmp_path: Path) -> None:
    out = changed(
        line, tmp_path, '[[change]]\ntype = "change_link"\nlink = "R1"\ncapacity_factor = 3\n'
    )
    link = out.link("R1")
    assert (link.capacity_teu_per_week, link.capacity_t_per_week) == (300, 3000)


@pytest.mark.parametrize(
    ("toml", "teu"),
    [
        ("", 100),
        ('[[change]]\ntype = "change_link"\nlink = "R1"\ncapacity_factor = 3\n', 300),
        ('[[change]]\ntype = "change_link"\nlink = "R1"\ncapacity_teu_per_week = 120\n', 120),
    ],
)
def test_the_link_capacity_caps_what_the_assignment_sends_over_it(
    line: corridor.Network, tmp_path: Path, toml: str, teu: float
) -> None:
    # A1→A2: R1 is the cheap way; the detour by road, B2 and back west by rail costs far more
    out = changed(line, tmp_path, toml)
    result = assign(out, [ODPair("A1", "A2", teu_per_week=1000.0)], value_of_time=1.0)
    (r1,) = [f for f in result.links if f.facility_id == "R1" and f.direction == "A1→A2"]
    assert (r1.capacity_teu, r1.flow_teu) == (pytest.approx(teu), pytest.approx(teu))


def test_change_tariff_scales_the_per_km_and_the_fixed_tariff(
    line: corridor.Network, tmp_path: Path
) -> None:
    out = changed(
        line, tmp_path, '[[change]]\ntype = "change_tariff"\nfactor = 2\nlinks = ["R1"]\n'
    )
    assert best(out).cost_usd == 520 + (100 + 50)  # R1: USD 100 per 100 km + USD 50 per FEU


def test_change_tariff_scales_the_per_tonne_km_tariff(
    line: corridor.Network, tmp_path: Path
) -> None:
    out = changed(
        line, tmp_path, '[[change]]\ntype = "change_tariff"\nfactor = 1.5\nmodes = ["pipeline"]\n'
    )
    assert best(out, commodity="crude", criterion="cost").cost_usd == pytest.approx(1.5 * 4000)
    assert best(out).cost_usd == 520  # no rail link matched


def test_change_tariff_touches_only_links_matching_every_filter(
    line: corridor.Network, tmp_path: Path
) -> None:
    toml = '[[change]]\ntype = "change_tariff"\nfactor = 3\nmodes = ["rail"]\ncountries = ["BB"]\n'
    out = changed(line, tmp_path, toml)
    # R2 (AA–BB, USD 70) and R3 (BB, USD 200) triple; R1 (AA only) and the border fee do not
    assert best(out).cost_usd == 150 + 100 + 3 * 70 + 3 * 200
    assert best(out, avoid_modes=("rail",)).cost_usd == 1800  # road: not a rail link


def test_a_new_link_with_its_crossing_is_planned_with_its_figures(
    line: corridor.Network, tmp_path: Path
) -> None:
    toml = """
[[change]]
type = "add_link"
link_id = "NEW"
from_node = "A1"
to_node = "B1"
mode = "rail"
gauge_mm = 1435
distance_km = 60
speed_kmh = 30
energy_carrier = "electric"
tariff_usd_per_feu_km = 1.0
tariff_usd_per_feu = 10
crossing = { id = "AB_NEW", name = "New bridge", dwell_median_h = 1, fee_usd_per_feu = 5 }
"""
    route = best(changed(line, tmp_path, toml))
    assert route.corridor == ("AB_NEW",)
    # dwell 1 h, 60 km at 30 km/h, then R3's 4 h; USD 60 x 1.0 + 10, fee 5, R3 200
    assert (route.transit_hours, route.cost_usd) == (1 + 2 + 4, 60 + 10 + 5 + 200)


# -- services --------------------------------------------------------------------------------------


def test_a_new_service_makes_the_box_wait_for_its_departure_one_way_only(
    line: corridor.Network, tmp_path: Path
) -> None:
    toml = (
        '[[change]]\ntype = "add_service"\nservice_id = "WED"\nlink = "R3"\n'
        'direction = "forward"\nweekdays = ["Wed"]\ndeparture_utc = "00:00"\n'
    )
    out = changed(line, tmp_path, toml)
    # at B1 on Monday 13:00, the train leaves Wednesday 00:00 (week hour 48), arrives 52
    assert best(out, avoid_modes=("road", "sea")).transit_hours == 48 + 4
    assert best(out, "B2", "A1").transit_hours == 13  # westbound runs without a timetable


SEA_ONLY = ("rail", "road")


@pytest.fixture(scope="module")
def sailing(tmp_path_factory: pytest.TempPathFactory) -> corridor.Network:
    """The network with one weekly sailing on the Suez lane: Monday 12:00 (week hour 12)."""
    folder = tmp_path_factory.mktemp("sailing") / "net"
    row = {"service_id": "MON", "link_id": "SEA_S", "direction": "both", "kind": "weekly",
           "weekdays": "Mon", "departure_utc": "12:00"}  # fmt: skip
    return corridor.load_network(write_line_network(folder, [row]))


TUESDAY = "2026-12-01"  # week hour 24


@pytest.mark.parametrize(
    ("keys", "departs"),
    [
        ("", 168 + 12),  # unchanged: the next Monday noon
        ("frequency_factor = 2", 12 + 84),  # a second sailing half a week later: Friday 00:00
        ("frequency_factor = 3", 12 + 56),  # every 56 h: Wednesday 20:00
        ("headway_h = 24\noffset_h = 6", 24 + 6),
        ('weekdays = ["Wed", "Sat"]\ndeparture_utc = "08:30"', 48 + 8.5),
    ],
)
def test_change_service_moves_the_next_sailing(
    sailing: corridor.Network, tmp_path: Path, keys: str, departs: float
) -> None:
    toml = f'[[change]]\ntype = "change_service"\nservice = "MON"\n{keys}\n'
    out = changed(sailing, tmp_path, toml) if keys else sailing
    route = best(out, depart=TUESDAY, avoid_modes=SEA_ONLY)
    # Suez: wait from Tuesday 00:00 (week hour 24), then 100 h; the Cape lane sails any time, 200 h
    assert route.transit_hours == pytest.approx(min(departs - 24 + 100, 200))


def test_doubling_an_uneven_timetable_puts_a_sailing_midway_in_each_gap(
    sailing: corridor.Network, tmp_path: Path
) -> None:
    toml = (
        '[[change]]\ntype = "change_service"\nservice = "MON"\nweekdays = ["Mon", "Tue"]\n'
        'departure_utc = "12:00"\n'
        '[[change]]\ntype = "change_service"\nservice = "MON"\nfrequency_factor = 2\n'
    )
    out = changed(sailing, tmp_path, toml)
    # sailings at week hours 12 and 36; doubled: 24 (midway) and 108 (midway to next Monday 180)
    route = best(out, depart="2026-12-01T13:00", avoid_modes=SEA_ONLY)  # week hour 37
    assert route.transit_hours == pytest.approx(108 - 37 + 100)


@pytest.mark.parametrize(
    ("departures", "factor", "expected"),
    [
        ((10.0, 50.0), 2, (10.0, 30.0, 50.0, 114.0)),
        ((0.0, 84.0), 3, (0.0, 28.0, 56.0, 84.0, 112.0, 140.0)),
        ((160.0,), 2, (76.0, 160.0)),
        ((0.0, 42.0, 84.0, 126.0), 0.5, (0.0, 84.0)),
        ((1.0, 2.0, 3.0), 1 / 3, (1.0,)),
    ],
)
def test_scale_frequency_by_hand(
    departures: tuple[float, ...], factor: float, expected: tuple[float, ...]
) -> None:
    assert tf.scale_frequency(departures, factor) == pytest.approx(expected)


def test_halving_the_frequency_keeps_every_second_sailing(
    sailing: corridor.Network, tmp_path: Path
) -> None:
    toml = (
        '[[change]]\ntype = "change_service"\nservice = "MON"\nheadway_h = 84\n'  # 0 and 84
        '[[change]]\ntype = "change_service"\nservice = "MON"\nfrequency_factor = 0.5\n'
    )
    (service,) = changed(sailing, tmp_path, toml).services
    assert service.departures_h == (0.0,)


def test_closing_every_way_out_leaves_no_route_and_no_link_to_change(
    line: corridor.Network, tmp_path: Path
) -> None:
    out = changed(
        line, tmp_path, '[[change]]\ntype = "close_link"\nlink = ["R1", "D1", "SEA_S", "SEA_C"]\n'
    )
    with pytest.raises(NoRouteError):
        best(out)
    with pytest.raises(ScenarioError, match="unknown link"):
        tf.change_link(out, "R1", duration_h=1)
