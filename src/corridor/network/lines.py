"""The line a leg of a route follows on the map: the one place route geometry is made.

A move leg follows its link's polyline (`corridor.network.geometry`), oriented from `from_node`
to `to_node`; any other leg, or a link without a polyline, is the straight segment between its
nodes' coordinates. Every map, GeoJSON and GeoDataFrame takes its lines from here.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from corridor.network.model import Network

Point = tuple[float, float]  # (lon, lat), degrees


def leg_line(network: Network, from_node: str, to_node: str, ref: str = "") -> list[Point]:
    """Coordinates (lon, lat) from `from_node` to `to_node`; `ref` names the link when known.

    >>> import corridor
    >>> net = corridor.load_network()
    >>> leg_line(net, "KZ_KUR", "AZ_ALT")
    [(51.66, 43.17), (49.4, 39.96)]
    """
    from corridor.network.geometry import link_path

    if ref in network.link_index:
        link = network.link(ref)
        if {from_node, to_node} == {link.from_node, link.to_node}:
            return link_path(network, link, reverse=from_node == link.to_node)
    a, b = network.node(from_node), network.node(to_node)
    return [(a.lon, a.lat), (b.lon, b.lat)]


def path_line(network: Network, nodes: Sequence[str]) -> list[Point]:
    """The line through a route's nodes, each step drawn by `leg_line`, repeated points dropped."""
    points: list[Point] = []
    if len(nodes) == 1:
        return leg_line(network, nodes[0], nodes[0])
    for a, b in pairwise(nodes):
        for p in leg_line(network, a, b):
            if not points or points[-1] != p:
                points.append(p)
    return points
