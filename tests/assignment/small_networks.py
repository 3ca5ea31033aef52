"""Small random rail networks with capacities, written as real network packages, for the oracles.

One layer only (standard-gauge rail, no borders, services or transfers), so the expanded graph is
the network itself and an oracle can rebuild the problem from the generated rows. Figures are
integers; with a value of time of 1 USD/TEU-h every edge's generalized cost is a multiple of 0.5.
"""

from __future__ import annotations

import csv
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

TINY = Path(__file__).parents[1] / "fixtures" / "tiny"
LINK_COLUMNS = [
    "link_id",
    "from_node",
    "to_node",
    "mode",
    "gauge_mm",
    "distance_km",
    "speed_kmh",
    "duration_h",
    "bidirectional",
    "energy_carrier",
    "tariff_usd_per_feu_km",
    "tariff_usd_per_feu",
    "tariff_usd_per_t_km",
    "capacity_teu_per_week",
    "capacity_t_per_week",
    "commodities",
    "passages",
    "source",
    "estimate",
    "note",
]


@dataclass
class Small:
    nodes: int
    links: list[dict[str, Any]] = field(default_factory=list)
    demand: list[tuple[int, int, int]] = field(default_factory=list)  # (origin, dest, TEU)


@st.composite
def smalls(draw: st.DrawFn, *, pairs: int = 1, max_demand: int = 30) -> Small:
    n = draw(st.integers(3, 6))
    small = Small(n)
    ends = [(a, b) for a in range(n) for b in range(n) if a != b]
    ring = [(i, (i + 1) % n) for i in range(n)]  # every node on a link, as the loader requires
    extra = draw(st.lists(st.sampled_from(ends), min_size=0, max_size=2 * n))
    for j, (a, b) in enumerate(ring + extra):
        capped = draw(st.booleans())
        small.links.append(
            {
                "link_id": f"L{j}",
                "from_node": f"N{a}",
                "to_node": f"N{b}",
                "distance_km": draw(st.integers(1, 50)),
                "duration_h": draw(st.integers(1, 40)),
                "bidirectional": draw(st.booleans()),
                "tariff_usd_per_feu_km": draw(st.integers(1, 3)),
                "tariff_usd_per_feu": draw(st.integers(0, 20)),
                "capacity_teu_per_week": draw(st.integers(1, max_demand)) if capped else None,
            }
        )
    chosen = draw(st.lists(st.sampled_from(ends), min_size=pairs, max_size=pairs, unique=True))
    small.demand = [(a, b, draw(st.integers(1, max_demand))) for a, b in chosen]
    return small


def write_small(small: Small, folder: Path) -> Path:
    """Write the network package (and a demand.csv) into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("manifest.toml", "commodities.csv", "emission_factors.csv"):
        shutil.copy(TINY / name, folder / name)
    for name in ("crossings.csv", "services.csv", "transfers.csv"):
        header = (TINY / name).read_text(encoding="utf-8").splitlines()[0]
        (folder / name).write_text(header + "\n", encoding="utf-8")
    with (folder / "nodes.csv").open("w", newline="", encoding="utf-8") as handle:
        w = csv.writer(handle)
        w.writerow(["node_id", "name", "country", "kind", "lat", "lon", "source", "estimate"])
        for i in range(small.nodes):
            w.writerow([f"N{i}", f"Node {i}", "AA", "terminal", 40 + i, 60 + i, "test", "false"])
    with (folder / "links.csv").open("w", newline="", encoding="utf-8") as handle:
        links = csv.DictWriter(handle, LINK_COLUMNS)
        links.writeheader()
        for link in small.links:
            row: dict[str, Any] = {k: "" for k in LINK_COLUMNS}
            row.update({k: "" if v is None else v for k, v in link.items()})
            row["bidirectional"] = str(link["bidirectional"]).lower()
            row.update(
                mode="rail",
                gauge_mm="1435",
                energy_carrier="electric",
                commodities="*",
                source="test",
                estimate="false",
            )
            links.writerow(row)
    with (folder / "demand.csv").open("w", newline="", encoding="utf-8") as handle:
        w = csv.writer(handle)
        w.writerow(["origin", "destination", "commodity", "teu_per_week"])
        for a, b, teu in small.demand:
            w.writerow([f"N{a}", f"N{b}", "general", teu])
    return folder
