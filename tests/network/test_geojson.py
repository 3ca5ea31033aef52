"""GeoJSON of planned routes: every move leg drawn along its link's polyline, in travel order."""

from __future__ import annotations

from datetime import UTC, datetime

import corridor
from corridor.network.geojson import routes_geojson
from corridor.routing.query import Query

DEPART = datetime(2026, 3, 2, tzinfo=UTC)


def test_route_lines_follow_their_links_polylines_in_the_direction_travelled(
    eurasia: corridor.Network,
) -> None:
    for origin, destination in (("Shanghai", "Rotterdam"), ("Rotterdam", "Almaty")):
        result = corridor.plan(eurasia, Query(origin, destination, depart=DEPART))
        collection = routes_geojson(eurasia, result)["features"]
        features = [f for f in collection if f["properties"]["feature"] == "route"]
        assert len(features) == len(result.routes)
        for route, feature in zip(result.routes, features, strict=True):
            line = [tuple(p) for p in feature["geometry"]["coordinates"]]
            start, end = eurasia.node(route.nodes[0]), eurasia.node(route.nodes[-1])
            assert line[0] == (start.lon, start.lat) and line[-1] == (end.lon, end.lat)
            position = 0
            for leg in route.legs:
                if leg.kind != "move":
                    continue
                shape = eurasia.geometry.get(leg.ref)
                if shape is None:
                    continue
                points = list(shape.coords)
                if leg.from_node != eurasia.link(leg.ref).from_node:
                    points.reverse()
                # the leg's polyline appears whole, after the previous leg's, in its travel order
                here = line.index(points[1], position)
                assert line[here - 1 : here - 1 + len(points)] == points
                position = here + len(points) - 2
            assert len(line) > len(route.nodes)


def test_leg_features_are_drawn_along_their_own_link_or_straight_between_their_nodes(
    eurasia: corridor.Network,
) -> None:
    result = corridor.plan(eurasia, Query("Xi'an", "Duisburg", depart=DEPART))
    legs = [
        f
        for f in routes_geojson(eurasia, result)["features"]
        if f["properties"]["feature"] == "leg"
    ]
    assert len(legs) == sum(len(route.legs) for route in result.routes)
    drawn = [leg for route in result.routes for leg in route.legs]
    for leg, feature in zip(drawn, legs, strict=True):
        line = [tuple(p) for p in feature["geometry"]["coordinates"]]
        a, b = eurasia.node(leg.from_node), eurasia.node(leg.to_node)
        shape = eurasia.geometry.get(leg.ref) if leg.kind == "move" else None
        if shape is None:
            assert line == [(a.lon, a.lat), (b.lon, b.lat)]
            continue
        points = list(shape.coords)
        if leg.from_node != eurasia.link(leg.ref).from_node:
            points.reverse()
        assert line == points
        assert line[0] == (a.lon, a.lat) and line[-1] == (b.lon, b.lat)
