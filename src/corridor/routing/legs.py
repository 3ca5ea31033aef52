"""Turning an engine path (edge ids and times) into a `Route` of human-readable legs."""

from __future__ import annotations

from datetime import datetime

import numpy as np

from corridor.network.expanded import BORDER, MOVE
from corridor.network.model import Network
from corridor.network.records import TRAIN_CHANGE
from corridor.routing.clock import to_datetime
from corridor.routing.pareto import LabelPath
from corridor.routing.result import Leg, Route
from corridor.routing.weights import EdgeWeights, Shipment

_WAIT_SLACK = 1e-6


def corridor_of(network: Network, edges: tuple[int, ...]) -> tuple[str, ...]:
    """Border crossings and sea passages (`passage:NAME`) in order of passage."""
    g = network.graph
    out: list[str] = []
    for edge in edges:
        kind = int(g.kind[edge])
        if kind == BORDER:
            out.append(g.crossing_directions[int(g.crossdir[edge])].crossing_id)
        elif kind == MOVE:
            out += [f"passage:{p}" for p in network.links[int(g.ref[edge])].passages]
    return tuple(out)


def countries_of(network: Network, edges: tuple[int, ...]) -> tuple[str, ...]:
    """Countries in order of passage (ISO2), from the nodes the path moves through."""
    g = network.graph
    out: list[str] = []
    for edge in (edges[0], *edges) if edges else ():
        node = int(g.src_node[edge]) if not out else int(g.dst_node[edge])
        country = network.nodes[node].country
        if not out or out[-1] != country:
            out.append(country)
    return tuple(out)


def route_from_path(
    network: Network, weights: EdgeWeights, shipment: Shipment, path: LabelPath, pareto: bool
) -> Route:
    g = network.graph
    cls = int(g.commodity_class[network.commodity_index[shipment.commodity]])
    legs: list[Leg] = []
    origin = network.nodes[int(g.vertex_node[g.src[path.edges[0]]])].node_id
    nodes = [origin]
    # per-edge figures read once for the whole path: numpy scalar indexing per leg is slow
    index = np.asarray(path.edges, dtype=np.int64)
    kinds, refs = g.kind[index].tolist(), g.ref[index].tolist()
    reverse, crossdir = g.reverse[index].tolist(), g.crossdir[index].tolist()
    figures = dict(
        zip(
            path.edges,
            zip(
                weights.cost_usd[index].tolist(),
                weights.co2e_kg[index].tolist(),
                weights.co2e_ttw_kg[index].tolist(),
                strict=True,
            ),
            strict=True,
        )
    )
    moments: dict[float, datetime] = {}  # a leg arrives when the next departs: convert once

    def moment(hours: float) -> datetime:
        found = moments.get(hours)
        if found is None:
            found = moments[hours] = to_datetime(hours)
        return found

    def leg(
        kind: str,
        a: str,
        b: str,
        mode: str,
        t0: float,
        t1: float,
        edge: int | None,
        detail: str,
        ref: str,
        distance: float = 0.0,
    ) -> None:
        cost, co2e, ttw = figures[edge] if edge is not None else (0.0, 0.0, 0.0)
        legs.append(
            Leg(kind, a, b, mode, moment(t0), moment(t1), t1 - t0, distance, cost, co2e, ttw,  # type: ignore[arg-type]
                detail, ref)
        )  # fmt: skip

    for edge, kind, ref, backwards, direction, ready, depart, arrive in zip(
        path.edges, kinds, refs, reverse, crossdir, path.ready, path.depart, path.arrive,
        strict=True,
    ):  # fmt: skip
        if kind == MOVE:
            link = network.links[ref]
            a, b = (link.to_node, link.from_node) if backwards else (link.from_node, link.to_node)
            if depart > ready + _WAIT_SLACK:
                services = g.schedule_services[int(g.schedule[edge])]
                leg(
                    "wait",
                    a,
                    a,
                    link.mode,
                    ready,
                    depart,
                    None,
                    f"waiting for the next departure ({', '.join(services)})",
                    services[0],
                )
            gauge = f" {link.gauge_mm} mm" if link.gauge_mm else ""
            via = f" via {', '.join(link.passages)}" if link.passages else ""
            leg(
                "move",
                a,
                b,
                link.mode,
                depart,
                arrive,
                edge,
                f"{link.mode}{gauge}: {network.node(a).name} → {network.node(b).name}{via}",
                link.link_id,
                link.distance_km,
            )
            nodes.append(b)
        elif kind == BORDER:
            d = g.crossing_directions[direction]
            link = network.links[d.link]
            a, b = (link.to_node, link.from_node) if d.reverse else (link.from_node, link.to_node)
            green = (
                weights.green_lane[edge]
                if weights.green_lane is not None
                else g.green_lane[direction, cls]
            )
            lane = ", green lane" if green else ""
            leg(
                "border",
                a,
                b,
                link.mode,
                depart,
                arrive,
                edge,
                f"border {d.name} ({network.node(a).country}→{network.node(b).country}){lane}",
                d.crossing_id,
            )
        else:
            transfer = network.transfers[ref]
            into = g.vertex_layer[int(g.dst[edge])]
            out_of = g.vertex_layer[int(g.src[edge])]
            place = network.node(transfer.node_id).name
            if transfer.kind == TRAIN_CHANGE:
                detail = f"train change at {place} ({into})"
            else:
                what = "gauge change" if transfer.kind == "gauge_change" else "transshipment"
                detail = f"{what} {out_of} → {into} at {place}"
            if not backwards and weights.hours[edge] > transfer.duration_h:
                detail += ", waiting for a connecting train (no through train to the destination)"
            leg(
                "transfer",
                transfer.node_id,
                transfer.node_id,
                into,
                depart,
                arrive,
                edge,
                detail,
                f"{transfer.node_id}:{out_of}>{into}",
            )

    modes = list(dict.fromkeys(lg.mode for lg in legs if lg.kind == "move"))
    return Route(
        pareto=pareto,
        corridor=corridor_of(network, path.edges),
        depart=moment(path.start),
        arrive=moment(path.arrival),
        transit_hours=path.arrival - path.start,
        cost_usd=path.cost,
        co2e_kg=path.co2e,
        co2e_ttw_kg=sum(lg.co2e_ttw_kg for lg in legs),
        distance_km=sum(lg.distance_km for lg in legs),
        transfers=path.transfers,
        countries=countries_of(network, path.edges),
        modes=tuple(modes),
        nodes=tuple(nodes),
        legs=tuple(legs),
        commodity=shipment.commodity,
    )
