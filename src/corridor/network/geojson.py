"""GeoJSON views of a network and of planned routes, drawn along the links' shipped polylines
(a straight line between the end nodes where a link has none)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from corridor.network.geometry import link_path

if TYPE_CHECKING:
    from corridor.network.model import Network
    from corridor.network.records import Link
    from corridor.routing.result import Leg, PlanResult, Route


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
    return _route_line(network, route, _LinkLines(network))


class _LinkLines:
    """Each link's polyline as [lon, lat] lists, made once per answer and shared by features.

    Routes of one answer share most of their links, and every leg is drawn twice (in its route
    and as a feature of its own): converting each polyline once is most of the GeoJSON's cost.
    """

    def __init__(self, network: Network) -> None:
        self._network = network
        self._lines: dict[tuple[str, bool], list[list[float]]] = {}

    def __call__(self, link: Link, reverse: bool) -> list[list[float]]:
        key = (link.link_id, reverse)
        line = self._lines.get(key)
        if line is None:
            path = link_path(self._network, link, reverse=reverse)
            line = self._lines[key] = [[lon, lat] for lon, lat in path]
        return line

    def leg(self, leg: Leg) -> list[list[float]]:
        """As `corridor.network.lines.leg_line`: the link's line, else the straight one."""
        network = self._network
        if leg.ref in network.link_index:
            link = network.link(leg.ref)
            if {leg.from_node, leg.to_node} == {link.from_node, link.to_node}:
                return self(link, leg.from_node == link.to_node)
        a, b = network.node(leg.from_node), network.node(leg.to_node)
        return [[a.lon, a.lat], [b.lon, b.lat]]


def _route_line(network: Network, route: Route, lines: _LinkLines) -> list[list[float]]:
    if not route.nodes:
        return []
    first = network.node(route.nodes[0])
    last = [first.lon, first.lat]
    points = [last]
    links = network.link_index
    for leg in route.legs:
        if leg.kind != "move" or leg.ref not in links:
            continue
        link = network.link(leg.ref)
        reverse = leg.from_node == link.to_node and leg.from_node != link.from_node
        for point in lines(link, reverse):
            if point != last:
                points.append(point)
                last = point
    return points


def routes_geojson(network: Network, result: PlanResult) -> dict[str, Any]:
    """Routes, then their legs, as LineString features with flat (scalar) properties.

    Route features come first, in the result's order (`feature` "route", `rank`); lists are
    joined (`corridor` with " > ", `countries` with "-", `modes` with "+", `nodes` with ";").
    Each leg is a feature of its own (`feature` "leg", `rank` of its route, `leg` from 1), so a
    GeoPackage or shapefile keeps every figure as a column. Lines come from
    `corridor.network.lines`.
    """
    lines = _LinkLines(network)  # polylines shared by every feature of this answer
    features = []
    for rank, route in enumerate(result.routes, start=1):
        props = route.to_dict(legs=False)
        joined = {"corridor": " > ", "countries": "-", "modes": "+", "nodes": ";"}
        for key, sep in joined.items():
            props[key] = sep.join(props[key])
        features.append(
            _line(
                {"feature": "route", "rank": rank, **props},
                _route_line(network, route, lines),
            )
        )
    for rank, route in enumerate(result.routes, start=1):
        for i, leg in enumerate(route.legs, start=1):
            properties = {"feature": "leg", "rank": rank, "leg": i, **leg.to_dict()}
            features.append(_line(properties, lines.leg(leg)))
    bare = replace(result, routes=(), understood=None)  # the header without its routes
    header = {k: v for k, v in bare.to_dict().items() if k != "routes"}
    return {"type": "FeatureCollection", "properties": header, "features": features}


def _line(properties: dict[str, Any], points: list[list[float]]) -> dict[str, Any]:
    # the points are shared with other features of the answer: read them, never change them
    return {
        "type": "Feature",
        "geometry": {"type": "LineString", "coordinates": points},
        "properties": properties,
    }
