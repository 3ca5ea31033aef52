"""Utilization map: the network's links coloured by how full the assignment leaves them."""

from __future__ import annotations

from pathlib import Path

from corridor.assignment.result import AssignmentResult
from corridor.network.geometry import link_path
from corridor.network.model import Network
from corridor.plots.canvas import check_plot_path, new_figure, save_figure


def plot_utilization(network: Network, result: AssignmentResult, path: str | Path) -> Path:
    """Draw every link along its polyline; loaded links coloured by utilization, width by flow.

    A link's utilization is its fuller direction's flow over the tightest capacity on it (link,
    service or crossing). Links without a capacity but with flow are drawn grey by flow.
    """
    target = check_plot_path(path)
    from matplotlib import colormaps
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize

    figure, ax = new_figure(11.0, 5.5)
    flow: dict[str, float] = {}
    use: dict[str, float] = {}
    for f in result.links:
        flow[f.facility_id] = max(flow.get(f.facility_id, 0.0), f.flow_teu)
        if f.utilization is not None:
            use[f.facility_id] = max(use.get(f.facility_id, 0.0), f.utilization)
    biggest = max(flow.values(), default=1.0) or 1.0
    cmap = colormaps["RdYlGn_r"]
    norm = Normalize(0.0, 1.0)
    for link in network.links:
        line = link_path(network, link)
        xs, ys = [p[0] for p in line], [p[1] for p in line]
        colour: object
        style = ":" if link.mode == "sea" else "-"
        teu = flow.get(link.link_id, 0.0)
        if link.mode == "sea" and teu <= 0:
            continue  # idle deep-sea lanes would only cross the map
        if link.link_id in use:
            colour, width = cmap(norm(min(use[link.link_id], 1.0))), 1.2 + 5.0 * teu / biggest
        elif teu > 0:
            colour, width = "0.45", 1.0 + 5.0 * teu / biggest
        else:
            colour, width = "0.85", 0.6
        ax.plot(xs, ys, style, color=colour, linewidth=width, solid_capstyle="round", zorder=2)
    lons = [n.lon for n in network.nodes]
    lats = [n.lat for n in network.nodes]
    ax.scatter(lons, lats, s=6, color="0.2", zorder=3)
    full_terminals = [f for f in result.constraints if f.kind == "terminal" and f.binding]
    for f in result.bottlenecks:
        node = _node_of(network, f.kind, f.facility_id, f.name)
        if node is None:
            continue
        n = network.node(node)
        ax.annotate(
            f"{f.name} ({f.kind}, USD {f.shadow_price_usd:,.0f}/TEU)",
            (n.lon, n.lat),
            xytext=(4, 6),
            textcoords="offset points",
            fontsize=7,
            zorder=4,
        )
    for f in full_terminals:
        node = f.facility_id.split(":")[0]
        n = network.node(node)
        ax.scatter([n.lon], [n.lat], s=60, facecolor="none", edgecolor="red", zorder=4)
    figure.colorbar(
        ScalarMappable(norm=norm, cmap=cmap),
        ax=ax,
        shrink=0.8,
        label="utilization (flow / capacity)",
    )
    ax.set_xlabel("longitude")
    ax.set_ylabel("latitude")
    ax.set_title(
        f"Weekly assignment: {result.served_teu:,.0f} of {result.demand_teu:,.0f} TEU served "
        f"· grey = no capacity declared · width = flow ({result.network})",
        fontsize=9,
    )
    return save_figure(figure, target)


def _node_of(network: Network, kind: str, facility_id: str, name: str) -> str | None:
    """The node to label a bottleneck at."""
    if kind == "terminal":
        return facility_id.split(":")[0]
    link_id = name if kind == "link" else None
    if kind == "service":
        service = facility_id.split("+")[0]
        link_id = next((s.link_id for s in network.services if s.service_id == service), None)
    if kind == "crossing":
        link_id = next((c.link_id for c in network.crossings if c.crossing_id == facility_id), None)
    if link_id is None or link_id not in network.link_index:
        return None
    return network.link(link_id).from_node
