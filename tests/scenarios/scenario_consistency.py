"""An independent check that a derived network is consistent, mirroring the loader's rules."""

from __future__ import annotations

from corridor.network.model import Network


def problems(net: Network) -> list[str]:
    """Every broken reference in `net`, as text (empty when consistent)."""
    out: list[str] = []
    nodes = {n.node_id: n for n in net.nodes}
    links = {lk.link_id: lk for lk in net.links}
    layers: dict[str, set[str]] = {}
    for lk in net.links:
        for end in (lk.from_node, lk.to_node):
            if end not in nodes:
                out.append(f"link {lk.link_id} ends at missing node {end}")
            layers.setdefault(end, set()).add(lk.layer)
    for n in net.nodes:
        if n.node_id not in layers:
            out.append(f"node {n.node_id} has no link")
    for s in net.services:
        if s.link_id not in links:
            out.append(f"service {s.service_id} on missing link {s.link_id}")
        elif s.direction != "forward" and not links[s.link_id].bidirectional:
            out.append(f"service {s.service_id} runs against one-way {s.link_id}")
        if not s.departures_h or not all(0 <= t < 168 for t in s.departures_h):
            out.append(f"service {s.service_id} departures outside the week")
    general = {(c.link_id, c.direction) for c in net.crossings if c.commodity_class == "general"}
    for c in net.crossings:
        if c.link_id not in links:
            out.append(f"crossing {c.crossing_id} on missing link {c.link_id}")
        if (c.link_id, c.direction) not in general:
            out.append(f"crossing {c.crossing_id} {c.direction} lacks a general row")
        if c.dwell_p90_h < c.dwell_median_h:
            out.append(f"crossing {c.crossing_id} P90 below median")
    for lk in net.links:
        a, b = nodes.get(lk.from_node), nodes.get(lk.to_node)
        if a and b and a.country != b.country and lk.mode not in ("sea", "pipeline"):
            directions = ("forward", "reverse") if lk.bidirectional else ("forward",)
            for d in directions:
                if (lk.link_id, d) not in general:
                    out.append(f"link {lk.link_id} crosses a border ({d}) with no crossing row")
    for t in net.transfers:
        if not {t.from_layer, t.to_layer} <= layers.get(t.node_id, set()):
            out.append(f"transfer at {t.node_id} between missing layers")
    return out
