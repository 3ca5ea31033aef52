"""The line a leg of a route follows on the map: the one place route geometry is made.

Today a leg is the straight segment between its nodes' coordinates. When the network carries
a polyline per link, this function returns it (oriented from `from_node` to `to_node`) and every
map, GeoJSON and GeoDataFrame follows.
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
