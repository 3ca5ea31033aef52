"""The compiled expanded graph against an oracle rebuilt from the package's rows.

The oracle reads the loaded records (links, transfers, crossings, services, commodities,
emission factors, nodes) and applies the semantics of docs/network-format.md and of the module
docstring of `corridor.network.expanded`, with its own arithmetic; it imports nothing from that
module. Vertices are named, not numbered: `(node, layer, "")` for the vertex a layer's moves
leave from, `(node, layer, "arrive")` for a train-change hub's arrival vertex and
`(node, "border", link, reverse)` for the vertex between a border's dwell and its move. The kind
codes and mode bits are compared as encodings: one code per kind, one bit per mode.

The random networks come from tests/routing/random_networks.py, widened here with what its
generator never writes: reverse tariff factors, closed links, train changes, transfer prices per
tonne, import/transit crossing rows, per-vehicle and reefer emission factors and the maritime
transshipment hub factor.
"""

from __future__ import annotations

import csv
import dataclasses
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import corridor
from corridor.network.records import EmissionFactor, Link, Transfer
from routing.random_networks import Spec, specs, write_package

Row = dict[str, Any]
Label = tuple[Any, ...]
COLUMNS = ("distance_km", "hours", "hours_p90", "feu_cost", "t_cost", "wtw", "ttw")
COLUMNS += ("wtw_vehicle", "ttw_vehicle", "reefer_wtw", "reefer_ttw")


# ---------------------------------------------------------------- the oracle, from the rows


def _layer(link: Link) -> str:
    return f"rail_{link.gauge_mm}" if link.mode == "rail" else link.mode


def _mode(layer: str) -> str:
    return "rail" if layer.startswith("rail_") else layer


def _factor(net: corridor.Network, activity: str, mode: str, carrier: str) -> EmissionFactor | None:
    rows = [f for f in net.emission_factors if (f.activity, f.mode) == (activity, mode)]
    return next((f for f in rows if f.energy_carrier == carrier), None)


def _pair(f: EmissionFactor | None) -> tuple[float, float]:
    return (f.wtw_g, f.ttw_g) if f else (0.0, 0.0)


def _plug_in(net: corridor.Network, node_id: str) -> tuple[float, float]:
    """A terminal's reefer intensity: its country's grid row, else the generic terminal row."""
    grid = f"electricity_{net.node(node_id).country.lower()}"
    return _pair(
        _factor(net, "reefer", "terminal", grid) or _factor(net, "reefer", "terminal", "-")
    )


def _hubs(net: corridor.Network) -> set[tuple[str, str]]:
    return {(t.node_id, t.from_layer) for t in net.transfers if t.kind == "train_change"}


def _schedules(net: corridor.Network) -> dict[tuple[str, bool], frozenset[float]]:
    out: dict[tuple[str, bool], set[float]] = {}
    for s in net.services:
        revs = {"forward": (False,), "reverse": (True,), "both": (False, True)}[s.direction]
        for rev in revs:
            out.setdefault((s.link_id, rev), set()).update(s.departures_h)
    return {k: frozenset(v) for k, v in out.items()}


def _moves(net: corridor.Network) -> list[tuple[Label, Label, Label, Row]]:
    """(src, dst, identity, columns) of every BORDER and MOVE edge the links make."""
    hubs, schedules = _hubs(net), _schedules(net)
    crossing = {(c.link_id, c.direction == "reverse"): c.crossing_id for c in net.crossings}
    out = []
    for link in (lk for lk in net.links if lk.status != "closed"):
        lay, move = _layer(link), _factor(net, "move", link.mode, link.energy_carrier)
        assert move is not None
        carries = tuple(
            link.mode in c.modes and (link.commodities == ("*",) or c.commodity in link.commodities)
            for c in net.commodities
        )
        base = {"modes": frozenset({link.mode}), "carries": carries, "crossing": None}
        ends = [(link.from_node, link.to_node, False)]
        ends += [(link.to_node, link.from_node, True)] if link.bidirectional else []
        for a, b, rev in ends:
            u: Label = (a, lay, "")
            if (link.link_id, rev) in crossing:
                aux = (a, "border", link.link_id, rev)
                border = _border_columns(net, a, crossing[(link.link_id, rev)])
                out.append((u, aux, ("BORDER", link.link_id, rev), base | border))
                u = aux
            v = (b, lay, "arrive" if (b, lay) in hubs else "")
            columns = _move_columns(link, move, rev) | {
                "schedule": schedules.get((link.link_id, rev))
            }
            out.append((u, v, ("MOVE", link.link_id, rev), base | columns | _on_board(net, link)))
    return out


def _border_columns(net: corridor.Network, node_id: str, crossing_id: str) -> Row:
    """A border edge: the dwell, fee and plug-in of its crossing, none of a move's figures."""
    reefer = _plug_in(net, node_id)
    zeros = dict.fromkeys(COLUMNS, 0.0) | {"schedule": None, "crossing": crossing_id}
    return zeros | {"reefer_wtw": reefer[0], "reefer_ttw": reefer[1]}


def _move_columns(link: Link, move: EmissionFactor, rev: bool) -> Row:
    km = link.distance_km
    price = link.tariff_usd_per_feu_km * km + link.tariff_usd_per_feu
    per_loaded_km = km / (1.0 - move.empty_share)
    return {
        "distance_km": km,
        "hours": link.duration_h,
        "hours_p90": link.duration_h,
        "feu_cost": price * link.tariff_reverse_factor if rev else price,
        "t_cost": link.tariff_usd_per_t_km * km,
        "wtw": move.wtw_g * km,
        "ttw": move.ttw_g * km,
        "wtw_vehicle": move.wtw_g_per_vkm * per_loaded_km,
        "ttw_vehicle": move.ttw_g_per_vkm * per_loaded_km,
    }


def _on_board(net: corridor.Network, link: Link) -> Row:
    wtw, ttw = _pair(_factor(net, "reefer", link.mode, "-"))
    return {"reefer_wtw": wtw, "reefer_ttw": ttw}


def _transfer_ends(t: Transfer, hubs: set[tuple[str, str]]) -> list[tuple[Label, Label, bool]]:
    """A train change leads from the arrival vertex to the departure vertex; any other row joins
    the two layers both ways, leaving from both vertices of a hub's layer."""
    n, a, b = t.node_id, t.from_layer, t.to_layer
    if t.kind == "train_change":
        return [((n, a, "arrive"), (n, a, ""), False)]
    out = []
    for here, there, rev in ((a, b, False), (b, a, True)):
        out.append(((n, here, ""), (n, there, ""), rev))
        if (n, here) in hubs:
            out.append(((n, here, "arrive"), (n, there, ""), rev))
    return out


def _transfers(net: corridor.Network) -> list[tuple[Label, Label, Label, Row]]:
    hubs, out = _hubs(net), []
    for ti, t in enumerate(net.transfers):
        modes = frozenset({_mode(t.from_layer), _mode(t.to_layer)})
        hub = _factor(net, "hub", t.kind, "-")
        if t.kind == "transshipment" and modes & {"sea", "ferry"}:
            hub = _factor(net, "hub", "maritime_transshipment", "-") or hub
        assert hub is not None
        reefer = _plug_in(net, t.node_id)
        columns = dict.fromkeys(COLUMNS, 0.0) | {
            "hours": t.duration_h,
            "hours_p90": t.duration_p90_h,
            "feu_cost": t.cost_usd_per_feu,
            "t_cost": t.cost_usd_per_t,
            "wtw": hub.wtw_g,
            "ttw": hub.ttw_g,
            "reefer_wtw": reefer[0],
            "reefer_ttw": reefer[1],
        }
        base = {"modes": modes, "carries": tuple(modes <= set(c.modes) for c in net.commodities)}
        for u, v, rev in _transfer_ends(t, hubs):
            row = base | columns | {"schedule": None, "crossing": None}
            out.append((u, v, ("TRANSFER", ti, rev), row))
    return out


def expected_edges(net: corridor.Network) -> dict[tuple[Label, Label, Label], Row]:
    edges = [*_moves(net), *_transfers(net)]
    keyed = {(u, v, ident): row for u, v, ident, row in edges}
    assert len(keyed) == len(edges)
    return keyed


# ---------------------------------------------------------------- the compiled graph, named


def _vertex_labels(net: corridor.Network) -> list[Label]:
    """Each compiled vertex named as the oracle names it (see the module docstring)."""
    g = net.graph
    layers = {_layer(lk) for lk in net.links}
    ids = [nd.node_id for nd in net.nodes]
    tail = np.searchsorted(g.indptr, np.arange(g.n_edges), side="right") - 1
    labels: list[Label] = [
        (ids[g.vertex_node[v]], g.vertex_layer[v], "") for v in range(g.n_vertices)
    ]
    for e in range(g.n_edges):
        s, d = int(tail[e]), int(g.dst[e])
        if labels[s][:2] == labels[d][:2]:  # two vertices of one (node, layer): a train change
            labels[s] = (*labels[s][:2], "arrive")
        if g.vertex_layer[d] not in layers:  # the vertex after a border's dwell
            labels[d] = (
                ids[g.vertex_node[d]],
                "border",
                net.links[g.ref[e]].link_id,
                bool(g.reverse[e]),
            )
    return labels


def compiled_edges(net: corridor.Network) -> dict[tuple[Label, Label, Label], Row]:
    g, labels = net.graph, _vertex_labels(net)
    names, bits = _kind_names(net, labels), _mode_bits(net)
    tail = np.searchsorted(g.indptr, np.arange(g.n_edges), side="right") - 1
    out: dict[tuple[Label, Label, Label], Row] = {}
    for e in range(g.n_edges):
        kind = names[int(g.kind[e])]
        ref = int(g.ref[e]) if kind == "TRANSFER" else net.links[g.ref[e]].link_id
        key = (labels[int(tail[e])], labels[int(g.dst[e])], (kind, ref, bool(g.reverse[e])))
        assert key not in out, f"edge {key} compiled twice"
        out[key] = _compiled_row(net, e, bits)
    return out


def _compiled_row(net: corridor.Network, e: int, bits: dict[str, int]) -> Row:
    g = net.graph
    cd, sc = int(g.crossdir[e]), int(g.schedule[e])
    return {
        "modes": frozenset(m for m, bit in bits.items() if g.mode_bits[e] & bit),
        "carries": tuple(bool(x) for x in g.carries[:, e]),
        "crossing": g.crossing_directions[cd].crossing_id if cd != -1 else None,
        "schedule": frozenset(g.schedules[sc].tolist()) if sc != -1 else None,
        "distance_km": g.distance_km[e],
        "hours": g.hours[e],
        "hours_p90": g.hours_p90[e],
        "feu_cost": g.feu_cost[e],
        "t_cost": g.t_cost[e],
        "wtw": g.wtw_g_per_t[e],
        "ttw": g.ttw_g_per_t[e],
        "wtw_vehicle": g.wtw_g_per_vehicle[e],
        "ttw_vehicle": g.ttw_g_per_vehicle[e],
        "reefer_wtw": g.reefer_wtw_g_per_kwh[e],
        "reefer_ttw": g.reefer_ttw_g_per_kwh[e],
    }


def _kind_names(net: corridor.Network, labels: list[Label]) -> dict[int, str]:
    """The kind codes as the compiled edges use them: a border edge ends at a border vertex, a
    move joins two nodes, a transfer stays at its node. One code per kind, and no other."""
    g = net.graph
    names: dict[int, set[str]] = {}
    for e in range(g.n_edges):
        kind = "BORDER" if labels[int(g.dst[e])][1] == "border" else "TRANSFER"
        kind = "MOVE" if g.src_node[e] != g.dst_node[e] else kind
        names.setdefault(int(g.kind[e]), set()).add(kind)
    assert all(len(n) == 1 for n in names.values()), f"a kind code used for two kinds: {names}"
    assert len(names) == len({frozenset(n) for n in names.values()}), (
        f"a kind with two codes: {names}"
    )
    return {code: n.pop() for code, n in names.items()}


def _mode_bits(net: corridor.Network) -> dict[str, int]:
    """Each mode's bit, read off the compiled moves and border dwells (one mode each; the
    generated packages keep an open link of every mode)."""
    g = net.graph
    bits: dict[str, set[int]] = {}
    for e in np.flatnonzero(g.src_node != g.dst_node):
        bits.setdefault(net.links[g.ref[e]].mode, set()).add(int(g.mode_bits[e]))
    assert all(len(b) == 1 for b in bits.values()), f"one mode, several bits: {bits}"
    single = {m: b.pop() for m, b in bits.items()}
    assert all(b > 0 and b & (b - 1) == 0 for b in single.values()), single
    assert len(set(single.values())) == len(single), single
    return single


# ---------------------------------------------------------------- comparison


def assert_graph_matches_rows(net: corridor.Network) -> None:
    expected, compiled = expected_edges(net), compiled_edges(net)
    assert set(compiled) == set(expected), (
        f"missing {sorted(set(expected) - set(compiled), key=str)[:5]}, "
        f"extra {sorted(set(compiled) - set(expected), key=str)[:5]}"
    )
    for key, row in expected.items():
        got = compiled[key]
        for column, value in row.items():
            if isinstance(value, float):
                assert got[column] == pytest.approx(value, rel=1e-12, abs=1e-12), (key, column)
            else:
                assert got[column] == value, (key, column, got[column], value)
    _assert_csr(net)
    _assert_vertices(net)
    _assert_border_tables(net)


def _assert_csr(net: corridor.Network) -> None:
    g = net.graph
    assert g.indptr[0] == 0 and g.indptr[-1] == g.n_edges
    tail = np.repeat(np.arange(g.n_vertices), np.diff(g.indptr))
    assert np.array_equal(tail, g.src)
    assert np.array_equal(g.src_node, g.vertex_node[g.src])
    assert np.array_equal(g.dst_node, g.vertex_node[g.dst])
    assert g.carries.shape == (len(net.commodities), g.n_edges)


def _assert_vertices(net: corridor.Network) -> None:
    """Every (node, layer) a link touches, closed links included, plus each hub's arrival
    vertex; a node's vertices are those, without the border vertices."""
    g, ids = net.graph, [nd.node_id for nd in net.nodes]
    labels = _vertex_labels(net)
    real = {(lk.from_node, _layer(lk), "") for lk in net.links}
    real |= {(lk.to_node, _layer(lk), "") for lk in net.links}
    arrive = {(n, lay, "arrive") for n, lay in _hubs(net)}
    named = [lb for lb in labels if lb[1] != "border"]
    assert Counter(named) == Counter(real | arrive)
    for node, vertices in g.vertices_of_node.items():
        mine = [v for v, lb in enumerate(labels) if lb in real | arrive and lb[0] == ids[node]]
        assert sorted(vertices) == mine
    assert set(g.vertices_of_node) == {net.node_index[lb[0]] for lb in real}


def _rule(rows: dict[tuple[str, str], Any], cls: str, traffic: str) -> Any:
    for key in ((cls, traffic), (cls, "any"), ("general", traffic), ("general", "any")):
        if key in rows:
            return rows[key]
    return next(rows[k] for k in sorted(rows) if k[0] == "general")


def _assert_border_tables(net: corridor.Network) -> None:
    """Per crossing direction and border class, the dwell, fee and green lane of the row that
    applies (docs/network-format.md, crossings.csv), for transit and for import cargo."""
    g = net.graph
    classes = list(dict.fromkeys(["general", *(c.border_class for c in net.commodities)]))
    assert list(g.classes) == classes
    assert [g.classes[i] for i in g.commodity_class] == [c.border_class for c in net.commodities]
    rows: dict[tuple[str, bool], dict[tuple[str, str], Any]] = {}
    for c in net.crossings:
        figures = (c.dwell_median_h, c.dwell_p90_h, c.fee_usd_per_feu, c.green_lane)
        rows.setdefault((c.link_id, c.direction == "reverse"), {})[
            (c.commodity_class, c.traffic)
        ] = figures
    dirs = [(net.links[d.link].link_id, d.reverse) for d in g.crossing_directions]
    assert sorted(dirs) == sorted(rows)
    tables = {
        "transit": (g.dwell_median_h, g.dwell_p90_h, g.border_fee_feu, g.green_lane),
        "import": (
            g.import_dwell_median_h,
            g.import_dwell_p90_h,
            g.import_border_fee_feu,
            g.import_green_lane,
        ),
    }
    for d, (link_id, rev) in enumerate(dirs):
        link = net.link(link_id)
        assert g.entered_country[d] == net.node(link.from_node if rev else link.to_node).country
        for c, cls in enumerate(classes):
            for traffic, arrays in tables.items():
                want = _rule(rows[(link_id, rev)], cls, traffic)
                assert tuple(a[d, c] for a in arrays) == want, (link_id, rev, cls, traffic)


# ---------------------------------------------------------------- random packages


def _rewrite(folder: Path, name: str, change: Callable[[list[Row]], list[Row]]) -> None:
    path = folder / name
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        rows = change(list(reader))
        header = list(reader.fieldnames or ())
    fields = list(dict.fromkeys([*header, *(k for row in rows for k in row)]))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, restval="")
        writer.writeheader()
        writer.writerows(rows)


PROV = {"source": "t", "estimate": "false", "note": ""}


def _factor_row(activity: str, mode: str, carrier: str, wtw: float, **more: Any) -> Row:
    column = {"move": "tkm", "hub": "t", "reefer": "kwh"}[activity]
    row = {"activity": activity, "mode": mode, "energy_carrier": carrier}
    return row | {f"wtw_g_per_{column}": wtw, f"ttw_g_per_{column}": wtw / 2, **more, **PROV}


@dataclasses.dataclass
class Extras:
    reverse_factor: dict[str, float]
    closed: set[str]
    train_changes: list[Row]
    transfer_t_cost: list[int]
    traffic: list[str]
    road_vkm: tuple[float, float]
    factors: list[Row]


@st.composite
def packages(draw: st.DrawFn) -> tuple[Spec, Extras]:
    spec = draw(specs())
    lids = [lk["link_id"] for lk in spec.links]
    rails = sorted(
        {
            (e, f"rail_{lk['gauge_mm']}")
            for lk in spec.links
            if lk["mode"] == "rail"
            for e in (lk["from_node"], lk["to_node"])
        }
    )
    factors = [_factor_row("hub", "train_change", "-", draw(st.integers(0, 400)))]
    optional = [
        _factor_row("hub", "maritime_transshipment", "-", 1500),
        _factor_row("reefer", "rail", "-", 400),
        _factor_row("reefer", "terminal", "-", 600),
        _factor_row("reefer", "terminal", "electricity_aa", 900),
    ]
    extras = Extras(
        reverse_factor={lid: draw(st.sampled_from((1.0, 0.5, 1.25, 3.0))) for lid in lids},
        closed=_closed(draw, spec),
        train_changes=[_train_change(draw, n, lay) for n, lay in rails if draw(st.booleans())],
        transfer_t_cost=[draw(st.integers(0, 9)) for _ in spec.transfers],
        traffic=[
            draw(st.sampled_from(("any", "any", "import", "transit"))) for _ in spec.crossings
        ],
        road_vkm=(draw(st.sampled_from((0, 700))), draw(st.sampled_from((0.0, 0.25, 0.5)))),
        factors=factors + [row for row in optional if draw(st.booleans())],
    )
    return spec, extras


def _closed(draw: st.DrawFn, spec: Spec) -> set[str]:
    """Links to close, each mode keeping an open link (its edges show the mode's bit)."""
    closed: set[str] = set()
    for lk in spec.links:
        open_same = [
            o for o in spec.links if o["mode"] == lk["mode"] and o["link_id"] not in closed
        ]
        if len(open_same) > 1 and draw(st.integers(0, 5)) == 0:
            closed.add(lk["link_id"])
    return closed


def _train_change(draw: st.DrawFn, node: str, layer: str) -> Row:
    hours = draw(st.integers(0, 30))
    return {
        "node_id": node,
        "from_layer": layer,
        "to_layer": layer,
        "kind": "train_change",
        "duration_h": hours,
        "duration_p90_h": 2 * hours,
        "cost_usd_per_feu": draw(st.integers(0, 99)),
        **PROV,
    }


def write_widened(spec: Spec, extras: Extras, folder: Path) -> Path:
    write_package(spec, folder)

    def links(rows: list[Row]) -> list[Row]:
        for row in rows:
            row["tariff_reverse_factor"] = extras.reverse_factor[row["link_id"]]
            row["status"] = "closed" if row["link_id"] in extras.closed else "open"
        return rows

    def transfers(rows: list[Row]) -> list[Row]:
        for row, t_cost in zip(rows, extras.transfer_t_cost, strict=True):
            row["cost_usd_per_t"] = t_cost
        return rows + extras.train_changes

    def crossings(rows: list[Row]) -> list[Row]:
        for row, traffic in zip(rows, extras.traffic, strict=True):
            row["traffic"] = traffic
        return rows

    def factors(rows: list[Row]) -> list[Row]:
        vkm, empty = extras.road_vkm
        for row in rows:
            if row["mode"] == "road" and row["activity"] == "move":
                row |= {"wtw_g_per_vkm": vkm, "ttw_g_per_vkm": vkm / 2, "empty_share": empty}
        return rows + extras.factors

    for name, change in (
        ("links.csv", links),
        ("transfers.csv", transfers),
        ("crossings.csv", crossings),
        ("emission_factors.csv", factors),
    ):
        _rewrite(folder, name, change)
    return folder


def _load(spec: Spec, extras: Extras) -> corridor.Network:
    with tempfile.TemporaryDirectory() as tmp:
        return corridor.load_network(write_widened(spec, extras, Path(tmp) / "net"))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(package=packages())
def test_every_compiled_edge_carries_the_figures_of_its_row(package: tuple[Spec, Extras]) -> None:
    assert_graph_matches_rows(_load(*package))


# ---------------------------------------------------------------- plain cases, by hand

#  N0 (AA) ==L0 rail, crossing== N1 (BB, train-change hub) ==L1 rail== N2 (BB)
#  N1 --L2 ferry, crossing--> N3 (CC);  N1 ==L3 road== N2;  transshipments at N1: rail-ferry, rail-road
HUB_LINKS = [
    ("L0", "N0", "N1", "rail", 40, 10, True, 2, 100),
    ("L1", "N1", "N2", "rail", 30, 5, True, 1, 0),
    ("L2", "N1", "N3", "ferry", 45, 3, False, 0, 50),
    ("L3", "N1", "N2", "road", 20, 2, True, 3, 0),
]


def _hub_spec() -> Spec:
    spec = Spec(
        nodes=[{"node_id": f"N{i}", "country": c} for i, c in enumerate(("AA", "BB", "BB", "CC"))]
    )
    for lid, a, b, mode, km, hours, both, per_km, fixed in HUB_LINKS:
        spec.links.append(
            {
                "link_id": lid,
                "from_node": a,
                "to_node": b,
                "mode": mode,
                "gauge_mm": 1435 if mode == "rail" else None,
                "distance_km": km,
                "duration_h": hours,
                "bidirectional": both,
                "tariff_feu_km": per_km,
                "tariff_feu": fixed,
                "tariff_t_km": None,
            }
        )
    for lid, direction, cls, dwell, fee in (
        ("L0", "forward", "general", 6, 80),
        ("L0", "reverse", "general", 9, 40),
        ("L2", "forward", "general", 4, 10),
    ):
        spec.crossings.append(
            {
                "crossing_id": f"X{lid}",
                "link_id": lid,
                "direction": direction,
                "commodity_class": cls,
                "dwell": dwell,
                "fee": fee,
            }
        )
    for other, kind in (("ferry", "transshipment"), ("road", "transshipment")):
        spec.transfers.append(
            {
                "node_id": "N1",
                "from_layer": "rail_1435",
                "to_layer": other,
                "kind": kind,
                "duration": 4,
                "cost": 60,
            }
        )
    return spec


def _hub_extras(
    spec: Spec, factors: list[Row] | None = None, traffic: list[str] | None = None
) -> Extras:
    return Extras(
        reverse_factor={lk["link_id"]: 0.5 if lk["link_id"] == "L0" else 1.0 for lk in spec.links},
        closed=set(),
        train_changes=[
            {
                "node_id": "N1",
                "from_layer": "rail_1435",
                "to_layer": "rail_1435",
                "kind": "train_change",
                "duration_h": 12,
                "duration_p90_h": 20,
                "cost_usd_per_feu": 70,
                **PROV,
            }
        ],
        transfer_t_cost=[3 for _ in spec.transfers],
        traffic=traffic or ["any" for _ in spec.crossings],
        road_vkm=(700.0, 0.5),
        factors=[_factor_row("hub", "train_change", "-", 300)] + (factors or []),
    )


def _hub(factors: list[Row] | None = None) -> corridor.Network:
    spec = _hub_spec()
    return _load(spec, _hub_extras(spec, factors))


MARITIME = _factor_row("hub", "maritime_transshipment", "-", 1500)
REEFER = [
    _factor_row("reefer", "rail", "-", 400),
    _factor_row("reefer", "terminal", "-", 600),
    _factor_row("reefer", "terminal", "electricity_bb", 900),
]


def _edges(net: corridor.Network, kind: str, ref: Any) -> dict[tuple[Label, Label, bool], Row]:
    return {
        (u, v, ident[2]): row
        for (u, v, ident), row in compiled_edges(net).items()
        if ident[:2] == (kind, ref)
    }


def test_the_fixed_hub_network_matches_the_oracle() -> None:
    assert_graph_matches_rows(_hub([MARITIME, *REEFER]))


def test_border_and_transfer_edges_have_no_distance_and_no_emissions_of_a_move() -> None:
    net = _hub([MARITIME, *REEFER])
    zero = ("distance_km", "wtw_vehicle", "ttw_vehicle")
    border_zero = (*zero, "hours", "hours_p90", "feu_cost", "t_cost", "wtw", "ttw")
    borders = [*_edges(net, "BORDER", "L0").values(), *_edges(net, "BORDER", "L2").values()]
    assert len(borders) == 3 and all(row[c] == 0 for row in borders for c in border_zero)
    transfers = [row for t in range(3) for row in _edges(net, "TRANSFER", t).values()]
    assert len(transfers) == 7 and all(row[c] == 0 for row in transfers for c in zero)
    assert all(row["schedule"] is None and row["crossing"] is None for row in transfers)
    assert {row["t_cost"] for row in transfers} == {3.0, 0.0}  # the change row has none
    assert [row["crossing"] for row in borders] == ["XL0", "XL0", "XL2"]


def test_a_move_pays_per_vehicle_for_its_empty_running_and_carries_its_distance() -> None:
    net = _hub()
    (road,) = [row for (u, _v, rev), row in _edges(net, "MOVE", "L3").items() if not rev]
    assert road["distance_km"] == 20 and road["hours"] == 2 and road["feu_cost"] == 60
    assert road["wtw_vehicle"] == 700 * 20 / 0.5 and road["ttw_vehicle"] == 350 * 20 / 0.5
    assert road["wtw"] == 100 * 20 and road["ttw"] == 50 * 20


def test_a_bidirectional_links_reverse_move_pays_its_reverse_tariff_factor() -> None:
    moves = {rev: row["feu_cost"] for (_u, _v, rev), row in _edges(_hub(), "MOVE", "L0").items()}
    assert moves == {False: 2 * 40 + 100, True: 0.5 * (2 * 40 + 100)}


def test_a_train_change_hub_ends_its_layer_moves_at_an_arrival_vertex() -> None:
    net = _hub()
    arrive, depart = ("N1", "rail_1435", "arrive"), ("N1", "rail_1435", "")
    into = [v for (u, v, rev) in _edges(net, "MOVE", "L1") if rev] + [
        v for (u, v, rev) in _edges(net, "MOVE", "L0") if not rev
    ]
    assert into == [arrive, arrive]
    assert {u for (u, v, rev) in _edges(net, "MOVE", "L1") if not rev} == {depart}
    ((change, row),) = _edges(net, "TRANSFER", 2).items()
    assert change == (arrive, depart, False)
    assert (row["hours"], row["hours_p90"], row["feu_cost"], row["wtw"]) == (12, 20, 70, 300)


def test_a_hubs_other_transfers_leave_from_both_vertices_and_arrive_at_departure() -> None:
    arrive, depart = ("N1", "rail_1435", "arrive"), ("N1", "rail_1435", "")
    ferry = ("N1", "ferry", "")
    assert set(_edges(_hub(), "TRANSFER", 0)) == {
        (depart, ferry, False),
        (arrive, ferry, False),
        (ferry, depart, True),
    }


def test_a_transshipment_with_a_sea_or_ferry_side_uses_the_maritime_hub_factor() -> None:
    net = _hub([MARITIME])
    assert {row["wtw"] for row in _edges(net, "TRANSFER", 0).values()} == {1500}
    assert {row["wtw"] for row in _edges(net, "TRANSFER", 1).values()} == {1000}  # rail-road
    plain = _hub()
    assert {row["wtw"] for row in _edges(plain, "TRANSFER", 0).values()} == {1000}


def test_reefer_power_is_the_grid_at_terminals_and_the_mode_row_on_board_else_none() -> None:
    net = _hub(REEFER)
    assert {r["reefer_wtw"] for r in _edges(net, "TRANSFER", 0).values()} == {900}  # N1 in BB
    assert {r["reefer_wtw"] for r in _edges(net, "BORDER", "L0").values()} == {600, 900}
    assert {r["reefer_wtw"] for r in _edges(net, "MOVE", "L1").values()} == {400}
    assert {r["reefer_wtw"] for r in _edges(net, "MOVE", "L3").values()} == {0}  # no road row
    bare = _hub().graph  # a package without reefer rows
    assert not bare.reefer_wtw_g_per_kwh.any() and not bare.reefer_ttw_g_per_kwh.any()


def test_an_import_only_general_row_also_applies_to_transit_cargo() -> None:
    spec = _hub_spec()
    spec.crossings.append(
        {
            "crossing_id": "XL0",
            "link_id": "L0",
            "direction": "forward",
            "commodity_class": "agri",
            "dwell": 2,
            "fee": 5,
        }
    )
    net = _load(spec, _hub_extras(spec, traffic=["import", "any", "any", "transit"]))
    g = net.graph
    (d,) = [
        i
        for i, cd in enumerate(g.crossing_directions)
        if not cd.reverse and cd.crossing_id == "XL0"
    ]
    general, agri = g.classes.index("general"), g.classes.index("agri")
    assert (g.dwell_median_h[d, general], g.border_fee_feu[d, general]) == (6, 80)
    assert (g.dwell_median_h[d, agri], g.import_dwell_median_h[d, agri]) == (2, 6)
    assert_graph_matches_rows(net)


def test_moves_without_a_service_and_all_other_edges_have_no_schedule() -> None:
    g = _hub().graph
    assert set(g.schedule.tolist()) == {-1} and len(g.schedules) == 0
    assert set(g.crossdir[g.src_node != g.dst_node].tolist()) == {-1}


def test_the_compiled_graph_is_frozen_and_hashable_by_identity() -> None:
    """A graph can key a cache (its arrays would make a field-wise hash fail)."""
    net = _hub()
    g, crossing = net.graph, net.graph.crossing_directions[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        g.hours = g.hours_p90  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        crossing.reverse = not crossing.reverse  # type: ignore[misc]
    assert {g: 1}[g] == 1 and g != _hub().graph
