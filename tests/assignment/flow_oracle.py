"""An independent multi-commodity min-cost flow, built from a network's tables, for the oracles.

Nothing here comes from corridor's assignment or routing code: the graph, the per-TEU costs and
the capacities are rebuilt from the records (`net.links`, `net.crossings`, `net.transfers`,
`net.services`, `net.commodities`) following docs/assignment.md and docs/network-format.md:

* a state is (node, layer); a link direction is one arc between its ends' states, its border
  stop (dwell and fee of the commodity's class, `import` rows when the cargo's destination lies in
  the country entered) folded into the arc; a transfer row is two arcs, one each way;
* a `train_change` row gives its (node, layer) a second state, (node, "layer:arrive"), where the
  layer's moves into the node end; the change is one arc from it to (node, layer), and the node's
  other transfers out of the layer leave from both states;
* USD per TEU is half the price of a 40' box: (tariff per FEU-km × km + tariff per FEU) × the
  reverse factor against the link's direction × the commodity's factor for the mode, plus half the
  border fee; a transfer costs half its price per FEU;
* a transfer that lists `through_destinations`, taken in its own direction by cargo bound for a
  country outside the list, adds its connection (`connection_h`, half `connection_usd_per_feu`);
* hours are the median: running time, border dwell, transfer time, and on a timetabled direction
  the mean wait of a box arriving at a random moment of the week for the next departure of any
  service on it;
* generalized cost = USD + value of time × hours;
* capacities in TEU/week: a link direction (crossings too: the crossing's link), the services on a
  direction summed when each declares one, a terminal both ways together.

One commodity per OD row (no grouping by origin), each with a super source, a super sink and an
unserved arc at the penalty, coupled by the capacity rows; solved with HiGHS through linprog.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linprog

import corridor
from corridor.network.records import CrossingRule
from corridor.routing.odset import ODPair

WEEK_H = 168.0


@dataclass(frozen=True)
class Arc:
    tail: tuple[str, str]  # (node, layer)
    head: tuple[str, str]
    kind: str  # "move" or "transfer"
    ref: str  # link id, or the transfer's index as text
    reverse: bool


def layer_of(mode: str, gauge_mm: int | None) -> str:
    return f"rail_{gauge_mm}" if mode == "rail" else mode


def mode_of(layer: str) -> str:
    return "rail" if layer.startswith("rail_") else layer


def mean_wait(departures: Sequence[float]) -> float:
    """Hours a box arriving uniformly over the week waits for the next departure: the mean, over
    the week, of the time to the next departure (a gap of g hours waits g/2 on average)."""
    times = sorted(set(departures))
    gaps = [b - a for a, b in zip(times, [*times[1:], times[0] + WEEK_H], strict=True)]
    return sum(g * g / 2 for g in gaps) / WEEK_H


def arcs_of(net: corridor.Network) -> list[Arc]:
    arcs: list[Arc] = []
    hubs = {(t.node_id, t.from_layer) for t in net.transfers if t.kind == "train_change"}

    def into(node: str, layer: str) -> tuple[str, str]:
        return (node, f"{layer}:arrive") if (node, layer) in hubs else (node, layer)

    for lk in net.links:
        if lk.status == "closed":
            continue
        layer = layer_of(lk.mode, lk.gauge_mm)
        arcs.append(Arc((lk.from_node, layer), into(lk.to_node, layer), "move", lk.link_id, False))
        if lk.bidirectional:
            arcs.append(
                Arc((lk.to_node, layer), into(lk.from_node, layer), "move", lk.link_id, True)
            )
    for i, t in enumerate(net.transfers):
        a, b = (t.node_id, t.from_layer), (t.node_id, t.to_layer)
        if t.kind == "train_change":
            arcs.append(Arc(into(*a), a, "transfer", str(i), False))
            continue
        for tail, head, rev in ((a, b, False), (b, a, True)):
            arcs.append(Arc(tail, head, "transfer", str(i), rev))
            if into(*tail) != tail:
                arcs.append(Arc(into(*tail), head, "transfer", str(i), rev))
    return arcs


def _departures(net: corridor.Network) -> dict[tuple[str, bool], list[float]]:
    out: dict[tuple[str, bool], list[float]] = {}
    for s in net.services:
        for rev in {"forward": (False,), "reverse": (True,), "both": (False, True)}[s.direction]:
            out.setdefault((s.link_id, rev), []).extend(s.departures_h)
    return out


def _crossing_rows(net: corridor.Network) -> dict[tuple[str, bool], list[CrossingRule]]:
    out: dict[tuple[str, bool], list[CrossingRule]] = {}
    for c in net.crossings:
        out.setdefault((c.link_id, c.direction == "reverse"), []).append(c)
    return out


def _border_row(rows: list[CrossingRule], cls: str, traffic: str) -> tuple[float, float] | None:
    """(median dwell h, fee USD/FEU) of the crossing row that applies, None without a border:
    the class's row for this traffic, its `any` row, the general row for this traffic, the
    general `any` row, else any general row."""
    if not rows:
        return None
    by_key = {(c.commodity_class, c.traffic): c for c in rows}
    for key in ((cls, traffic), (cls, "any"), ("general", traffic), ("general", "any")):
        if key in by_key:
            return by_key[key].dwell_median_h, by_key[key].fee_usd_per_feu
    row = next(r for (c, _), r in sorted(by_key.items()) if c == "general")
    return row.dwell_median_h, row.fee_usd_per_feu


def arc_costs(
    net: corridor.Network, arcs: Sequence[Arc], commodity: str, destination: str, vot: float
) -> list[float | None]:
    """Generalized USD per TEU of each arc for the commodity, None where it may not go."""
    spec = net.commodity(commodity)
    country = {n.node_id: n.country for n in net.nodes}
    waits = {key: mean_wait(times) for key, times in _departures(net).items()}
    factors = dict(spec.tariff_factors)
    crossing_rows = _crossing_rows(net)
    out: list[float | None] = []
    for arc in arcs:
        if arc.kind == "transfer":
            t = net.transfers[int(arc.ref)]
            ok = {mode_of(t.from_layer), mode_of(t.to_layer)} <= set(spec.modes)
            usd, hours = 0.5 * t.cost_usd_per_feu, t.duration_h
            listed = t.through_destinations
            if not arc.reverse and listed and country[destination] not in listed:
                usd, hours = usd + 0.5 * t.connection_usd_per_feu, hours + t.connection_h
            out.append(usd + vot * hours if ok else None)
            continue
        lk = net.link(arc.ref)
        if lk.mode not in spec.modes or not (
            lk.commodities == ("*",) or commodity in lk.commodities
        ):
            out.append(None)
            continue
        price = lk.tariff_usd_per_feu_km * lk.distance_km + lk.tariff_usd_per_feu
        price *= (lk.tariff_reverse_factor if arc.reverse else 1.0) * factors.get(lk.mode, 1.0)
        usd, hours = 0.5 * price, lk.duration_h + waits.get((lk.link_id, arc.reverse), 0.0)
        entered = country[arc.head[0]]
        traffic = "import" if entered == country[destination] else "transit"
        rows = crossing_rows.get((lk.link_id, arc.reverse), [])
        border = _border_row(rows, spec.border_class, traffic)
        if border is not None:
            hours += border[0]
            usd += 0.5 * border[1]
        out.append(usd + vot * hours)
    return out


@dataclass(frozen=True)
class Facility:
    name: str
    arcs: tuple[int, ...]
    capacity: float


def facilities(net: corridor.Network, arcs: Sequence[Arc]) -> list[Facility]:
    index = {(a.kind, a.ref, a.reverse): i for i, a in enumerate(arcs)}
    out: list[Facility] = []
    for lk in net.links:
        for rev in (False, True):
            i = index.get(("move", lk.link_id, rev))
            if i is not None and lk.capacity_teu_per_week is not None:
                out.append(Facility(f"link {lk.link_id} {rev}", (i,), lk.capacity_teu_per_week))
    by_direction: dict[tuple[str, bool], list[float | None]] = {}
    for s in net.services:
        for rev in {"forward": (False,), "reverse": (True,), "both": (False, True)}[s.direction]:
            by_direction.setdefault((s.link_id, rev), []).append(s.capacity_teu_per_week)
    for (link_id, rev), caps in by_direction.items():
        i = index.get(("move", link_id, rev))
        if i is not None and all(c is not None for c in caps):
            total = sum(c for c in caps if c is not None)
            out.append(Facility(f"services {link_id} {rev}", (i,), total))
    for ti, t in enumerate(net.transfers):
        if t.capacity_teu_per_week is not None:
            both = tuple(i for i, a in enumerate(arcs) if a.kind == "transfer" and a.ref == str(ti))
            out.append(Facility(f"terminal {t.node_id}", both, t.capacity_teu_per_week))
    return out


@dataclass(frozen=True)
class OracleResult:
    objective: float
    served: tuple[float, ...]  # per OD row
    arc_flow: tuple[float, ...]  # per arc, all rows together


def min_cost_flow(
    net: corridor.Network,
    demand: Sequence[ODPair],
    *,
    value_of_time: float,
    penalty: float,
    fixed_arc_flow: Mapping[int, float] | None = None,
    fixed_served: Sequence[float] | None = None,
    slack: float = 1e-6,
) -> OracleResult | None:
    """The least generalized cost of serving `demand`, or None when the fixings are infeasible.

    `fixed_arc_flow` pins the total flow of arcs (all rows together) and `fixed_served` each row's
    served TEU, each within `slack`: is a given flow pattern optimal?
    """
    arcs = arcs_of(net)
    states = sorted({a.tail for a in arcs} | {a.head for a in arcs})
    state = {s: i for i, s in enumerate(states)}
    caps = facilities(net, arcs)
    n_s = len(states)
    eq_r: list[int] = []
    eq_c: list[int] = []
    eq_v: list[float] = []
    b_eq: list[float] = []
    cost: list[float] = []
    arc_cols: dict[int, list[int]] = {}
    served_cols: list[list[int]] = []
    col = row = 0
    for pair in demand:
        costs = arc_costs(net, arcs, pair.commodity, pair.destination, value_of_time)
        for i, (arc, c) in enumerate(zip(arcs, costs, strict=True)):
            if c is None:
                continue
            eq_r += [row + state[arc.tail], row + state[arc.head]]
            eq_c += [col, col]
            eq_v += [1.0, -1.0]
            cost.append(c)
            arc_cols.setdefault(i, []).append(col)
            col += 1
        for s in states:  # super source into any layer of the origin
            if s[0] == pair.origin:
                eq_r.append(row + state[s])
                eq_c.append(col)
                eq_v.append(-1.0)
                cost.append(0.0)
                col += 1
        sinks = []
        for s in states:  # out of any layer of the destination, counted in the demand row
            if s[0] == pair.destination:
                eq_r += [row + state[s], row + n_s]
                eq_c += [col, col]
                eq_v += [1.0, 1.0]
                cost.append(0.0)
                sinks.append(col)
                col += 1
        served_cols.append(sinks)
        eq_r.append(row + n_s)  # unserved
        eq_c.append(col)
        eq_v.append(1.0)
        cost.append(penalty)
        col += 1
        b_eq += [0.0] * n_s + [float(pair.teu_per_week or 0.0)]
        row += n_s + 1
    ub_rows: list[list[tuple[int, float]]] = []
    b_ub: list[float] = []
    for f in caps:
        ub_rows.append([(c, 1.0) for i in f.arcs for c in arc_cols.get(i, [])])
        b_ub.append(f.capacity)

    def pin(cols: list[int], value: float) -> None:
        ub_rows.append([(c, 1.0) for c in cols])
        b_ub.append(value + slack)
        ub_rows.append([(c, -1.0) for c in cols])
        b_ub.append(-(value - slack))

    for i, value in (fixed_arc_flow or {}).items():
        pin(arc_cols.get(i, []), value)
    for cols, value in zip(served_cols, fixed_served or (), strict=False):
        pin(cols, value)
    a_ub = sp.csr_array(
        (
            [v for r in ub_rows for _, v in r],
            ([k for k, r in enumerate(ub_rows) for _ in r], [c for r in ub_rows for c, _ in r]),
        ),
        shape=(len(ub_rows), col),
    )
    result = linprog(
        np.array(cost),
        A_ub=a_ub if ub_rows else None,
        b_ub=np.array(b_ub) if ub_rows else None,
        A_eq=sp.csr_array((eq_v, (eq_r, eq_c)), shape=(row, col)),
        b_eq=np.array(b_eq),
        bounds=(0, None),
        method="highs",
    )
    if result.status == 2:
        return None
    assert result.status == 0, result.message
    x = result.x
    return OracleResult(
        float(result.fun),
        tuple(float(x[cols].sum()) for cols in served_cols),
        tuple(float(x[arc_cols.get(i, [])].sum()) for i in range(len(arcs))),
    )
