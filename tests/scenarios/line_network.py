"""A small hand-built network package whose every figure is written out here, for effect tests.

    A1 ──R1 rail 100 km 2 h── A2 ──R2 rail 20 km 1 h, border AB── B1 ──R3 rail 200 km 4 h── B2
    A1 ────────────────── D1 road 600 km 12 h, border AB_ROAD ──────────────────────────── B2
    A1 ────────────────── SEA_S sea 3,000 km 100 h via suez ────────────────────────────── B2
    A1 ────────────────── SEA_C sea 5,000 km 200 h via cape ────────────────────────────── B2
    A1 ────────────────── P pipeline 400 km 100 h, crude only ──────────────────────────── B2
    B2 ──R5 rail 50 km 1 h, border BC── C1          A1 ──D2 road 900 km 18 h, border AC── C1
    B1 ──R4 rail 200 km 2 h, closed (under construction)── B2

Countries: A* in AA, B* in BB, C1 in CC. Tests compute every expected day and dollar from the
figures below by hand; nothing is read back from corridor's cost model.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

PROV = {"source": "t", "estimate": "false", "note": ""}

NODES = {"A1": "AA", "A2": "AA", "B1": "BB", "B2": "BB", "C1": "CC"}

# link_id: (from, to, mode, km, hours, USD/FEU-km, USD/FEU, USD/t-km, TEU/wk, t/wk, extra)
LINKS: dict[str, dict[str, Any]] = {
    "R1": dict(a="A1", b="A2", mode="rail", km=100, h=2, km_usd=1.0, feu_usd=50, teu=100, t=1000),
    "R2": dict(a="A2", b="B1", mode="rail", km=20, h=1, km_usd=2.0, feu_usd=30),
    "R3": dict(a="B1", b="B2", mode="rail", km=200, h=4, km_usd=1.0, feu_usd=0),
    "R4": dict(a="B1", b="B2", mode="rail", km=200, h=2, km_usd=1.0, feu_usd=0, closed=True),
    "R5": dict(a="B2", b="C1", mode="rail", km=50, h=1, km_usd=1.0, feu_usd=0),
    "D1": dict(a="A1", b="B2", mode="road", km=600, h=12, km_usd=3.0, feu_usd=0),
    "D2": dict(a="A1", b="C1", mode="road", km=900, h=18, km_usd=3.0, feu_usd=0),
    "SEA_S": dict(a="A1", b="B2", mode="sea", km=3000, h=100, km_usd=0.5, feu_usd=200, via="suez"),
    "SEA_C": dict(a="A1", b="B2", mode="sea", km=5000, h=200, km_usd=0.5, feu_usd=200, via="cape"),
    "P": dict(a="A1", b="B2", mode="pipeline", km=400, h=100, t_km_usd=0.01),
}

# crossing rows: (crossing_id, link, direction, class, median h, P90 h, green lane, fee USD/FEU)
CROSSINGS = [
    ("AB", "R2", "forward", "general", 10, 20, False, 100),
    ("AB", "R2", "forward", "agri", 4, 8, False, 100),
    ("AB", "R2", "reverse", "general", 6, 12, False, 100),
    ("AB_ROAD", "D1", "forward", "general", 20, 40, False, 0),
    ("AB_ROAD", "D1", "reverse", "general", 20, 40, False, 0),
    ("BC", "R5", "forward", "general", 2, 4, False, 10),
    ("BC", "R5", "reverse", "general", 2, 4, False, 10),
    ("AC", "D2", "forward", "general", 8, 16, False, 0),
    ("AC", "D2", "reverse", "general", 8, 16, False, 0),
]

CARRIER = {"rail": "electric", "road": "diesel", "sea": "hfo", "pipeline": "electric"}


def _table(path: Path, rows: list[dict[str, Any]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def write_line_network(folder: Path, services: list[dict[str, Any]] | None = None) -> Path:
    """Write the package into `folder`; `services` rows (services.csv columns) are optional."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "manifest.toml").write_text(
        'name = "line"\nversion = "0"\ncurrency = "USD"\nreference_year = 2024\n'
        "[cargo]\ntonnes_per_teu = 10.0\nteu_cost_factor = 0.5\n"
        '[[sources]]\nid = "t"\ntitle = "hand-made"\ndocument = "tests"\nyear = 2024\n',
        encoding="utf-8",
    )
    _table(
        folder / "nodes.csv",
        [
            {"node_id": n, "name": f"Place {n}", "country": c, "kind": "city", "lat": 40,
             "lon": 60 + i, **PROV}
            for i, (n, c) in enumerate(NODES.items())
        ],
    )  # fmt: skip
    _table(
        folder / "links.csv",
        [
            {
                "link_id": link_id,
                "from_node": lk["a"],
                "to_node": lk["b"],
                "mode": lk["mode"],
                "gauge_mm": 1435 if lk["mode"] == "rail" else "",
                "distance_km": lk["km"],
                "duration_h": lk["h"],
                "bidirectional": "false" if lk["mode"] == "pipeline" else "true",
                "energy_carrier": CARRIER[lk["mode"]],
                "tariff_usd_per_feu_km": lk.get("km_usd", ""),
                "tariff_usd_per_feu": lk.get("feu_usd", 0),
                "tariff_usd_per_t_km": lk.get("t_km_usd", ""),
                "capacity_teu_per_week": lk.get("teu", ""),
                "capacity_t_per_week": lk.get("t", ""),
                "commodities": "crude" if lk["mode"] == "pipeline" else "*",
                "passages": lk.get("via", ""),
                "status": "closed" if lk.get("closed") else "open",
                **PROV,
            }
            for link_id, lk in LINKS.items()
        ],
    )
    _table(
        folder / "crossings.csv",
        [
            {"crossing_id": cid, "name": f"Crossing {cid}", "link_id": link, "direction": d,
             "commodity_class": cls, "dwell_median_h": med, "dwell_p90_h": p90,
             "green_lane": str(green).lower(), "fee_usd_per_feu": fee, **PROV}
            for cid, link, d, cls, med, p90, green, fee in CROSSINGS
        ],
    )  # fmt: skip
    service_columns = [
        "service_id", "link_id", "direction", "kind", "weekdays", "departure_utc", "headway_h",
        "offset_h", "operator",
    ]  # fmt: skip
    with (folder / "services.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=[*service_columns, *PROV])
        writer.writeheader()
        for row in services or []:
            writer.writerow({**dict.fromkeys(service_columns, ""), **row, **PROV})
    (folder / "transfers.csv").write_text(
        "node_id,from_layer,to_layer,kind,duration_h,duration_p90_h,cost_usd_per_feu,"
        "source,estimate,note\n",
        encoding="utf-8",
    )
    _table(
        folder / "commodities.csv",
        [
            {"commodity": "general", "name": "General", "unit": "container",
             "border_class": "general", "modes": "rail;road;sea", **PROV},
            {"commodity": "agri", "name": "Agri", "unit": "container", "border_class": "agri",
             "modes": "rail;road;sea", **PROV},
            {"commodity": "crude", "name": "Crude", "unit": "tonne", "border_class": "bulk",
             "modes": "pipeline", **PROV},
        ],
    )  # fmt: skip
    _table(
        folder / "emission_factors.csv",
        [
            *(
                {"activity": "move", "mode": m, "energy_carrier": c, "wtw_g_per_tkm": 10,
                 "ttw_g_per_tkm": 5, "wtw_g_per_t": "", "ttw_g_per_t": "", **PROV}
                for m, c in CARRIER.items()
            ),
            *(
                {"activity": "hub", "mode": k, "energy_carrier": "-", "wtw_g_per_tkm": "",
                 "ttw_g_per_tkm": "", "wtw_g_per_t": 100, "ttw_g_per_t": 50, **PROV}
                for k in ("gauge_change", "transshipment")
            ),
        ],
    )  # fmt: skip
    return folder
