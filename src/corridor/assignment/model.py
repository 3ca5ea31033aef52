"""The assignment LP: multi-commodity flows on the expanded graph, one commodity per source.

OD pairs that share an origin and a commodity share a commodity of the LP (a source block):
costs depend only on the commodity and capacities count every flow, so one flow from the origin
to all of its destinations has the same optimum as one flow per OD pair, with far fewer columns
(3,000 OD rows on the bundled network: about 170 blocks instead of 3,000). Flow decomposition
(`corridor.assignment.paths`) splits a block's flow into paths ending at each destination.

Columns, per block k: x[k,e] TEU/week on each edge e that k's commodity may use; s[k,v] injected
at each vertex of the origin node; per destination d, t[k,d,w] absorbed at each vertex of d's
node and u[k,d] unserved. Rows: flow conservation at every vertex for every k
(out - in - s + sum_d t = 0), one demand row per destination (sum t[k,d] + u[k,d] = demand),
and one capacity row per capacitated facility (sum over k of x on its edges <= capacity).
Minimizing sum c·x + penalty·u is the minimum generalized-cost assignment. The matrices are
assembled once, as coordinate triplets, into scipy sparse arrays.
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
class Sink:
    """One destination of a source block: its vertices, their t columns, its unserved column."""

    destination: str
    vertices: IntArray
    t: slice
    u: int
    demand: float
    pairs: tuple[int, ...]  # indices into the demand of the OD rows it serves


@dataclass(frozen=True, eq=False)
class SourceBlock:
    """Where one (origin, commodity) block's columns sit in the LP."""

    origin: str
    commodity: str
    edges: IntArray  # graph edge index of each x column
    x: slice
    origin_vertices: IntArray
    s: slice
    sinks: tuple[Sink, ...]
    costs: EdgeCosts


@dataclass(frozen=True, eq=False)
class AssignmentLP:
    """The LP in scipy's form: minimize c·z s.t. a_eq z = b_eq, a_ub z <= b_ub, z >= 0."""

    c: FloatArray
    a_eq: sp.csr_array
    b_eq: FloatArray
    a_ub: sp.csr_array
    b_ub: FloatArray
    blocks: tuple[SourceBlock, ...]
    capacities: tuple[CapacityRow, ...]
    demand: tuple[ODPair, ...]


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
        cap = link.capacity_teu(rev)
        if cap is None:
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
                    cap,
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
                    cap,
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


def group_demand(
    network: Network, demand: Sequence[ODPair]
) -> dict[tuple[str, str, str], dict[str, list[int]]]:
    """OD row indices by (origin, commodity, destination country), then by destination, in
    first-seen order: rows in one group share one block of flow variables."""
    groups: dict[tuple[str, str, str], dict[str, list[int]]] = {}
    for k, pair in enumerate(demand):
        key = (pair.origin, pair.commodity, network.node(pair.destination).country)
        groups.setdefault(key, {}).setdefault(pair.destination, []).append(k)
    return groups


class _Triplets:
    """Coordinate triplets of a sparse matrix, gathered as arrays and assembled once."""

    def __init__(self) -> None:
        self.rows: list[IntArray] = []
        self.cols: list[IntArray] = []
        self.vals: list[FloatArray] = []

    def add(self, rows: IntArray, cols: IntArray, value: float) -> None:
        self.rows.append(rows)
        self.cols.append(cols)
        self.vals.append(np.full(len(rows), value))

    def matrix(self, shape: tuple[int, int]) -> sp.csr_array:
        if not self.rows:
            return sp.csr_array(shape)
        data = (np.concatenate(self.vals), (np.concatenate(self.rows), np.concatenate(self.cols)))
        return sp.coo_array(data, shape=shape).tocsr()


def build_lp(
    network: Network,
    demand: Sequence[ODPair],
    *,
    value_of_time: float,
    unserved_penalty: float,
    capacities: Sequence[CapacityRow] | None = None,
) -> AssignmentLP:
    """Assemble the LP for `demand` (TEU/week per pair) on `network`, one block per source."""
    g = network.graph
    n_vertices = g.n_vertices
    caps = tuple(capacity_rows(network) if capacities is None else capacities)
    cost_cache: dict[tuple[str, str], EdgeCosts] = {}
    blocks: list[SourceBlock] = []
    c_parts: list[FloatArray] = []
    b_eq: list[FloatArray] = []
    eq = _Triplets()
    col = 0
    row = 0

    def vertices(node: str) -> IntArray:
        return np.array(g.vertices_of_node[network.node_index[node]], dtype=np.int64)

    for (origin, commodity, country), by_destination in group_demand(network, demand).items():
        # crossings into the destination's country take their import rows: one cost per country
        if (commodity, country) not in cost_cache:
            cost_cache[commodity, country] = edge_costs(network, commodity, value_of_time, country)
        costs = cost_cache[commodity, country]
        edges = np.flatnonzero(costs.allowed).astype(np.int64)
        source = vertices(origin)
        x = slice(col, col + len(edges))
        s = slice(x.stop, x.stop + len(source))
        x_cols = np.arange(x.start, x.stop)
        # conservation rows row..row+n_vertices-1: +1 at the tail, -1 at the head of each edge
        eq.add(row + g.src[edges].astype(np.int64), x_cols, 1.0)
        eq.add(row + g.dst[edges].astype(np.int64), x_cols, -1.0)
        eq.add(row + source, np.arange(s.start, s.stop), -1.0)
        c_parts += [costs.generalized[edges], np.zeros(len(source))]
        col, demand_row = s.stop, row + n_vertices
        sinks: list[Sink] = []
        for destination, rows in by_destination.items():
            sink = vertices(destination)
            t = slice(col, col + len(sink))
            t_cols = np.arange(t.start, t.stop)
            eq.add(row + sink, t_cols, 1.0)
            eq.add(np.full(len(sink) + 1, demand_row), np.append(t_cols, t.stop), 1.0)
            amount = float(sum(demand[k].teu_per_week or 0.0 for k in rows))
            sinks.append(Sink(destination, sink, t, t.stop, amount, tuple(rows)))
            c_parts += [np.zeros(len(sink)), np.array([unserved_penalty])]
            col, demand_row = t.stop + 1, demand_row + 1
        b_block = np.zeros(demand_row - row)
        b_block[n_vertices:] = [sk.demand for sk in sinks]
        b_eq.append(b_block)
        blocks.append(SourceBlock(origin, commodity, edges, x, source, s, tuple(sinks), costs))
        row = demand_row
    a_eq = eq.matrix((row, col))
    return AssignmentLP(
        c=np.concatenate(c_parts) if c_parts else np.zeros(0),
        a_eq=a_eq,
        b_eq=np.concatenate(b_eq) if b_eq else np.zeros(0),
        a_ub=_capacity_matrix(g.n_edges, caps, blocks, col),
        b_ub=np.array([cap.capacity for cap in caps], dtype=np.float64),
        blocks=tuple(blocks),
        capacities=caps,
        demand=tuple(demand),
    )


def _capacity_matrix(
    n_edges: int, caps: Sequence[CapacityRow], blocks: Sequence[SourceBlock], n_cols: int
) -> sp.csr_array:
    """Capacity rows over every block's x columns: (facility x edge) picked per block's edges."""
    empty = np.zeros(0, dtype=np.int64)
    rows = np.concatenate([np.full(len(cap.edges), r) for r, cap in enumerate(caps)] or [empty])
    edges = np.concatenate([cap.edges for cap in caps] or [empty]).astype(np.int64)
    by_edge = sp.csc_array(
        (np.ones(len(rows)), (rows.astype(np.int64), edges)), shape=(len(caps), n_edges)
    )
    ub = _Triplets()
    for block in blocks:
        part = by_edge[:, block.edges].tocoo()
        ub.add(part.row.astype(np.int64), block.x.start + part.col.astype(np.int64), 1.0)
    return ub.matrix((len(caps), n_cols))
