"""GeoJSON views of a network and of planned routes, drawn along the links' shipped polylines
(a straight line between the end nodes where a link has none)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from corridor.network.geometry import link_path

if TYPE_CHECKING:
    from corridor.network.model import Network
    from corridor.routing.result import PlanResult, Route


def network_geojson(network: Network) -> dict[str, Any]:
    """Nodes as points and links as lines, with their table attributes as properties."""
    features: list[dict[str, Any]] = []
    for node in network.nodes:
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [node.lon, node.lat]},
                "properties": {
                    "kind": "node",
                    "id": node.node_id,
                    "name": node.name,
                    "country": node.country,
                    "node_kind": node.kind,
                    "estimate": node.provenance.estimate,
                },
            }
        )
    crossing_of = {c.link_id: c.crossing_id for c in network.crossings}
    for link in network.links:
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "LineString",
                    "coordinates": [list(p) for p in link_path(network, link)],
                },
                "properties": {
                    "kind": "link",
                    "id": link.link_id,
                    "from": link.from_node,
                    "to": link.to_node,
                    "mode": link.mode,
                    "gauge_mm": link.gauge_mm,
                    "distance_km": link.distance_km,
                    "duration_h": round(link.duration_h, 2),
                    "bidirectional": link.bidirectional,
                    "crossing": crossing_of.get(link.link_id),
                    "passages": list(link.passages),
                    "estimate": link.provenance.estimate,
                    "path": _path_source(network, link.link_id),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _path_source(network: Network, link_id: str) -> str:
    """What the drawn line is: `straight`, or the polyline's method and sources."""
    shape = network.geometry.get(link_id)
    if shape is None:
        return "straight"
    return f"{shape.method}:{';'.join(shape.sources)}"


def route_coordinates(network: Network, route: Route) -> list[list[float]]:
    """The route's line: each move leg along its link's polyline, in the direction travelled."""
    if not route.nodes:
        return []
    first = network.node(route.nodes[0])
    last: tuple[float, float] = (first.lon, first.lat)
    points = [last]
    links = network.link_index
    for leg in route.legs:
        if leg.kind != "move" or leg.ref not in links:
            continue
        link = network.link(leg.ref)
        reverse = leg.from_node == link.to_node and leg.from_node != link.from_node
        for point in link_path(network, link, reverse=reverse):
            if point != last:
                points.append(point)
                last = point
    return [[lon, lat] for lon, lat in points]


def routes_geojson(network: Network, result: PlanResult) -> dict[str, Any]:
    """Routes, then their legs, as LineString features with flat (scalar) properties.

    Route features come first, in the result's order (`feature` "route", `rank`); lists are
    joined (`corridor` with " > ", `countries` with "-", `modes` with "+", `nodes` with ";").
    Each leg is a feature of its own (`feature` "leg", `rank` of its route, `leg` from 1), so a
    GeoPackage or shapefile keeps every figure as a column. Lines come from
    `corridor.network.lines`.
    """
    from corridor.network.lines import leg_line

    features = []
    for rank, route in enumerate(result.routes, start=1):
        props = route.to_dict(legs=False)
        joined = {"corridor": " > ", "countries": "-", "modes": "+", "nodes": ";"}
        for key, sep in joined.items():
            props[key] = sep.join(props[key])
        features.append(
            _line(
                {"feature": "route", "rank": rank, **props},
                route_coordinates(network, route),
            )
        )
    for rank, route in enumerate(result.routes, start=1):
        for i, leg in enumerate(route.legs, start=1):
            line = leg_line(network, leg.from_node, leg.to_node, leg.ref)
            features.append(
                _line({"feature": "leg", "rank": rank, "leg": i, **leg.to_dict()}, line)
            )
    bare = replace(result, routes=(), understood=None)  # the header without its routes
    header = {k: v for k, v in bare.to_dict().items() if k != "routes"}
    return {"type": "FeatureCollection", "properties": header, "features": features}


def _line(properties: dict[str, Any], points: Sequence[Sequence[float]]) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {"type": "LineString", "coordinates": [list(p) for p in points]},
        "properties": properties,
    }
