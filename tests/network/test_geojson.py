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
