"""Link geometry: encoded polylines, the geometry files' located errors, validate's warnings, and
the bundled sea lanes drawn where ships sail (round Arabia or the Cape, not across Eurasia)."""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import corridor
from corridor.errors import NetworkValidationError, Problem
from corridor.network.geometry import (
    decode_polyline,
    encode_polyline,
    geometry_warnings,
    link_path,
)

BASEMAP = (
    Path(__file__).resolve().parents[2]
    / "src"
    / "corridor"
    / "web"
    / "static"
    / "basemap"
    / "countries.geojson"
)
SUEZ = (32.55, 30.0)
BAB_EL_MANDEB = (43.4, 12.6)


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """The test's own great circle (spherical Earth, mean radius)."""
    (lon1, lat1), (lon2, lat2) = np.radians(a), np.radians(b)
    h = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    return float(2 * 6371.0 * np.arcsin(np.sqrt(h)))


def problems_of(folder: Path) -> list[Problem]:
    with pytest.raises(NetworkValidationError) as info:
        corridor.load_network(folder)
    return list(info.value.problems)


def write_geometry(folder: Path, name: str, rows: list[str]) -> None:
    text = "link_id,method,source,polyline,note\n" + "".join(r + "\n" for r in rows)
    (folder / name).write_text(text, encoding="utf-8")


# -- encoded polylines --------------------------------------------------------------------------


def test_encoding_matches_googles_published_example() -> None:
    # the worked example of Google's "Encoded Polyline Algorithm Format" page
    points = [(-120.2, 38.5), (-120.95, 40.7), (-126.453, 43.252)]
    assert encode_polyline(points) == "_p~iF~ps|U_ulLnnqC_mqNvxq`@"
    assert decode_polyline("_p~iF~ps|U_ulLnnqC_mqNvxq`@") == tuple(points)


coordinate = st.tuples(
    st.floats(-180, 180, allow_nan=False).map(lambda x: round(x, 5)),
    st.floats(-90, 90, allow_nan=False).map(lambda x: round(x, 5)),
)


@given(st.lists(coordinate, min_size=2, max_size=30))
def test_decoding_an_encoded_polyline_gives_back_its_points(
    points: list[tuple[float, float]],
) -> None:
    decoded = decode_polyline(encode_polyline(points))
    assert len(decoded) == len(points)
    for (lon, lat), (lon2, lat2) in zip(points, decoded, strict=True):
        assert abs(lon - lon2) < 1e-9 and abs(lat - lat2) < 1e-9


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("_p~iF~ps|U", "at least two points"),
        ("_p~iF~ps|U_ulL", "ends in the middle"),
        ("_p~iF ~ps|U_ulLnnqC", "not allowed"),
        (encode_polyline([(10.0, 95.0), (11.0, 50.0)]), "within -90..90"),
    ],
)
def test_a_bad_polyline_says_what_was_expected(cell: str, expected: str) -> None:
    with pytest.raises(ValueError, match=expected):
        decode_polyline(cell)


# -- the loader ------------------------------------------------------------------------------


def test_a_package_without_geometry_loads_and_draws_straight_lines(tiny_copy: Path) -> None:
    net = corridor.load_network(tiny_copy)
    assert net.geometry == {}
    link = net.link("L1")
    a, b = net.node("AA_A"), net.node("AA_B")
    assert link_path(net, link) == [(a.lon, a.lat), (b.lon, b.lat)]
    assert link_path(net, link, reverse=True) == [(b.lon, b.lat), (a.lon, a.lat)]


def test_geometry_rows_load_in_link_direction(tiny_copy: Path) -> None:
    line = [(60.0, 40.0), (60.5, 40.2), (61.0, 40.0)]
    write_geometry(tiny_copy, "geometry.csv", [f"L1,waypoints,test,{encode_polyline(line)},via"])
    net = corridor.load_network(tiny_copy)
    assert net.geometry["L1"].coords == tuple(line)
    assert link_path(net, net.link("L1"), reverse=True) == line[::-1]
    expected = haversine_km(line[0], line[1]) + haversine_km(line[1], line[2])
    assert net.geometry["L1"].length_km == pytest.approx(expected, rel=1e-3)


def test_geometry_problems_are_located_by_file_row_and_column(tiny_copy: Path) -> None:
    good = encode_polyline([(60.0, 40.0), (61.0, 40.0)])
    write_geometry(
        tiny_copy,
        "geometry.csv",
        [
            f"NOPE,dataset,test,{good},",  # row 2: unknown link
            "L2,dataset,test,_p~iF ~ps|U,",  # row 3: not a polyline
            f"L3,dataset,nobody,{good},",  # row 4: undeclared source
            f"L4,sketch,test,{good},",  # row 5: unknown method
            f"L5,dataset,test,{good},",  # row 6: fine here ...
        ],
    )
    write_geometry(tiny_copy, "geometry_osm.csv", [f"L5,dataset,test,{good},"])  # ... twice
    found = {(p.file, p.row, p.column) for p in problems_of(tiny_copy)}
    assert ("geometry.csv", 2, "link_id") in found
    assert ("geometry.csv", 3, "polyline") in found
    assert ("geometry.csv", 4, "source") in found
    assert ("geometry.csv", 5, "method") in found
    assert ("geometry_osm.csv", 2, "link_id") in found
    assert len(found) == 5


# -- validate's warnings ---------------------------------------------------------------------


def test_a_link_shorter_than_the_great_circle_warns(tiny_copy: Path) -> None:
    net = corridor.load_network(tiny_copy)
    short = []
    for link in net.links:
        a, b = net.node(link.from_node), net.node(link.to_node)
        if link.distance_km < 0.99 * haversine_km((a.lon, a.lat), (b.lon, b.lat)):
            short.append(link.link_id)
    assert short == ["L2"]  # 10 km between nodes one degree of longitude apart at 40°N
    warned = [w for w in geometry_warnings(net) if "shorter than the great circle" in w.message]
    assert [w.message.split()[1] for w in warned] == short


@pytest.mark.parametrize(("bend", "warns"), [(0.25, False), (0.6, True)])
def test_a_stated_distance_far_from_the_geometry_warns(
    tiny_copy: Path, bend: float, warns: bool
) -> None:
    line = [(60.0, 40.0), (60.5, 40.0 + bend), (61.0, 40.0)]
    length = haversine_km(line[0], line[1]) + haversine_km(line[1], line[2])
    assert (abs(100 - length) > 0.15 * length) is warns  # L1 states 100 km
    write_geometry(tiny_copy, "geometry.csv", [f"L1,waypoints,test,{encode_polyline(line)},"])
    warnings = geometry_warnings(corridor.load_network(tiny_copy))
    mismatch = [w for w in warnings if "L1" in w.message and "differs" in w.message]
    assert bool(mismatch) is warns


def test_a_polyline_that_no_longer_ends_at_its_node_warns(tiny_copy: Path) -> None:
    line = [(60.0, 40.0), (61.0, 41.0)]  # AA_B is at 61E 40N: 111 km away
    write_geometry(tiny_copy, "geometry.csv", [f"L1,waypoints,test,{encode_polyline(line)},"])
    warnings = geometry_warnings(corridor.load_network(tiny_copy))
    assert any("AA_B" in w.message and "re-run" in w.message for w in warnings)


# -- the bundled sea lanes -------------------------------------------------------------------


def sea_lanes(net: corridor.Network, passage: str) -> list[list[tuple[float, float]]]:
    return [link_path(net, lk) for lk in net.links if lk.mode == "sea" and passage in lk.passages]


def near(path: list[tuple[float, float]], point: tuple[float, float], km: float) -> bool:
    return min(haversine_km(p, point) for p in path) < km


def test_suez_lanes_follow_the_red_sea_and_pass_both_straits(eurasia: corridor.Network) -> None:
    lanes = sea_lanes(eurasia, "suez")
    assert lanes
    for path in lanes:
        assert len(path) > 10
        assert near(path, SUEZ, 60) and near(path, BAB_EL_MANDEB, 60)
        if path[-1][0] < 30:  # to north-west Europe: no point north of 35N over Arabia or Iran
            assert all(lat < 35 for lon, lat in path if 30 <= lon <= 60)


def test_cape_lanes_round_africa_and_avoid_suez(eurasia: corridor.Network) -> None:
    lanes = sea_lanes(eurasia, "cape")
    assert lanes
    for path in lanes:
        assert len(path) > 10
        assert min(lat for _, lat in path) < -30
        assert not near(path, SUEZ, 300)


def _rings() -> list[tuple[np.ndarray, list[np.ndarray]]]:
    basemap = json.loads(BASEMAP.read_text(encoding="utf-8"))
    out = []
    for feature in basemap["features"]:
        for polygon in feature["geometry"]["coordinates"]:
            out.append((np.array(polygon[0]), [np.array(h) for h in polygon[1:]]))
    return out


def _inside(ring: np.ndarray, x: float, y: float) -> bool:
    xs, ys = ring[:, 0], ring[:, 1]
    x2, y2 = np.roll(xs, -1), np.roll(ys, -1)
    with np.errstate(divide="ignore", invalid="ignore"):
        crossing = ((ys > y) != (y2 > y)) & (x < (x2 - xs) * (y - ys) / (y2 - ys) + xs)
    return bool(crossing.sum() % 2)


# ports up a river, where a lane's last stretch is river on the basemap (km from the port):
# Hamburg on the Elbe (about 110 km to the sea), Antwerp on the Scheldt, Astrakhan and Olya
# in the Volga delta, St Petersburg at the head of the Neva bay
RIVER_REACH_KM = {"DE_HAM": 120, "BE_ANR": 90, "RU_AST": 110, "RU_OLY": 70, "RU_SPB": 40}


def test_sea_and_ferry_lanes_lie_over_water(eurasia: corridor.Network) -> None:
    """Sampled every half degree, at most 3% of a lane's points (canals) fall on Natural Earth's
    land, away from the ends (30 km, or a river port's reach); a straight line
    Shanghai-Rotterdam has more than 80%."""
    rings = _rings()
    boxes = [(r[:, 0].min(), r[:, 0].max(), r[:, 1].min(), r[:, 1].max()) for r, _ in rings]

    def on_land(x: float, y: float) -> bool:
        for (outer, holes), (x0, x1, y0, y1) in zip(rings, boxes, strict=True):
            inside = x0 <= x <= x1 and y0 <= y <= y1 and _inside(outer, x, y)
            if inside and not any(_inside(h, x, y) for h in holes):
                return True
        return False

    def land_share(path: list[tuple[float, float]], reach: tuple[float, float]) -> float:
        samples = []
        for (x1, y1), (x2, y2) in itertools.pairwise(path):
            n = max(1, math.ceil(max(abs(x2 - x1), abs(y2 - y1)) / 0.5))
            samples += [(x1 + (x2 - x1) * i / n, y1 + (y2 - y1) * i / n) for i in range(n)]
        away = [
            p
            for p in samples
            if haversine_km(p, path[0]) > reach[0] and haversine_km(p, path[-1]) > reach[1]
        ]
        return sum(on_land(*p) for p in away) / max(len(away), 1)

    a, b = eurasia.node("CN_SHA"), eurasia.node("NL_RTM")
    assert land_share([(a.lon, a.lat), (b.lon, b.lat)], (30, 30)) > 0.8  # the check can fail
    for link in eurasia.links:
        if link.mode in ("sea", "ferry"):
            assert link.link_id in eurasia.geometry, link.link_id
            reach = (RIVER_REACH_KM.get(link.from_node, 30), RIVER_REACH_KM.get(link.to_node, 30))
            assert land_share(link_path(eurasia, link), reach) <= 0.03, link.link_id
