"""Random small network packages with every kind of capacity, for the assignment oracles.

Two countries, rail in two gauges and road, so routes cross borders (crossing rows per direction,
some with an agri row of their own), change gauge or mode at terminals (transfer rows) or trains
at hubs (`train_change` rows), and wait
for timetabled services (one or two per link direction). Link directions, crossings (their
link), services and terminals may each declare a TEU/week capacity, drawn small against the
demand so that they bind.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

PROV = {"source": "t", "estimate": "false", "note": ""}
CARRIER = {"rail": "electric", "road": "diesel"}


@dataclass
class Spec:
    nodes: list[dict[str, Any]] = field(default_factory=list)
    links: list[dict[str, Any]] = field(default_factory=list)
    crossings: list[dict[str, Any]] = field(default_factory=list)
    transfers: list[dict[str, Any]] = field(default_factory=list)
    services: list[dict[str, Any]] = field(default_factory=list)
    demand: list[tuple[str, str, str, int]] = field(default_factory=list)


def layer(link: dict[str, Any]) -> str:
    return f"rail_{link['gauge_mm']}" if link["mode"] == "rail" else link["mode"]


def _capacity(draw: st.DrawFn, top: int) -> int | None:
    return draw(st.one_of(st.none(), st.integers(1, top)))


@st.composite
def specs(draw: st.DrawFn, *, max_pairs: int = 3, top: int = 20) -> Spec:
    spec = Spec()
    n = draw(st.integers(3, 5))
    for i in range(n):
        spec.nodes.append({"node_id": f"N{i}", "country": draw(st.sampled_from(("AA", "BB")))})
    ends = [(a, b) for a in range(n) for b in range(n) if a != b]
    ring = [(i, (i + 1) % n) for i in range(n)]
    extra = draw(st.lists(st.sampled_from(ends), max_size=2 * n))
    for j, (a, b) in enumerate(ring + extra):
        mode = draw(st.sampled_from(("rail", "rail", "road")))
        spec.links.append(
            {
                "link_id": f"L{j}",
                "from_node": f"N{a}",
                "to_node": f"N{b}",
                "mode": mode,
                "gauge_mm": draw(st.sampled_from((1435, 1520))) if mode == "rail" else None,
                "distance_km": draw(st.integers(1, 50)),
                "duration_h": draw(st.integers(1, 30)),
                "bidirectional": draw(st.booleans()),
                "tariff_km": draw(st.integers(1, 3)),
                "tariff_feu": draw(st.integers(0, 40)),
                "capacity": _capacity(draw, top),
            }
        )
    country = {nd["node_id"]: nd["country"] for nd in spec.nodes}
    for lk in spec.links:
        if country[lk["from_node"]] == country[lk["to_node"]]:
            continue
        for direction in ("forward", "reverse") if lk["bidirectional"] else ("forward",):
            classes = ["general", "agri"] if draw(st.booleans()) else ["general"]
            for cls in classes:
                spec.crossings.append(
                    {
                        "crossing_id": f"X{lk['link_id']}",
                        "link_id": lk["link_id"],
                        "direction": direction,
                        "class": cls,
                        "dwell": draw(st.integers(0, 30)),
                        "fee": draw(st.integers(0, 200)),
                    }
                )
    layers: dict[str, set[str]] = {nd["node_id"]: set() for nd in spec.nodes}
    for lk in spec.links:
        layers[lk["from_node"]].add(layer(lk))
        layers[lk["to_node"]].add(layer(lk))
    for node_id, present in layers.items():
        ordered = sorted(present)
        for i, a in enumerate(ordered):
            if a.startswith("rail") and draw(st.integers(0, 2)) == 0:  # trains end here
                spec.transfers.append(
                    {
                        "node_id": node_id,
                        "from_layer": a,
                        "to_layer": a,
                        "kind": "train_change",
                        "duration": draw(st.integers(0, 24)),
                        "cost": draw(st.integers(0, 100)),
                        "capacity": _capacity(draw, top),
                    }
                )
            for b in ordered[i + 1 :]:
                if draw(st.integers(0, 3)) == 0:
                    continue
                rails = a.startswith("rail") and b.startswith("rail")
                spec.transfers.append(
                    {
                        "node_id": node_id,
                        "from_layer": a,
                        "to_layer": b,
                        "kind": "gauge_change" if rails else "transshipment",
                        "duration": draw(st.integers(0, 12)),
                        "cost": draw(st.integers(0, 100)),
                        "capacity": _capacity(draw, top),
                    }
                )
    for lk in spec.links:
        if draw(st.integers(0, 2)) != 0:
            continue
        for k in range(draw(st.integers(1, 2))):
            headway = draw(st.sampled_from((24, 56, 84, 168)))
            spec.services.append(
                {
                    "service_id": f"S{lk['link_id']}_{k}",
                    "link_id": lk["link_id"],
                    "direction": draw(st.sampled_from(("forward", "reverse", "both")))
                    if lk["bidirectional"]
                    else "forward",
                    "headway": headway,
                    "offset": draw(st.integers(0, headway - 1)),
                    "capacity": _capacity(draw, top),
                }
            )
    pairs = draw(st.lists(st.sampled_from(ends), min_size=1, max_size=max_pairs))
    for a, b in pairs:
        commodity = draw(st.sampled_from(("general", "agri")))
        spec.demand.append((f"N{a}", f"N{b}", commodity, draw(st.integers(1, 2 * top))))
    return spec


def _table(path: Path, header: list[str], rows: list[dict[str, Any]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows({**dict.fromkeys(header, ""), **row} for row in rows)


def write_package(spec: Spec, folder: Path) -> Path:
    """Write `spec` as a network package (and its demand.csv) in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "manifest.toml").write_text(
        'name = "capacities"\nversion = "0"\ncurrency = "USD"\nreference_year = 2024\n'
        "[cargo]\ntonnes_per_teu = 10.0\nteu_cost_factor = 0.5\n"
        '[[sources]]\nid = "t"\ntitle = "generated"\ndocument = "hypothesis"\nyear = 2024\n',
        encoding="utf-8",
    )
    prov = list(PROV)
    _table(
        folder / "nodes.csv",
        ["node_id", "name", "country", "kind", "lat", "lon", *prov],
        [
            {**nd, "name": f"Place {nd['node_id']}", "kind": "city", "lat": 40, "lon": 60 + i,
             **PROV}
            for i, nd in enumerate(spec.nodes)
        ],
    )  # fmt: skip
    _table(
        folder / "links.csv",
        ["link_id", "from_node", "to_node", "mode", "gauge_mm", "distance_km", "duration_h",
         "bidirectional", "energy_carrier", "tariff_usd_per_feu_km", "tariff_usd_per_feu",
         "capacity_teu_per_week", "commodities", *prov],
        [
            {"link_id": lk["link_id"], "from_node": lk["from_node"], "to_node": lk["to_node"],
             "mode": lk["mode"], "gauge_mm": lk["gauge_mm"] or "",
             "distance_km": lk["distance_km"], "duration_h": lk["duration_h"],
             "bidirectional": str(lk["bidirectional"]).lower(),
             "energy_carrier": CARRIER[lk["mode"]], "tariff_usd_per_feu_km": lk["tariff_km"],
             "tariff_usd_per_feu": lk["tariff_feu"],
             "capacity_teu_per_week": lk["capacity"] or "", "commodities": "*", **PROV}
            for lk in spec.links
        ],
    )  # fmt: skip
    _table(
        folder / "crossings.csv",
        ["crossing_id", "name", "link_id", "direction", "commodity_class", "dwell_median_h",
         "dwell_p90_h", "green_lane", "fee_usd_per_feu", *prov],
        [
            {"crossing_id": c["crossing_id"], "name": c["crossing_id"], "link_id": c["link_id"],
             "direction": c["direction"], "commodity_class": c["class"],
             "dwell_median_h": c["dwell"], "dwell_p90_h": 2 * c["dwell"], "green_lane": "false",
             "fee_usd_per_feu": c["fee"], **PROV}
            for c in spec.crossings
        ],
    )  # fmt: skip
    _table(
        folder / "transfers.csv",
        ["node_id", "from_layer", "to_layer", "kind", "duration_h", "duration_p90_h",
         "cost_usd_per_feu", "capacity_teu_per_week", *prov],
        [
            {"node_id": t["node_id"], "from_layer": t["from_layer"], "to_layer": t["to_layer"],
             "kind": t["kind"], "duration_h": t["duration"], "duration_p90_h": 2 * t["duration"],
             "cost_usd_per_feu": t["cost"], "capacity_teu_per_week": t["capacity"] or "", **PROV}
            for t in spec.transfers
        ],
    )  # fmt: skip
    _table(
        folder / "services.csv",
        ["service_id", "link_id", "direction", "kind", "headway_h", "offset_h",
         "capacity_teu_per_week", *prov],
        [
            {"service_id": s["service_id"], "link_id": s["link_id"], "direction": s["direction"],
             "kind": "headway", "headway_h": s["headway"], "offset_h": s["offset"],
             "capacity_teu_per_week": s["capacity"] or "", **PROV}
            for s in spec.services
        ],
    )  # fmt: skip
    _table(
        folder / "commodities.csv",
        ["commodity", "name", "unit", "border_class", "modes", *prov],
        [
            {"commodity": c, "name": c, "unit": "container", "border_class": c,
             "modes": "rail;road", **PROV}
            for c in ("general", "agri")
        ],
    )  # fmt: skip
    _table(
        folder / "emission_factors.csv",
        ["activity", "mode", "energy_carrier", "wtw_g_per_tkm", "ttw_g_per_tkm", "wtw_g_per_t",
         "ttw_g_per_t", *prov],
        [
            *({"activity": "move", "mode": m, "energy_carrier": c, "wtw_g_per_tkm": 20,
               "ttw_g_per_tkm": 10, **PROV} for m, c in CARRIER.items()),
            *({"activity": "hub", "mode": k, "energy_carrier": "-", "wtw_g_per_t": 500,
               "ttw_g_per_t": 250, **PROV} for k in ("gauge_change", "transshipment", "train_change")),
        ],
    )  # fmt: skip
    _table(
        folder / "demand.csv",
        ["origin", "destination", "commodity", "teu_per_week"],
        [
            {"origin": a, "destination": b, "commodity": c, "teu_per_week": teu}
            for a, b, c, teu in spec.demand
        ],
    )
    return folder
