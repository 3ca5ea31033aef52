"""Train changes against an independent enumerator on random small rail networks.

The enumerator walks the generated rows, never corridor's compiled graph: every walk from the
origin that uses no link direction or transfer direction twice and stops at the destination. It
prices a walk step by step from its sequence of moves and transfers, adding a train change itself
wherever two consecutive moves meet at a node on the same layer and the node has a `train_change`
row for that layer (a transfer between them, or the walk's start or end, pays none). The planner's
exact Pareto set over time, cost and CO2e must equal the enumerator's.
"""

from __future__ import annotations

import csv
import tempfile
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import corridor
from corridor.errors import NoRouteError
from corridor.routing.clock import EPOCH

TONNES = 20  # one 40' box at the package's 10 t per TEU
MOVE_G = {"rail": 20, "road": 100}
HUB_G = {"gauge_change": 500, "transshipment": 1000, "train_change": 300}
LAYERS = ("rail_1435", "rail_1520", "road")


@dataclass
class Net:
    nodes: list[str] = field(default_factory=list)
    links: list[dict[str, Any]] = field(default_factory=list)
    transfers: list[dict[str, Any]] = field(default_factory=list)
    crossings: dict[tuple[str, bool], tuple[int, int]] = field(default_factory=dict)
    headways: dict[tuple[str, bool], tuple[int, int]] = field(default_factory=dict)


@st.composite
def networks(draw: st.DrawFn) -> Net:
    net = Net(nodes=[f"N{i}" for i in range(draw(st.integers(3, 5)))])
    n = len(net.nodes)
    pairs = [(a, b) for a in range(n) for b in range(n) if a != b]
    chain = [(i, i + 1) for i in range(n - 1)]  # every node linked
    extra = draw(st.lists(st.sampled_from(pairs), min_size=0, max_size=n))
    for j, (a, b) in enumerate(chain + extra):
        layer = draw(st.sampled_from(("rail_1435", "rail_1435", "rail_1435", "rail_1520", "road")))
        link = {
            "link_id": f"L{j}",
            "from": f"N{a}",
            "to": f"N{b}",
            "layer": layer,
            "km": 5 * draw(st.integers(1, 9)),
            "hours": draw(st.integers(1, 30)),
            "both": draw(st.booleans()) or j < n - 1,
            "per_km": draw(st.integers(0, 3)),
            "fixed": draw(st.integers(0, 200)),
        }
        net.links.append(link)
        for rev in (False, True) if link["both"] else (False,):
            if draw(st.integers(0, 3)) == 0:
                net.crossings[(link["link_id"], rev)] = (
                    draw(st.integers(0, 20)),
                    draw(st.integers(0, 100)),
                )
            if draw(st.integers(0, 3)) == 0:
                headway = draw(st.sampled_from((24, 56, 84)))
                net.headways[(link["link_id"], rev)] = (headway, draw(st.integers(0, headway - 1)))
    present: dict[str, set[str]] = {node: set() for node in net.nodes}
    for link in net.links:
        present[link["from"]].add(link["layer"])
        present[link["to"]].add(link["layer"])
    for node in net.nodes:
        ordered = sorted(present[node])
        for i, a in enumerate(ordered):
            if a.startswith("rail") and draw(st.integers(0, 2)) > 0:
                net.transfers.append(_transfer(draw, node, a, a, "train_change"))
            for b in ordered[i + 1 :]:
                if draw(st.booleans()):
                    rail = a.startswith("rail") and b.startswith("rail")
                    kind = "gauge_change" if rail else "transshipment"
                    net.transfers.append(_transfer(draw, node, a, b, kind))
    return net


def _transfer(draw: st.DrawFn, node: str, a: str, b: str, kind: str) -> dict[str, Any]:
    return {
        "node": node,
        "from": a,
        "to": b,
        "kind": kind,
        "hours": draw(st.integers(0, 12)),
        "cost": draw(st.integers(0, 150)),
    }


def _write(net: Net, folder: Path) -> Path:
    """`net` as a network package (one country per node, so every crossing is a border)."""
    folder.mkdir(parents=True)
    (folder / "manifest.toml").write_text(
        'name = "trains"\nversion = "0"\ncurrency = "USD"\nreference_year = 2024\n'
        "[cargo]\ntonnes_per_teu = 10.0\nteu_cost_factor = 0.5\n"
        '[[sources]]\nid = "t"\ntitle = "generated"\ndocument = "hypothesis"\nyear = 2024\n',
        encoding="utf-8",
    )
    prov = ["t", "false", ""]

    def table(name: str, header: list[str], rows: list[list[Any]]) -> None:
        with (folder / name).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow([*header, "source", "estimate", "note"])
            writer.writerows([*row, *prov] for row in rows)

    countries = {node: f"C{chr(65 + i)}" for i, node in enumerate(net.nodes)}
    table(
        "nodes.csv",
        ["node_id", "name", "country", "kind", "lat", "lon"],
        [[node, node, countries[node], "city", 40, 60 + i] for i, node in enumerate(net.nodes)],
    )
    table(
        "links.csv",
        [
            "link_id", "from_node", "to_node", "mode", "gauge_mm", "distance_km", "duration_h",
            "bidirectional", "energy_carrier", "tariff_usd_per_feu_km", "tariff_usd_per_feu",
            "commodities",
        ],
        [
            [
                lk["link_id"], lk["from"], lk["to"], lk["layer"].split("_")[0],
                lk["layer"].split("_")[1] if "_" in lk["layer"] else "", lk["km"], lk["hours"],
                str(lk["both"]).lower(), "diesel", lk["per_km"], lk["fixed"], "*",
            ]
            for lk in net.links
        ],
    )  # fmt: skip
    table(
        "transfers.csv",
        ["node_id", "from_layer", "to_layer", "kind", "duration_h", "duration_p90_h",
         "cost_usd_per_feu"],
        [[t["node"], t["from"], t["to"], t["kind"], t["hours"], 2 * t["hours"], t["cost"]]
         for t in net.transfers],
    )  # fmt: skip
    crossing_rows: list[list[Any]] = []
    for lk in net.links:  # every link joins two countries: each direction needs a border row
        for rev in (False, True) if lk["both"] else (False,):
            dwell, fee = net.crossings.get((lk["link_id"], rev), (0, 0))
            direction = "reverse" if rev else "forward"
            crossing_rows.append(
                [f"X{lk['link_id']}", lk["link_id"], lk["link_id"], direction, "general",
                 dwell, dwell, "false", fee]
            )  # fmt: skip
    table(
        "crossings.csv",
        ["crossing_id", "name", "link_id", "direction", "commodity_class", "dwell_median_h",
         "dwell_p90_h", "green_lane", "fee_usd_per_feu"],
        crossing_rows,
    )  # fmt: skip
    table(
        "services.csv",
        ["service_id", "link_id", "direction", "kind", "headway_h", "offset_h"],
        [[f"S{link}{int(rev)}", link, "reverse" if rev else "forward", "headway", h, off]
         for (link, rev), (h, off) in net.headways.items()],
    )  # fmt: skip
    table(
        "commodities.csv",
        ["commodity", "name", "unit", "border_class", "modes"],
        [["general", "general", "container", "general", "rail;road"]],
    )
    table(
        "emission_factors.csv",
        ["activity", "mode", "energy_carrier", "wtw_g_per_tkm", "ttw_g_per_tkm", "wtw_g_per_t",
         "ttw_g_per_t"],
        [["move", m, "diesel", g, g // 2, "", ""] for m, g in MOVE_G.items()]
        + [["hub", k, "-", "", "", g, g // 2] for k, g in HUB_G.items()],
    )  # fmt: skip
    return folder


def _next_departure(t: int, headway: int, offset: int) -> int:
    while (t - offset) % headway:  # hour by hour: slow, obviously right
        t += 1
    return t


def _walks(net: Net, origin: str, destination: str) -> list[list[tuple[str, Any, bool]]]:
    """Every walk origin -> destination that repeats no step: ("move", link, reverse) and
    ("transfer", row, reverse) steps; the walk stops where it first reaches the destination."""
    out: list[list[tuple[str, Any, bool]]] = []

    def extend(node: str, layer: str | None, walk: list[tuple[str, Any, bool]]) -> None:
        if node == destination and walk:
            out.append(walk)
            return
        for lk in net.links:
            for rev in (False, True) if lk["both"] else (False,):
                a, b = (lk["to"], lk["from"]) if rev else (lk["from"], lk["to"])
                step = ("move", lk["link_id"], rev)
                if a == node and layer in (None, lk["layer"]) and step not in walk:
                    extend(b, lk["layer"], [*walk, step])
        for i, t in enumerate(net.transfers):
            if t["kind"] == "train_change" or t["node"] != node:
                continue
            for rev, (a, b) in ((False, (t["from"], t["to"])), (True, (t["to"], t["from"]))):
                step = ("transfer", i, rev)
                if layer in (None, a) and step not in walk:
                    extend(node, b, [*walk, step])

    extend(origin, None, [])
    return out


def _price(net: Net, walk: list[tuple[str, Any, bool]], start: int) -> tuple[int, int, float]:
    """(hours, USD, kg CO2e) of a walk, train changes added between consecutive moves."""
    links = {lk["link_id"]: lk for lk in net.links}
    changes = {(t["node"], t["from"]): t for t in net.transfers if t["kind"] == "train_change"}
    t, cost, co2 = start, 0, 0.0
    previous: dict[str, Any] | None = None  # the link the box arrived on, if the last step moved
    for kind, ref, rev in walk:
        if kind == "transfer":
            row = net.transfers[ref]
            t, cost, co2 = (
                t + row["hours"],
                cost + row["cost"],
                co2 + TONNES * HUB_G[row["kind"]] / 1000,
            )
            previous = None
            continue
        lk = links[ref]
        here = lk["to"] if rev else lk["from"]
        change = changes.get((here, lk["layer"]))
        if previous is not None and change is not None:
            t, cost = t + change["hours"], cost + change["cost"]
            co2 += TONNES * HUB_G["train_change"] / 1000
        dwell, fee = net.crossings.get((ref, rev), (0, 0))
        t, cost = t + dwell, cost + fee
        if (ref, rev) in net.headways:
            t = _next_departure(t, *net.headways[(ref, rev)])
        t += lk["hours"]
        cost += lk["per_km"] * lk["km"] + lk["fixed"]
        co2 += TONNES * MOVE_G[lk["layer"].split("_")[0]] * lk["km"] / 1000
        previous = lk
    return t - start, cost, co2


def _pareto(vectors: set[tuple[float, ...]]) -> set[tuple[float, ...]]:
    return {
        v
        for v in vectors
        if not any(w != v and all(a <= b for a, b in zip(w, v, strict=True)) for w in vectors)
    }


def _round(*values: float) -> tuple[float, ...]:
    return tuple(round(float(v), 6) for v in values)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    net=networks(), od=st.tuples(st.integers(0, 4), st.integers(0, 4)), start=st.integers(0, 167)
)
def test_pareto_set_with_train_changes_equals_the_enumeration(
    net: Net, od: tuple[int, int], start: int
) -> None:
    n = len(net.nodes)
    a = od[0] % n
    origin, destination = f"N{a}", f"N{(a + 1 + od[1] % (n - 1)) % n}"
    expected = _pareto({_round(*_price(net, w, start)) for w in _walks(net, origin, destination)})
    with tempfile.TemporaryDirectory() as tmp:
        network = corridor.load_network(_write(net, Path(tmp) / "net"))
    query = corridor.Query(
        origin=origin,
        destination=destination,
        depart=EPOCH + timedelta(hours=start),
        criteria=("time", "cost", "co2e"),
        alternatives=0,
        thin=False,
    )
    try:
        routes = corridor.plan(network, query).routes
    except NoRouteError:
        routes = ()
    got = {_round(r.transit_hours, r.cost_usd, r.co2e_kg) for r in routes}
    changed = any("train change" in leg.detail for r in routes for leg in r.legs)
    event(f"a route changes trains: {changed}")
    assert got == expected
