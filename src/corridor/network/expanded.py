"""The expanded graph: nodes split by layer, with moves, transfers and border dwell as edges.

A vertex is (node, layer). A link becomes a MOVE edge between the vertices of its layer at its two
ends (two edges when bidirectional). A transfer row becomes two TRANSFER edges between the layers
at its node. A link direction that crosses a border is preceded by a BORDER edge into an auxiliary
vertex, so dwell is a leg of its own.

A `train_change` row (a rail layer joined to itself at a hub) splits its (node, layer) in two: every
move on that layer that ends at the node ends at an *arrival* vertex, and one TRANSFER edge, the
change of trains, leads from it to the (departure) vertex the layer's moves leave from. A box that
arrives and leaves on the layer pays the change; one that starts or ends there does not (both
vertices are the node's). The node's other transfers out of the layer leave from both vertices
and those into it reach the departure vertex, so a gauge change or transshipment does not pay the
train change as well. All per-edge figures are flat numpy arrays in CSR order
(edges sorted by source vertex), independent of any query; routing scales them by the cargo.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
import numpy.typing as npt

from corridor.network.records import MODES, TRAIN_CHANGE, Transfer, mode_of_layer

if TYPE_CHECKING:
    from corridor.network.model import Network

MOVE, TRANSFER, BORDER = 0, 1, 2
BORDER_LAYER = "border"

IntArray = npt.NDArray[np.int32]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


_A = TypeVar("_A", bound=npt.NDArray[Any])


def mode_bit(mode: str) -> int:
    return 1 << MODES.index(mode)


@dataclass(frozen=True, eq=False)
class CrossingDirection:
    """One crossing in one direction, with dwell and fee per commodity class."""

    crossing_id: str
    name: str
    link: int
    reverse: bool


@dataclass(frozen=True, eq=False)
class ExpandedGraph:
    """Flat arrays of the expanded graph. Built once per `Network`; all arrays are read-only."""

    vertex_node: IntArray
    vertex_layer: tuple[str, ...]
    vertices_of_node: Mapping[int, tuple[int, ...]]
    indptr: IntArray
    src: IntArray
    dst: IntArray
    kind: npt.NDArray[np.int8]
    ref: IntArray  # link index for MOVE and BORDER edges, transfer index for TRANSFER edges
    reverse: BoolArray
    crossdir: IntArray  # index into `crossing_directions` for BORDER edges, else -1
    schedule: IntArray  # index into `schedules` for scheduled MOVE edges, else -1
    mode_bits: npt.NDArray[np.int16]
    src_node: IntArray
    dst_node: IntArray
    distance_km: FloatArray
    hours: FloatArray  # median; BORDER edges take theirs from `dwell_median_h`
    hours_p90: FloatArray
    feu_cost: FloatArray  # price per 40' box, border fees excluded
    t_cost: FloatArray  # price per tonne for bulk commodities
    wtw_g_per_t: FloatArray
    ttw_g_per_t: FloatArray
    wtw_g_per_vehicle: FloatArray  # per container vehicle (road), empty running included; else 0
    ttw_g_per_vehicle: FloatArray
    reefer_wtw_g_per_kwh: FloatArray  # intensity of the power a reefer draws on this edge
    reefer_ttw_g_per_kwh: FloatArray
    carries: BoolArray  # (commodity, edge): the commodity may take this edge
    classes: tuple[str, ...]
    commodity_class: IntArray  # class index per commodity
    crossing_directions: tuple[CrossingDirection, ...]
    dwell_median_h: FloatArray  # (crossing direction, class)
    dwell_p90_h: FloatArray
    border_fee_feu: FloatArray
    green_lane: BoolArray
    # the same four for import cargo (destination in the country the crossing enters)
    import_dwell_median_h: FloatArray
    import_dwell_p90_h: FloatArray
    import_border_fee_feu: FloatArray
    import_green_lane: BoolArray
    entered_country: tuple[str, ...]  # per crossing direction: the country it enters
    schedules: tuple[FloatArray, ...]  # sorted weekly departure hours
    schedule_services: tuple[tuple[str, ...], ...]

    @property
    def n_vertices(self) -> int:
        return len(self.vertex_node)

    @property
    def n_edges(self) -> int:
        return len(self.src)


def _frozen(array: _A) -> _A:
    array.setflags(write=False)
    return array


_Rule = tuple[float, float, float, bool]
_BorderArrays = tuple[FloatArray, FloatArray, FloatArray, BoolArray]


def _pick_rule(rules: Mapping[tuple[str, str], _Rule], cls: str, traffic: str) -> _Rule:
    """The row for a class and traffic: the class's own row for this traffic, else its `any`
    row, else the general row for this traffic, else the general `any` row, else any general."""
    for key in ((cls, traffic), (cls, "any"), ("general", traffic), ("general", "any")):
        if key in rules:
            return rules[key]
    return next(rule for (c, _t), rule in sorted(rules.items()) if c == "general")


def _border_tables(
    network: Network, classes: tuple[str, ...]
) -> tuple[list[CrossingDirection], dict[tuple[int, bool], int], dict[str, _BorderArrays]]:
    """Crossing directions and, per traffic (`transit`, `import`), their (direction, class)
    arrays of median dwell, P90 dwell, fee and green lane."""
    crossdirs: list[CrossingDirection] = []
    crossdir_of: dict[tuple[int, bool], int] = {}
    rules_by_dir: dict[int, dict[tuple[str, str], _Rule]] = {}
    for rule in network.crossings:
        key = (network.link_index[rule.link_id], rule.direction == "reverse")
        if key not in crossdir_of:
            crossdir_of[key] = len(crossdirs)
            crossdirs.append(CrossingDirection(rule.crossing_id, rule.name, key[0], key[1]))
            rules_by_dir[crossdir_of[key]] = {}
        rules_by_dir[crossdir_of[key]][(rule.commodity_class, rule.traffic)] = (
            rule.dwell_median_h,
            rule.dwell_p90_h,
            rule.fee_usd_per_feu,
            rule.green_lane,
        )
    shape = (len(crossdirs), len(classes))
    out: dict[str, _BorderArrays] = {}
    for traffic in ("transit", "import"):
        median, p90, fee = np.zeros(shape), np.zeros(shape), np.zeros(shape)
        green = np.zeros(shape, dtype=bool)
        for d, rules in rules_by_dir.items():
            for c, cls in enumerate(classes):
                median[d, c], p90[d, c], fee[d, c], green[d, c] = _pick_rule(rules, cls, traffic)
        out[traffic] = (_frozen(median), _frozen(p90), _frozen(fee), _frozen(green))
    return crossdirs, crossdir_of, out


_EDGE_COLUMNS: tuple[str, ...] = (
    "src",
    "kind",
    "ref",
    "reverse",
    "crossdir",
    "schedule",
    "mode_bits",
    "dst",
    "distance_km",
    "hours",
    "hours_p90",
    "feu_cost",
    "t_cost",
    "wtw",
    "ttw",
    "wtw_vehicle",
    "ttw_vehicle",
    "reefer_wtw",
    "reefer_ttw",
)


class _Vertices:
    """The vertices in the order they are made: (node, layer) pairs, a hub's arrival vertices
    and the auxiliary vertices of border edges."""

    def __init__(self, network: Network) -> None:
        self.of: dict[tuple[int, str], int] = {}
        self.node: list[int] = []
        self.layer: list[str] = []
        for link in network.links:
            self.get(network.node_index[link.from_node], link.layer)
            self.get(network.node_index[link.to_node], link.layer)
        self.real = dict(self.of)  # the (node, layer) vertices that links and transfers join
        self.arrival_of: dict[tuple[int, str], int] = {}  # (node, layer) of a train-change hub
        for transfer in network.transfers:
            if transfer.kind == TRAIN_CHANGE:
                key = (network.node_index[transfer.node_id], transfer.from_layer)
                self.arrival_of[key] = self.get(key[0], f"{transfer.from_layer}:arrive")
                self.layer[self.arrival_of[key]] = transfer.from_layer

    def get(self, node: int, layer: str) -> int:
        """The vertex of (node, layer), made on first use."""
        key = (node, layer)
        if key not in self.of:
            self.of[key] = len(self.node)
            self.node.append(node)
            self.layer.append(layer)
        return self.of[key]

    def arrival(self, node: int, layer: str) -> int:
        """The vertex a move on `layer` ends at."""
        return self.arrival_of.get((node, layer), self.real[(node, layer)])


class _Edges:
    """Edge columns in the order edges are added (sorted by source vertex at the end)."""

    def __init__(self) -> None:
        self.columns: dict[str, list[float | int | bool]] = {name: [] for name in _EDGE_COLUMNS}
        self.carries: list[list[bool]] = []

    def add(
        self,
        src: int,
        dst: int,
        kind: int,
        ref: int,
        reverse: bool,
        *,
        crossdir: int = -1,
        schedule: int = -1,
        bits: int,
        distance: float = 0.0,
        hours: float = 0.0,
        hours_p90: float = 0.0,
        feu_cost: float = 0.0,
        t_cost: float = 0.0,
        wtw: float = 0.0,
        ttw: float = 0.0,
        vehicle: tuple[float, float] = (0.0, 0.0),
        reefer: tuple[float, float] = (0.0, 0.0),
        carries: list[bool],
    ) -> None:
        values = (src, kind, ref, reverse, crossdir, schedule, bits, dst, distance, hours, hours_p90,
                  feu_cost, t_cost, wtw, ttw, *vehicle, *reefer)  # fmt: skip
        for name, value in zip(_EDGE_COLUMNS, values, strict=True):
            self.columns[name].append(value)
        self.carries.append(carries)


class _Factors:
    """The network's emission rows by activity, and the plug-in intensity at a node."""

    def __init__(self, network: Network) -> None:
        rows = network.emission_factors
        self.move = {(f.mode, f.energy_carrier): f for f in rows if f.activity == "move"}
        self.hub = {f.mode: f for f in rows if f.activity == "hub"}
        self.reefer = {(f.mode, f.energy_carrier): f for f in rows if f.activity == "reefer"}
        self._countries = [node.country.lower() for node in network.nodes]

    def reefer_at(self, node: int) -> tuple[float, float]:
        """Plug-in power at a terminal or border: the node's grid, else the generic row."""
        generic = self.reefer.get(("terminal", "-"))
        f = self.reefer.get(("terminal", f"electricity_{self._countries[node]}"), generic)
        return (f.wtw_g, f.ttw_g) if f else (0.0, 0.0)

    def on_board(self, mode: str) -> tuple[float, float]:
        """Power a reefer draws on a moving vehicle of `mode`."""
        f = self.reefer.get((mode, "-"))
        return (f.wtw_g, f.ttw_g) if f else (0.0, 0.0)


_Schedules = tuple[dict[tuple[int, bool], int], tuple[FloatArray, ...], tuple[tuple[str, ...], ...]]


def _schedule_tables(network: Network) -> _Schedules:
    """Per scheduled (link, reverse): its index, its sorted weekly departures and its services."""
    departures: dict[tuple[int, bool], set[float]] = {}
    services_on: dict[tuple[int, bool], list[str]] = {}
    directions = {"forward": (False,), "reverse": (True,), "both": (False, True)}
    for service in network.services:
        lk = network.link_index[service.link_id]
        for rev in directions[service.direction]:
            departures.setdefault((lk, rev), set()).update(service.departures_h)
            services_on.setdefault((lk, rev), []).append(service.service_id)
    keys = sorted(departures)
    schedules = tuple(_frozen(np.array(sorted(departures[k]), dtype=np.float64)) for k in keys)
    return {k: i for i, k in enumerate(keys)}, schedules, tuple(tuple(services_on[k]) for k in keys)


def _add_moves(
    network: Network,
    vertices: _Vertices,
    edges: _Edges,
    factors: _Factors,
    crossings: tuple[list[CrossingDirection], dict[tuple[int, bool], int]],
    schedule_of: Mapping[tuple[int, bool], int],
) -> None:
    """One MOVE edge per open link direction, preceded by a BORDER edge where it crosses one."""
    crossdirs, crossdir_of = crossings
    node_index = network.node_index
    for li, link in enumerate(network.links):
        if link.status == "closed":  # present in the package, not routable until opened
            continue
        factor = factors.move[(link.mode, link.energy_carrier)]
        per_vehicle_km = 1.0 / (1.0 - factor.empty_share)  # loaded km plus its share of empty km
        vehicle = (
            factor.wtw_g_per_vkm * link.distance_km * per_vehicle_km,
            factor.ttw_g_per_vkm * link.distance_km * per_vehicle_km,
        )
        carries = [link.mode in c.modes and link.carries(c.commodity) for c in network.commodities]
        line_haul = link.tariff_usd_per_feu_km * link.distance_km + link.tariff_usd_per_feu
        ends = [(link.from_node, link.to_node, False)]
        if link.bidirectional:
            ends.append((link.to_node, link.from_node, True))
        for a, b, rev in ends:
            u = vertices.real[(node_index[a], link.layer)]
            cdi = crossdir_of.get((li, rev))
            if cdi is not None:
                layer = f"{BORDER_LAYER}:{crossdirs[cdi].crossing_id}:{int(rev)}"
                aux = vertices.get(node_index[a], layer)
                edges.add(u, aux, BORDER, li, rev, crossdir=cdi, bits=mode_bit(link.mode),
                          reefer=factors.reefer_at(node_index[a]), carries=carries)  # fmt: skip
                u = aux
            edges.add(
                u,
                vertices.arrival(node_index[b], link.layer),
                MOVE,
                li,
                rev,
                schedule=schedule_of.get((li, rev), -1),
                bits=mode_bit(link.mode),
                distance=link.distance_km,
                hours=link.duration_h,
                hours_p90=link.duration_h,
                feu_cost=line_haul * (link.tariff_reverse_factor if rev else 1.0),
                t_cost=link.tariff_usd_per_t_km * link.distance_km,
                wtw=factor.wtw_g * link.distance_km,
                ttw=factor.ttw_g * link.distance_km,
                vehicle=vehicle,
                reefer=factors.on_board(link.mode),
                carries=carries,
            )


def _transfer_steps(
    transfer: Transfer, node: int, vertices: _Vertices
) -> list[tuple[int, int, bool]]:
    """The (from vertex, to vertex, to_layer -> from_layer) edges of one transfer row."""
    va = vertices.real[(node, transfer.from_layer)]
    vb = vertices.real[(node, transfer.to_layer)]
    if transfer.kind == TRAIN_CHANGE:
        return [(vertices.arrival_of[(node, transfer.from_layer)], va, False)]
    steps = []
    for out_of, sa, sb, rev in (
        (transfer.from_layer, va, vb, False),
        (transfer.to_layer, vb, va, True),
    ):
        steps.append((sa, sb, rev))
        if (node, out_of) in vertices.arrival_of:  # a box off a train of this layer moves on
            steps.append((vertices.arrival_of[(node, out_of)], sb, rev))
    return steps


def _add_transfers(network: Network, vertices: _Vertices, edges: _Edges, factors: _Factors) -> None:
    """The TRANSFER edges of every transfer row (`_transfer_steps`)."""
    for ti, transfer in enumerate(network.transfers):
        n = network.node_index[transfer.node_id]
        modes = {mode_of_layer(transfer.from_layer), mode_of_layer(transfer.to_layer)}
        carries = [modes <= set(c.modes) for c in network.commodities]
        hub = factors.hub[transfer.kind]
        if transfer.kind == "transshipment" and modes & {"sea", "ferry"}:
            hub = factors.hub.get("maritime_transshipment", hub)
        for s, t, rev in _transfer_steps(transfer, n, vertices):
            edges.add(
                s,
                t,
                TRANSFER,
                ti,
                rev,
                bits=sum(mode_bit(m) for m in modes),
                hours=transfer.duration_h,
                hours_p90=transfer.duration_p90_h,
                feu_cost=transfer.cost_usd_per_feu,
                t_cost=transfer.cost_usd_per_t,
                wtw=hub.wtw_g,
                ttw=hub.ttw_g,
                reefer=factors.reefer_at(n),
                carries=carries,
            )


def compile_graph(network: Network) -> ExpandedGraph:
    """Compile a network's records into the expanded graph's arrays.

    >>> import corridor
    >>> graph = compile_graph(corridor.load_network())
    >>> graph.n_edges > graph.n_vertices > 0
    True
    """
    commodities = network.commodities
    classes = tuple(dict.fromkeys(["general", *(c.border_class for c in commodities)]))
    crossdirs, crossdir_of, border = _border_tables(network, classes)
    schedule_of, schedules, schedule_services = _schedule_tables(network)
    vertices = _Vertices(network)
    edges = _Edges()
    factors = _Factors(network)
    _add_moves(network, vertices, edges, factors, (crossdirs, crossdir_of), schedule_of)
    _add_transfers(network, vertices, edges, factors)
    return _assemble(
        network, vertices, edges, classes, crossdirs, border, (schedules, schedule_services)
    )


def _assemble(
    network: Network,
    vertices: _Vertices,
    edges: _Edges,
    classes: tuple[str, ...],
    crossdirs: list[CrossingDirection],
    border: dict[str, _BorderArrays],
    timetables: tuple[tuple[FloatArray, ...], tuple[tuple[str, ...], ...]],
) -> ExpandedGraph:
    """The frozen CSR arrays: edges sorted by source vertex, vertices grouped by node."""
    links = network.links
    columns = edges.columns
    class_index = {c: i for i, c in enumerate(classes)}
    entered = tuple(
        network.node(links[d.link].from_node if d.reverse else links[d.link].to_node).country
        for d in crossdirs
    )
    schedules, schedule_services = timetables

    src = np.array(columns["src"], dtype=np.int32)
    order = np.argsort(src, kind="stable")
    n_vertices = len(vertices.node)

    def col(name: str, dtype: type[np.generic]) -> Any:
        return _frozen(np.asarray(columns[name], dtype=dtype)[order])

    vnode = np.array(vertices.node, dtype=np.int32)
    dst = col("dst", np.int32)
    indptr = np.zeros(n_vertices + 1, dtype=np.int32)
    np.cumsum(np.bincount(src, minlength=n_vertices), out=indptr[1:])
    carries_matrix = np.array(edges.carries, dtype=bool).reshape(
        len(edges.carries), len(network.commodities)
    )  # no edges at all (every link closed) still gives a (0, commodities) matrix

    by_node: dict[int, list[int]] = {}
    for (node, _layer), v in (*vertices.real.items(), *vertices.arrival_of.items()):
        by_node.setdefault(node, []).append(v)

    return ExpandedGraph(
        vertex_node=_frozen(vnode),
        vertex_layer=tuple(vertices.layer),
        vertices_of_node=MappingProxyType({k: tuple(sorted(v)) for k, v in by_node.items()}),
        indptr=_frozen(indptr),
        src=_frozen(src[order]),
        dst=dst,
        kind=col("kind", np.int8),
        ref=col("ref", np.int32),
        reverse=col("reverse", np.bool_),
        crossdir=col("crossdir", np.int32),
        schedule=col("schedule", np.int32),
        mode_bits=col("mode_bits", np.int16),
        src_node=_frozen(vnode[src[order]]),
        dst_node=_frozen(vnode[dst]),
        distance_km=col("distance_km", np.float64),
        hours=col("hours", np.float64),
        hours_p90=col("hours_p90", np.float64),
        feu_cost=col("feu_cost", np.float64),
        t_cost=col("t_cost", np.float64),
        wtw_g_per_t=col("wtw", np.float64),
        ttw_g_per_t=col("ttw", np.float64),
        wtw_g_per_vehicle=col("wtw_vehicle", np.float64),
        ttw_g_per_vehicle=col("ttw_vehicle", np.float64),
        reefer_wtw_g_per_kwh=col("reefer_wtw", np.float64),
        reefer_ttw_g_per_kwh=col("reefer_ttw", np.float64),
        carries=_frozen(np.ascontiguousarray(carries_matrix[order].T)),
        classes=classes,
        commodity_class=_frozen(
            np.array([class_index[c.border_class] for c in network.commodities], dtype=np.int32)
        ),
        crossing_directions=tuple(crossdirs),
        dwell_median_h=border["transit"][0],
        dwell_p90_h=border["transit"][1],
        border_fee_feu=border["transit"][2],
        green_lane=border["transit"][3],
        import_dwell_median_h=border["import"][0],
        import_dwell_p90_h=border["import"][1],
        import_border_fee_feu=border["import"][2],
        import_green_lane=border["import"][3],
        entered_country=entered,
        schedules=schedules,
        schedule_services=schedule_services,
    )
