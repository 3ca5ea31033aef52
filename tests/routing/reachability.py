"""An independent no-route oracle: reachability over (node, layer) states with networkx.

Built from the network's records (links, transfers, commodities), not from the planner's
expanded graph: a link joins its ends on its layer (`rail_<gauge>` or its mode), both ways when
bidirectional; a transfer joins two layers of one node, both ways. Timetables, dwell and
capacities never cut a path (a service runs every week), so "no route" must mean unreachable.
"""

from __future__ import annotations

import networkx as nx

import corridor
from corridor.network.records import Link


def _layer(link: Link) -> str:
    return f"rail_{link.gauge_mm}" if link.mode == "rail" else link.mode


def reachable(net: corridor.Network, origin: str, destination: str, commodity: str) -> bool:
    """Whether some chain of open links and transfers usable by `commodity` joins the nodes."""
    modes = set(net.commodity(commodity).modes)
    g = nx.DiGraph()
    for link in net.links:
        if link.mode not in modes or link.status != "open":
            continue
        if "*" not in link.commodities and commodity not in link.commodities:
            continue
        a, b = (link.from_node, _layer(link)), (link.to_node, _layer(link))
        g.add_edge(a, b)
        if link.bidirectional:
            g.add_edge(b, a)
    for t in net.transfers:
        a, b = (t.node_id, t.from_layer), (t.node_id, t.to_layer)
        g.add_edge(a, b)
        g.add_edge(b, a)
    targets = {v for v in g if v[0] == destination}
    return any(targets & (nx.descendants(g, v) | {v}) for v in g if v[0] == origin)
