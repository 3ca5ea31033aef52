"""Random small network packages for property tests, and a brute-force route enumerator.

The enumerator works from the generated rows themselves, not from corridor's compiled graph:
it walks every path that never repeats a (node, layer) state and applies the documented
semantics (border dwell before the move, wait for the next weekly departure, transfers between
layers) with its own arithmetic. All figures are integers so ties are exact.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
COUNTRIES = ("AA", "BB", "CC")
CARRIER = {"rail": "electric", "road": "diesel", "ferry": "mdo", "pipeline": "pumps"}
MOVE_G = {"rail": 20, "road": 100, "ferry": 150, "pipeline": 5}
HUB_G = {"gauge_change": 500, "transshipment": 1000}
COMMODITY_MODES = {
    "general": ("rail", "road", "ferry"),
    "agri": ("rail", "road", "ferry"),
    "crude": ("pipeline",),
}
CLASS = {"general": "general", "agri": "agri", "crude": "bulk"}
TONNES = {"general": 20, "agri": 20, "crude": 1000}  # one 40' box at 10 t/TEU; bulk default


@dataclass
class Spec:
    nodes: list[dict[str, Any]] = field(default_factory=list)
    links: list[dict[str, Any]] = field(default_factory=list)
    transfers: list[dict[str, Any]] = field(default_factory=list)
    crossings: list[dict[str, Any]] = field(default_factory=list)
    services: list[dict[str, Any]] = field(default_factory=list)


def layer(link: dict[str, Any]) -> str:
    return f"rail_{link['gauge_mm']}" if link["mode"] == "rail" else link["mode"]


@st.composite
def specs(draw: st.DrawFn) -> Spec:
    spec = Spec()
    n = draw(st.integers(3, 6))
    for i in range(n):
        spec.nodes.append({"node_id": f"N{i}", "country": draw(st.sampled_from(COUNTRIES))})
    n_links = draw(st.integers(n, 3 * n))
    pairs = [(a, b) for a in range(n) for b in range(n) if a != b]
    for j in range(n_links):
        a, b = draw(st.sampled_from(pairs))
        mode = draw(st.sampled_from(("rail", "rail", "road", "ferry", "pipeline")))
        spec.links.append(
            {
                "link_id": f"L{j}",
                "from_node": f"N{a}",
                "to_node": f"N{b}",
                "mode": mode,
                "gauge_mm": draw(st.sampled_from((1435, 1520))) if mode == "rail" else None,
                "distance_km": 5 * draw(st.integers(1, 9)),  # <= 45 km/h: every mode's limit
                "duration_h": draw(st.integers(1, 30)),
                "bidirectional": draw(st.booleans()),
                "tariff_feu_km": draw(st.integers(0, 3)),
                "tariff_feu": draw(st.integers(0, 200)),
                "tariff_t_km": draw(st.integers(1, 2)) if mode == "pipeline" else None,
            }
        )
    linked = {lk["from_node"] for lk in spec.links} | {lk["to_node"] for lk in spec.links}
    for node in spec.nodes:  # every node needs a link
        if node["node_id"] not in linked:
            other = "N0" if node["node_id"] != "N0" else "N1"
            spec.links.append(
                {
                    "link_id": f"L{len(spec.links)}",
                    "from_node": node["node_id"],
                    "to_node": other,
                    "mode": "road",
                    "gauge_mm": None,
                    "distance_km": 300,
                    "duration_h": 10,
                    "bidirectional": True,
                    "tariff_feu_km": 1,
                    "tariff_feu": 0,
                    "tariff_t_km": None,
                }
            )
    country = {nd["node_id"]: nd["country"] for nd in spec.nodes}
    for lk in spec.links:
        if lk["mode"] == "pipeline" or country[lk["from_node"]] == country[lk["to_node"]]:
            continue
        for direction in ("forward", "reverse") if lk["bidirectional"] else ("forward",):
            median = draw(st.integers(0, 40))
            spec.crossings.append(
                {
                    "crossing_id": f"X{lk['link_id']}",
                    "link_id": lk["link_id"],
                    "direction": direction,
                    "commodity_class": "general",
                    "dwell": median,
                    "fee": draw(st.integers(0, 300)),
                }
            )
            if draw(st.booleans()):
                spec.crossings.append(
                    {
                        "crossing_id": f"X{lk['link_id']}",
                        "link_id": lk["link_id"],
                        "direction": direction,
                        "commodity_class": "agri",
                        "dwell": draw(st.integers(0, median)),
                        "fee": draw(st.integers(0, 300)),
                    }
                )
    layers: dict[str, set[str]] = {nd["node_id"]: set() for nd in spec.nodes}
    for lk in spec.links:
        layers[lk["from_node"]].add(layer(lk))
        layers[lk["to_node"]].add(layer(lk))
    for node_id, present in layers.items():
        ordered = sorted(present - {"pipeline"})
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                if draw(st.booleans()):
                    kind = (
                        "gauge_change"
                        if a.startswith("rail") and b.startswith("rail")
                        else ("transshipment")
                    )
                    spec.transfers.append(
                        {
                            "node_id": node_id,
                            "from_layer": a,
                            "to_layer": b,
                            "kind": kind,
                            "duration": draw(st.integers(0, 12)),
                            "cost": draw(st.integers(0, 150)),
                        }
                    )
    for lk in spec.links:
        if lk["mode"] == "pipeline" or draw(st.integers(0, 2)) != 0:
            continue
        direction = (
            draw(st.sampled_from(("forward", "reverse", "both")))
            if lk["bidirectional"]
            else "forward"
        )
        if draw(st.booleans()):
            days = sorted(
                draw(st.sets(st.sampled_from(WEEKDAYS), min_size=1, max_size=3)), key=WEEKDAYS.index
            )
            spec.services.append(
                {
                    "service_id": f"S{lk['link_id']}",
                    "link_id": lk["link_id"],
                    "direction": direction,
                    "kind": "weekly",
                    "weekdays": days,
                    "hour": draw(st.integers(0, 23)),
                }
            )
        else:
            headway = draw(st.sampled_from((24, 56, 84, 168)))
            spec.services.append(
                {
                    "service_id": f"S{lk['link_id']}",
                    "link_id": lk["link_id"],
                    "direction": direction,
                    "kind": "headway",
                    "headway": headway,
                    "offset": draw(st.integers(0, headway - 1)),
                }
            )
    return spec


def write_package(spec: Spec, folder: Path) -> Path:
    """Write `spec` as a network package in `folder`, in the documented format."""
    folder.mkdir(parents=True, exist_ok=True)
    prov = {"source": "t", "estimate": "false", "note": ""}
    (folder / "manifest.toml").write_text(
        'name = "random"\nversion = "0"\ncurrency = "USD"\nreference_year = 2024\n'
        "[cargo]\ntonnes_per_teu = 10.0\nteu_cost_factor = 0.5\n"
        '[[sources]]\nid = "t"\ntitle = "generated"\ndocument = "hypothesis"\nyear = 2024\n',
        encoding="utf-8",
    )

    def table(name: str, rows: list[dict[str, Any]], header: dict[str, Any] | None = None) -> None:
        with (folder / name).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(header or rows[0]))
            writer.writeheader()
            writer.writerows(rows)

    table(
        "nodes.csv",
        [
            {
                "node_id": nd["node_id"],
                "name": f"Place {nd['node_id']}",
                "country": nd["country"],
                "kind": "city",
                "lat": 40,
                "lon": 60 + i,
                **prov,
            }
            for i, nd in enumerate(spec.nodes)
        ],
    )
    table(
        "links.csv",
        [
            {
                "link_id": lk["link_id"],
                "from_node": lk["from_node"],
                "to_node": lk["to_node"],
                "mode": lk["mode"],
                "gauge_mm": lk["gauge_mm"] or "",
                "distance_km": lk["distance_km"],
                "duration_h": lk["duration_h"],
                "bidirectional": str(lk["bidirectional"]).lower(),
                "energy_carrier": CARRIER[lk["mode"]],
                "tariff_usd_per_feu_km": "" if lk["mode"] == "pipeline" else lk["tariff_feu_km"],
                "tariff_usd_per_feu": lk["tariff_feu"],
                "tariff_usd_per_t_km": lk["tariff_t_km"] or "",
                "commodities": "crude" if lk["mode"] == "pipeline" else "*",
                **prov,
            }
            for lk in spec.links
        ],
    )
    transfer_header = {
        "node_id": "",
        "from_layer": "",
        "to_layer": "",
        "kind": "",
        "duration_h": "",
        "duration_p90_h": "",
        "cost_usd_per_feu": "",
        **prov,
    }
    table(
        "transfers.csv",
        [
            {
                "node_id": t["node_id"],
                "from_layer": t["from_layer"],
                "to_layer": t["to_layer"],
                "kind": t["kind"],
                "duration_h": t["duration"],
                "duration_p90_h": t["duration"] * 2,
                "cost_usd_per_feu": t["cost"],
                **prov,
            }
            for t in spec.transfers
        ],
        transfer_header,
    )
    crossing_header = {
        "crossing_id": "",
        "name": "",
        "link_id": "",
        "direction": "",
        "commodity_class": "",
        "dwell_median_h": "",
        "dwell_p90_h": "",
        "green_lane": "",
        "fee_usd_per_feu": "",
        **prov,
    }
    table(
        "crossings.csv",
        [
            {
                "crossing_id": c["crossing_id"],
                "name": c["crossing_id"],
                "link_id": c["link_id"],
                "direction": c["direction"],
                "commodity_class": c["commodity_class"],
                "dwell_median_h": c["dwell"],
                "dwell_p90_h": c["dwell"] * 3,
                "green_lane": str(c["commodity_class"] == "agri").lower(),
                "fee_usd_per_feu": c["fee"],
                **prov,
            }
            for c in spec.crossings
        ],
        crossing_header,
    )
    service_header = {
        "service_id": "",
        "link_id": "",
        "direction": "",
        "kind": "",
        "weekdays": "",
        "departure_utc": "",
        "headway_h": "",
        "offset_h": "",
        **prov,
    }
    table(
        "services.csv",
        [
            {
                "service_id": s["service_id"],
                "link_id": s["link_id"],
                "direction": s["direction"],
                "kind": s["kind"],
                "weekdays": ";".join(s.get("weekdays", [])),
                "departure_utc": f"{s['hour']:02d}:00" if s["kind"] == "weekly" else "",
                "headway_h": s.get("headway", ""),
                "offset_h": s.get("offset", ""),
                **prov,
            }
            for s in spec.services
        ],
        service_header,
    )
    table(
        "commodities.csv",
        [
            {
                "commodity": c,
                "name": c,
                "unit": "tonne" if c == "crude" else "container",
                "border_class": CLASS[c],
                "modes": ";".join(m),
                **prov,
            }
            for c, m in COMMODITY_MODES.items()
        ],
    )
    table(
        "emission_factors.csv",
        [
            *(
                {
                    "activity": "move",
                    "mode": m,
                    "energy_carrier": CARRIER[m],
                    "wtw_g_per_tkm": g,
                    "ttw_g_per_tkm": g // 2,
                    "wtw_g_per_t": "",
                    "ttw_g_per_t": "",
                    **prov,
                }
                for m, g in MOVE_G.items()
            ),
            *(
                {
                    "activity": "hub",
                    "mode": k,
                    "energy_carrier": "-",
                    "wtw_g_per_tkm": "",
                    "ttw_g_per_tkm": "",
                    "wtw_g_per_t": g,
                    "ttw_g_per_t": g // 2,
                    **prov,
                }
                for k, g in HUB_G.items()
            ),
        ],
    )
    return folder


def departures(service: dict[str, Any]) -> list[int]:
    """Weekly departure hours of a generated service, in [0, 168)."""
    if service["kind"] == "weekly":
        return sorted(WEEKDAYS.index(d) * 24 + service["hour"] for d in service["weekdays"])
    return list(range(service["offset"], 168, service["headway"]))


def next_departure(t: int, hours: list[int]) -> int:
    """Scan forward hour by hour: slow, obviously right."""
    while t % 168 not in hours:
        t += 1
    return t


@dataclass(frozen=True)
class Found:
    time: int  # arrival, hours since the search start
    cost: int
    co2e: float
    transfers: int
    corridor: tuple[str, ...] = ()  # the crossings passed, in order


def brute_force(
    spec: Spec,
    origin: str,
    destination: str,
    commodity: str,
    start: int,
    avoid_countries: frozenset[str] = frozenset(),
    avoid_modes: frozenset[str] = frozenset(),
    avoid_nodes: frozenset[str] = frozenset(),
    max_transfers: int | None = None,
) -> list[Found]:
    """Every route that never repeats a (node, layer) state, with its totals."""
    country = {nd["node_id"]: nd["country"] for nd in spec.nodes}
    modes = COMMODITY_MODES[commodity]
    tonnes = TONNES[commodity]
    bulk = commodity == "crude"

    def node_ok(node: str) -> bool:
        return node not in avoid_nodes and country[node] not in avoid_countries

    def mode_ok(mode: str) -> bool:
        return mode in modes and mode not in avoid_modes

    schedules: dict[tuple[str, str], list[int]] = {}
    for s in spec.services:
        for d in ("forward", "reverse") if s["direction"] == "both" else (s["direction"],):
            schedules.setdefault((s["link_id"], d), []).extend(departures(s))
    dwell: dict[tuple[str, str, str], tuple[int, int]] = {}
    for c in spec.crossings:
        dwell[(c["link_id"], c["direction"], c["commodity_class"])] = (c["dwell"], c["fee"])

    moves = []  # (from, to, layer, link, direction)
    for lk in spec.links:
        moves.append((lk["from_node"], lk["to_node"], layer(lk), lk, "forward"))
        if lk["bidirectional"]:
            moves.append((lk["to_node"], lk["from_node"], layer(lk), lk, "reverse"))

    found: list[Found] = []
    start_layers = {lay for a, b, lay, lk, d in moves if a == origin or b == origin}

    def walk(
        node: str,
        lay: str,
        t: int,
        cost: int,
        co2: float,
        k: int,
        seen: frozenset[tuple[str, str]],
        corridor: tuple[str, ...] = (),
    ) -> None:
        if node == destination:
            found.append(Found(t - start, cost, co2, k, corridor))
            return
        for a, b, lay2, lk, d in moves:
            if a != node or lay2 != lay or (b, lay) in seen:
                continue
            if not mode_ok(lk["mode"]) or not node_ok(b):
                continue
            if bulk != (lk["mode"] == "pipeline"):
                continue
            t2, c2, passed = t, cost, corridor
            rule = dwell.get((lk["link_id"], d, CLASS[commodity])) or dwell.get(
                (lk["link_id"], d, "general")
            )
            if rule is not None:
                t2 += rule[0]
                c2 += 0 if bulk else rule[1]
                passed = (*corridor, f"X{lk['link_id']}")
            if (lk["link_id"], d) in schedules:
                t2 = next_departure(t2, sorted(set(schedules[(lk["link_id"], d)])))
            t2 += lk["duration_h"]
            if bulk:
                c2 += tonnes * lk["tariff_t_km"] * lk["distance_km"]
            else:
                c2 += lk["tariff_feu_km"] * lk["distance_km"] + lk["tariff_feu"]
            e2 = co2 + tonnes * MOVE_G[lk["mode"]] * lk["distance_km"] / 1000
            walk(b, lay, t2, c2, e2, k, seen | {(b, lay)}, passed)
        for tr in spec.transfers:
            if tr["node_id"] != node or lay not in (tr["from_layer"], tr["to_layer"]):
                continue
            other = tr["to_layer"] if lay == tr["from_layer"] else tr["from_layer"]
            if (node, other) in seen:
                continue
            if not all(mode_ok("rail" if x.startswith("rail") else x) for x in (lay, other)):
                continue
            if max_transfers is not None and k + 1 > max_transfers:
                continue
            walk(
                node,
                other,
                t + tr["duration"],
                cost + (0 if bulk else tr["cost"]),
                co2 + tonnes * HUB_G[tr["kind"]] / 1000,
                k + 1,
                seen | {(node, other)},
                corridor,
            )

    for lay in sorted(start_layers):
        walk(origin, lay, start, 0, 0.0, 0, frozenset({(origin, lay)}))
    return found


def pareto_vectors(found: list[Found], criteria: tuple[str, ...]) -> set[tuple[float, ...]]:
    """The distinct non-dominated vectors over `criteria`."""
    vectors = {tuple(round(float(getattr(f, c)), 6) for c in criteria) for f in found}
    return {
        v
        for v in vectors
        if not any(w != v and all(a <= b for a, b in zip(w, v, strict=True)) for w in vectors)
    }
