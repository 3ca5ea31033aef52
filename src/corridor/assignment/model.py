"""The assignment LP: commodity-indexed flows on the expanded graph, one commodity per OD pair.

Columns, per OD pair k: x[k,e] TEU/week on each edge e that k's commodity may use; s[k,v] injected
at each vertex of the origin node; t[k,w] absorbed at each vertex of the destination node; u[k]
unserved. Rows: flow conservation at every vertex for every k (out - in - s + t = 0), the demand
row (sum s + u = d_k), and one capacity row per capacitated facility (sum over k of x on its
edges <= capacity). Minimizing sum c·x + penalty·u is the minimum generalized-cost assignment.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from corridor.assignment.costs import EdgeCosts, edge_costs
from corridor.network.expanded import MOVE, TRANSFER
from corridor.network.model import Network
from corridor.routing.odset import ODPair

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class CapacityRow:
    """One capacity constraint: a facility, the expanded-graph edges it counts, its TEU/week."""

    kind: str  # "link", "crossing", "service" or "terminal"
    facility_id: str
    name: str
    direction: str  # "A→B" for a link direction, "both" for a terminal
    edges: IntArray
    capacity: float


@dataclass(frozen=True, eq=False)
class ODBlock:
    """Where one OD pair's columns sit in the LP."""

    pair: ODPair
    edges: IntArray  # graph edge index of each x column
    x: slice
    origin_vertices: IntArray
    s: slice
    destination_vertices: IntArray
    t: slice
    u: int
    costs: EdgeCosts


@dataclass(frozen=True, eq=False)
class AssignmentLP:
    """The LP in scipy's form: minimize c·z s.t. a_eq z = b_eq, a_ub z <= b_ub, z >= 0."""

    c: FloatArray
    a_eq: sp.csr_array
    b_eq: FloatArray
    a_ub: sp.csr_array
    b_ub: FloatArray
    blocks: tuple[ODBlock, ...]
    capacities: tuple[CapacityRow, ...]


def _direction_label(network: Network, link: int, reverse: bool) -> str:
    lk = network.links[link]
    a, b = (lk.to_node, lk.from_node) if reverse else (lk.from_node, lk.to_node)
    return f"{a}→{b}"


def _services_name(network: Network, link: int, reverse: bool) -> str:
    a, b = _direction_label(network, link, reverse).split("→")
    return f"{network.node(a).name}–{network.node(b).name} sailings"


def capacity_rows(network: Network) -> tuple[CapacityRow, ...]:
    """Every capacity the network declares, as constraints on expanded-graph edges.

    Link capacities hold per direction and cap the MOVE edge of that direction; when the direction
    crosses a border, the row is named for the crossing. A link direction's services cap it with the
    sum of their capacities when every service on it declares one. A terminal (transfer row) caps
    the TRANSFER edges of both directions together. Bulk capacities (tonnes) are not used.
    """
    g = network.graph
    rows: list[CapacityRow] = []
    move = np.flatnonzero(g.kind == MOVE)
    move_of = {(int(g.ref[e]), bool(g.reverse[e])): int(e) for e in move}
    crossing_of = {(d.link, d.reverse): d for d in g.crossing_directions}
    for (li, rev), e in sorted(move_of.items()):
        link = network.links[li]
        if link.capacity_teu_per_week is None:
            continue
        label = _direction_label(network, li, rev)
        crossing = crossing_of.get((li, rev))
        if crossing is not None:
            a, b = (network.node(n).country for n in label.split("→"))
            rows.append(
                CapacityRow(
                    "crossing",
                    crossing.crossing_id,
                    crossing.name,
                    f"{a}→{b}",
                    np.array([e]),
                    link.capacity_teu_per_week,
                )
            )
        else:
            rows.append(
                CapacityRow(
                    "link",
                    link.link_id,
                    link.link_id,
                    label,
                    np.array([e]),
                    link.capacity_teu_per_week,
                )
            )
    services: dict[tuple[int, bool], list[tuple[str, float | None]]] = {}
    for service in network.services:
        li = network.link_index[service.link_id]
        revs = {"forward": (False,), "reverse": (True,), "both": (False, True)}[service.direction]
        for rev in revs:
            services.setdefault((li, rev), []).append(
                (service.service_id, service.capacity_teu_per_week)
            )
    for (li, rev), entries in sorted(services.items()):
        caps = [cap for _, cap in entries]
        if any(cap is None for cap in caps) or (li, rev) not in move_of:
            continue
        rows.append(
            CapacityRow(
                "service",
                "+".join(sid for sid, _ in entries),
                _services_name(network, li, rev),
                _direction_label(network, li, rev),
                np.array([move_of[(li, rev)]]),
                float(sum(cap for cap in caps if cap is not None)),
            )
        )
    transfer_edges = np.flatnonzero(g.kind == TRANSFER)
    for ti, transfer in enumerate(network.transfers):
        if transfer.capacity_teu_per_week is None:
            continue
        edges = transfer_edges[g.ref[transfer_edges] == ti]
        rows.append(
            CapacityRow(
                "terminal",
                f"{transfer.node_id}:{transfer.from_layer}-{transfer.to_layer}",
                f"{network.node(transfer.node_id).name} {transfer.kind.replace('_', ' ')}",
                "both",
                edges,
                transfer.capacity_teu_per_week,
            )
        )
    return tuple(rows)


def build_lp(
    network: Network,
    demand: Sequence[ODPair],
    *,
    value_of_time: float,
    unserved_penalty: float,
    capacities: Sequence[CapacityRow] | None = None,
) -> AssignmentLP:
    """Assemble the LP for `demand` (TEU/week per pair) on `network`."""
    g = network.graph
    n_vertices = g.n_vertices
    caps = tuple(capacity_rows(network) if capacities is None else capacities)
    cost_cache: dict[tuple[str, str], EdgeCosts] = {}
    blocks: list[ODBlock] = []
    c_parts: list[FloatArray] = []
    eq_rows: list[IntArray] = []
    eq_cols: list[IntArray] = []
    eq_vals: list[FloatArray] = []
    b_eq: list[FloatArray] = []
    col = 0
    row = 0
    for pair in demand:
        key = (pair.commodity, network.node(pair.destination).country)
        if key not in cost_cache:
            cost_cache[key] = edge_costs(network, pair.commodity, value_of_time, key[1])
        costs = cost_cache[key]
        edges = np.flatnonzero(costs.allowed).astype(np.int64)
        origin = np.array(g.vertices_of_node[network.node_index[pair.origin]], dtype=np.int64)
        dest = np.array(g.vertices_of_node[network.node_index[pair.destination]], dtype=np.int64)
        n_x, n_s, n_t = len(edges), len(origin), len(dest)
        x = slice(col, col + n_x)
        s = slice(x.stop, x.stop + n_s)
        t = slice(s.stop, s.stop + n_t)
        u = t.stop
        x_cols = np.arange(x.start, x.stop)
        # conservation rows row..row+n_vertices-1: +1 at the tail, -1 at the head of each edge
        eq_rows += [row + g.src[edges].astype(np.int64), row + g.dst[edges].astype(np.int64)]
        eq_cols += [x_cols, x_cols]
        eq_vals += [np.ones(n_x), -np.ones(n_x)]
        eq_rows += [row + origin, row + dest]
        eq_cols += [np.arange(s.start, s.stop), np.arange(t.start, t.stop)]
        eq_vals += [-np.ones(n_s), np.ones(n_t)]
        demand_row = row + n_vertices
        eq_rows.append(np.full(n_s + 1, demand_row))
        eq_cols.append(np.append(np.arange(s.start, s.stop), u))
        eq_vals.append(np.ones(n_s + 1))
        b_block = np.zeros(n_vertices + 1)
        b_block[-1] = float(pair.teu_per_week or 0.0)
        b_eq.append(b_block)
        c_parts += [costs.generalized[edges], np.zeros(n_s + n_t), np.array([unserved_penalty])]
        blocks.append(ODBlock(pair, edges, x, origin, s, dest, t, u, costs))
        col = u + 1
        row = demand_row + 1
    n_cols = col
    a_eq = sp.csr_array(
        (np.concatenate(eq_vals), (np.concatenate(eq_rows), np.concatenate(eq_cols))),
        shape=(row, n_cols),
    )
    ub_rows: list[IntArray] = []
    ub_cols: list[IntArray] = []
    for r, cap in enumerate(caps):
        for block in blocks:
            hit = np.flatnonzero(np.isin(block.edges, cap.edges))
            ub_rows.append(np.full(len(hit), r))
            ub_cols.append(block.x.start + hit)
    ub_r = np.concatenate(ub_rows) if ub_rows else np.zeros(0, dtype=np.int64)
    ub_c = np.concatenate(ub_cols) if ub_cols else np.zeros(0, dtype=np.int64)
    a_ub = sp.csr_array((np.ones(len(ub_r)), (ub_r, ub_c)), shape=(len(caps), n_cols))
    return AssignmentLP(
        c=np.concatenate(c_parts) if c_parts else np.zeros(0),
        a_eq=a_eq,
        b_eq=np.concatenate(b_eq) if b_eq else np.zeros(0),
        a_ub=a_ub,
        b_ub=np.array([cap.capacity for cap in caps], dtype=np.float64),
        blocks=tuple(blocks),
        capacities=caps,
    )
