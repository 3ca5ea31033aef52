"""Seeded multimodal networks in corridor's package format, for the scale benchmarks and tests.

    python benchmarks/generate_network.py --nodes 3000 --seed 1 OUT_FOLDER

What a package holds (every figure synthetic; the manifest says so):
- **road**: a Gabriel graph of uniform random points (scipy's Delaunay triangulation, then an
  edge kept only when no other point lies in the circle on it as a diameter), minus the edges
  that cross the inland sea;
- **rail**: a sparser layer on a sample of the points (their own Gabriel graph: its minimum
  spanning tree plus a share of the other edges), in two gauges: each country has one, and a
  cross-border line runs in the gauge of the country it leaves, so a gauge-change transfer
  stands where gauges meet; rail lines run with headway trains on some links;
- **countries**: Voronoi cells of random seeds, with real ISO2 codes; a border between two
  countries is crossed only at a few crossings per country pair (the shortest road links and one
  rail link), each with `crossings.csv` rows (dwell median and P90, fee; green lanes for `agri`);
- **inland sea**: a disc without points; ferry ports on its shore joined by ferries with weekly
  timetables;
- **coast**: ports along the southern edge joined by sea lanes with weekly liners;
- transshipment transfers at every node where layers meet, GLEC-like emission factors, the
  `general` and `agri` commodities, capacities on border links, ferries and liners, and a
  `demand.csv` of OD pairs with weekly TEU.
The road graph is connected (the largest component is kept), so every node reaches every other.
Same arguments, same package, byte for byte.
"""

from __future__ import annotations

import argparse
import csv
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy.sparse import coo_array
from scipy.sparse.csgraph import connected_components, minimum_spanning_tree
from scipy.spatial import Delaunay, cKDTree

LON = (20.0, 120.0)
LAT = (30.0, 56.0)
KM_PER_DEG_LAT = 110.57
KM_PER_DEG_LON = 111.32 * math.cos(math.radians(sum(LAT) / 2))
SEA_CENTRE = (62.0, 43.0)  # lon, lat of the inland sea
SEA_RADIUS_KM = 650.0
RAIL_SHARE = 0.15  # points that are rail stations
RAIL_EXTRA = 0.35  # share of non-tree rail Gabriel edges kept
ROAD_CROSSINGS = 2  # road crossings per country pair
RAIL_CROSSINGS = 1
FERRY_PORTS = 6
SEA_PORTS = 8
ISO2 = [
    "CN",
    "KZ",
    "UZ",
    "TM",
    "AZ",
    "GE",
    "TR",
    "RU",
    "BY",
    "PL",
    "DE",
    "NL",
    "FR",
    "IT",
    "ES",
    "AT",
    "CZ",
    "SK",
    "HU",
    "RO",
    "BG",
    "RS",
    "HR",
    "SI",
    "UA",
    "MD",
    "LT",
    "LV",
    "EE",
    "FI",
    "SE",
    "NO",
    "DK",
    "BE",
    "CH",
    "PT",
    "GR",
    "AL",
    "MK",
    "ME",
    "BA",
    "KG",
    "TJ",
    "MN",
    "IR",
    "AM",
    "AF",
    "PK",
    "IN",
]
SOURCE = "generated"
SPEED_KMH = {"road": 50.0, "rail": 35.0, "ferry": 22.0, "sea": 30.0}
TARIFF_FEU_KM = {"road": 1.6, "rail": 0.8, "ferry": 0.6, "sea": 0.12}
FIXED_FEU = {"road": 0.0, "rail": 0.0, "ferry": 350.0, "sea": 250.0}
CARRIER = {"road": "diesel", "rail": "electric", "ferry": "mdo", "sea": "hfo"}
WTW_G = {"road": 75.0, "rail": 18.0, "ferry": 45.0, "sea": 12.0}  # per tonne-km
HUB_G = {"gauge_change": 1400.0, "transshipment": 1800.0}  # per tonne handled


@dataclass
class Package:
    """The tables of a generated network, as rows of the package's CSV files."""

    name: str
    nodes: list[dict[str, Any]] = field(default_factory=list)
    links: list[dict[str, Any]] = field(default_factory=list)
    transfers: list[dict[str, Any]] = field(default_factory=list)
    crossings: list[dict[str, Any]] = field(default_factory=list)
    services: list[dict[str, Any]] = field(default_factory=list)
    demand: list[dict[str, Any]] = field(default_factory=list)


def _km(lonlat: np.ndarray) -> np.ndarray:
    """Planar kilometres (equirectangular at the domain's mid latitude)."""
    return np.column_stack([lonlat[:, 0] * KM_PER_DEG_LON, lonlat[:, 1] * KM_PER_DEG_LAT])


def gabriel_edges(xy: np.ndarray) -> np.ndarray:
    """Edges (i < j) of the Gabriel graph: Delaunay edges whose diameter circle holds no point."""
    tri = Delaunay(xy)
    simplices = tri.simplices
    pairs = np.vstack([simplices[:, [0, 1]], simplices[:, [1, 2]], simplices[:, [0, 2]]])
    pairs = np.unique(np.sort(pairs, axis=1), axis=0)
    mid = (xy[pairs[:, 0]] + xy[pairs[:, 1]]) / 2.0
    half = np.linalg.norm(xy[pairs[:, 0]] - xy[pairs[:, 1]], axis=1) / 2.0
    nearest, _ = cKDTree(xy).query(mid, k=1)
    keep: np.ndarray = pairs[nearest >= half * (1 - 1e-9)]
    return keep


def _crosses_disc(a: np.ndarray, b: np.ndarray, centre: np.ndarray, radius: float) -> np.ndarray:
    """Whether each segment a[i]-b[i] passes within `radius` of `centre`."""
    d = b - a
    length2 = np.maximum((d * d).sum(axis=1), 1e-12)
    t = np.clip(((centre - a) * d).sum(axis=1) / length2, 0.0, 1.0)
    closest = a + t[:, None] * d
    out: np.ndarray = np.linalg.norm(closest - centre, axis=1) < radius
    return out


def _few_per_pair(
    edges: np.ndarray, country: np.ndarray, length: np.ndarray, per_pair: int
) -> np.ndarray:
    """Keep domestic edges, and only the `per_pair` shortest edges between each country pair."""
    a, b = country[edges[:, 0]], country[edges[:, 1]]
    keep = a == b
    foreign = np.flatnonzero(~keep)
    pair_key = np.minimum(a, b)[foreign] * 1000 + np.maximum(a, b)[foreign]
    order = np.lexsort((length[foreign], pair_key))
    seen: dict[int, int] = {}
    for i in order.tolist():
        k = int(pair_key[i])
        if seen.get(k, 0) < per_pair:
            seen[k] = seen.get(k, 0) + 1
            keep[foreign[i]] = True
    return edges[keep]


def _largest_component(n: int, edges: np.ndarray) -> np.ndarray:
    graph = coo_array((np.ones(len(edges)), (edges[:, 0], edges[:, 1])), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    biggest = np.bincount(labels).argmax()
    out: np.ndarray = labels == biggest
    return out


def _points(n: int, rng: np.random.Generator) -> np.ndarray:
    """`n` uniform points in the domain outside the sea (drawn until enough land ones)."""
    centre = _km(np.array([SEA_CENTRE]))[0]
    found: list[np.ndarray] = []
    total = 0
    while total < n:
        draw = np.column_stack([rng.uniform(*LON, 2 * n), rng.uniform(*LAT, 2 * n)])
        land = draw[np.linalg.norm(_km(draw) - centre, axis=1) > SEA_RADIUS_KM]
        found.append(land)
        total += len(land)
    points: np.ndarray = np.vstack(found)[:n]
    return points


def _distance_km(xy: np.ndarray, edges: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    straight = np.linalg.norm(xy[edges[:, 0]] - xy[edges[:, 1]], axis=1)
    detour: np.ndarray = np.round(straight * rng.uniform(1.05, 1.3, len(edges)) + 1.0, 1)
    return detour


def generate(n_nodes: int, seed: int = 0) -> Package:
    """A connected multimodal network of about `n_nodes` nodes (see the module docstring)."""
    rng = np.random.default_rng(seed)
    lonlat = _points(n_nodes, rng)
    xy = _km(lonlat)
    centre = _km(np.array([SEA_CENTRE]))[0]
    n_countries = int(np.clip(round(math.sqrt(n_nodes) / 3), 4, len(ISO2)))
    seeds = xy[rng.choice(len(xy), n_countries, replace=False)]
    country = cKDTree(seeds).query(xy, k=1)[1]

    road = gabriel_edges(xy)
    road = road[~_crosses_disc(xy[road[:, 0]], xy[road[:, 1]], centre, SEA_RADIUS_KM)]
    road_km = np.linalg.norm(xy[road[:, 0]] - xy[road[:, 1]], axis=1)
    road = _few_per_pair(road, country, road_km, ROAD_CROSSINGS)
    alive = _largest_component(len(xy), road)
    # renumber the surviving points, keeping their order
    new_id = np.cumsum(alive) - 1
    road = road[alive[road[:, 0]] & alive[road[:, 1]]]
    road = new_id[road]
    lonlat, xy, country = lonlat[alive], xy[alive], country[alive]
    n = len(xy)

    codes = [ISO2[c] for c in range(n_countries)]
    gauge = np.where(rng.random(n_countries) < 0.4, 1520, 1435)
    package = Package(name=f"generated-{n_nodes}-seed{seed}")
    _add_nodes(package, lonlat, country, codes)
    layers: list[set[str]] = [{"road"} for _ in range(n)]
    _add_links(package, "road", road, _distance_km(xy, road, rng), codes, country, layers, rng)
    _add_rail(package, xy, country, codes, gauge, layers, rng)
    _add_water(package, xy, lonlat, country, codes, centre, layers, rng)
    _add_transfers(package, layers, rng)
    _add_demand(package, n, rng)
    return package


def _add_nodes(package: Package, lonlat: np.ndarray, country: np.ndarray, codes: list[str]) -> None:
    for i, (lon, lat) in enumerate(lonlat.tolist()):
        package.nodes.append(
            {
                "node_id": f"N{i:05d}",
                "name": f"Place {i:05d}",
                "country": codes[int(country[i])],
                "kind": "junction",
                "lat": round(lat, 4),
                "lon": round(lon, 4),
            }
        )


def _add_links(
    package: Package,
    mode: str,
    edges: np.ndarray,
    distance: np.ndarray,
    codes: list[str],
    country: np.ndarray,
    layers: list[set[str]],
    rng: np.random.Generator,
    gauges: Iterable[int | None] | None = None,
    capacity: float | None = None,
) -> list[str]:
    """Append links (both directions usable) with border crossing rows where countries differ."""
    ids = []
    gauge_list = list(gauges) if gauges is not None else [None] * len(edges)
    for (a, b), km, gauge in zip(edges.tolist(), distance.tolist(), gauge_list, strict=True):
        link_id = f"{mode[0].upper()}{len(package.links):06d}"
        layer = f"rail_{gauge}" if gauge else mode
        layers[a].add(layer)
        layers[b].add(layer)
        foreign = country[a] != country[b]
        package.links.append(
            {
                "link_id": link_id,
                "from_node": f"N{a:05d}",
                "to_node": f"N{b:05d}",
                "mode": mode,
                "gauge_mm": gauge or "",
                "distance_km": km,
                "duration_h": round(km / SPEED_KMH[mode], 2),
                "tariff_usd_per_feu_km": TARIFF_FEU_KM[mode],
                "tariff_usd_per_feu": FIXED_FEU[mode],
                "capacity_teu_per_week": capacity or ("" if not foreign else 1500),
            }
        )
        ids.append(link_id)
        if foreign and mode != "sea":
            _add_crossing(package, link_id, mode, f"{codes[country[a]]}-{codes[country[b]]}", rng)
    return ids


def _add_crossing(
    package: Package, link_id: str, mode: str, label: str, rng: np.random.Generator
) -> None:
    median = float(rng.uniform(20, 48) if mode == "rail" else rng.uniform(4, 24))
    green = bool(rng.random() < 0.3)
    for direction in ("forward", "reverse"):
        spread = float(rng.uniform(1.5, 3.0))
        rows = [("general", median, False)]
        if green:
            rows.append(("agri", median / 3, True))
        for cls, dwell, lane in rows:
            package.crossings.append(
                {
                    "crossing_id": f"X_{link_id}",
                    "name": f"{label} {mode} crossing {link_id}",
                    "link_id": link_id,
                    "direction": direction,
                    "commodity_class": cls,
                    "dwell_median_h": round(dwell, 1),
                    "dwell_p90_h": round(dwell * spread, 1),
                    "green_lane": str(lane).lower(),
                    "fee_usd_per_feu": round(float(rng.uniform(50, 300))),
                }
            )


def _add_rail(
    package: Package,
    xy: np.ndarray,
    country: np.ndarray,
    codes: list[str],
    gauge: np.ndarray,
    layers: list[set[str]],
    rng: np.random.Generator,
) -> None:
    n = len(xy)
    stations = np.sort(rng.choice(n, max(4, int(RAIL_SHARE * n)), replace=False))
    local = gabriel_edges(xy[stations])
    centre = _km(np.array([SEA_CENTRE]))[0]
    local = local[~_crosses_disc(xy[stations][local[:, 0]], xy[stations][local[:, 1]], centre,
                                 SEA_RADIUS_KM)]  # fmt: skip
    km = np.linalg.norm(xy[stations][local[:, 0]] - xy[stations][local[:, 1]], axis=1)
    m = len(stations)
    tree = minimum_spanning_tree(coo_array((km, (local[:, 0], local[:, 1])), shape=(m, m)))
    in_tree = set(zip(*(np.sort(np.vstack(tree.nonzero()), axis=0)).tolist(), strict=True))
    keep = np.array(
        [(a, b) in in_tree or rng.random() < RAIL_EXTRA for a, b in local.tolist()], dtype=bool
    )
    edges = stations[local[keep]]
    edges = _few_per_pair(edges, country, km[keep], RAIL_CROSSINGS)
    gauges = [int(gauge[country[a]]) for a, _ in edges.tolist()]
    ids = _add_links(
        package, "rail", edges, _distance_km(xy, edges, rng), codes, country, layers, rng, gauges
    )
    for link_id in ids:
        if rng.random() < 0.3:
            headway = int(rng.choice([12, 24, 56]))
            package.services.append(
                {
                    "service_id": f"T_{link_id}",
                    "link_id": link_id,
                    "direction": "both",
                    "kind": "headway",
                    "headway_h": headway,
                    "offset_h": int(rng.integers(0, headway)),
                }
            )


def _ports(xy: np.ndarray, targets: np.ndarray) -> list[int]:
    """The nearest distinct point to each target position."""
    tree = cKDTree(xy)
    out: list[int] = []
    for target in targets:
        for i in tree.query(target, k=8)[1].tolist():
            if i not in out:
                out.append(int(i))
                break
    return out


def _add_water(
    package: Package,
    xy: np.ndarray,
    lonlat: np.ndarray,
    country: np.ndarray,
    codes: list[str],
    centre: np.ndarray,
    layers: list[set[str]],
    rng: np.random.Generator,
) -> None:
    angles = np.linspace(0, 2 * np.pi, FERRY_PORTS, endpoint=False) + rng.uniform(0, 1)
    shore = centre + SEA_RADIUS_KM * np.column_stack([np.cos(angles), np.sin(angles)])
    ferry_ports = _ports(xy, shore)
    ring = [(ferry_ports[i], ferry_ports[(i + 1) % FERRY_PORTS]) for i in range(FERRY_PORTS)]
    across = [(ferry_ports[i], ferry_ports[i + FERRY_PORTS // 2]) for i in range(FERRY_PORTS // 2)]
    _sailings(package, "ferry", np.array(ring + across), xy, country, codes, layers, rng, 600)

    south = np.column_stack([np.linspace(*LON, SEA_PORTS + 2)[1:-1], np.full(SEA_PORTS, LAT[0])])
    sea_ports = _ports(xy, _km(south))
    lanes = [(sea_ports[i], sea_ports[i + 1]) for i in range(SEA_PORTS - 1)]
    lanes += [(sea_ports[0], sea_ports[-1]), (sea_ports[1], sea_ports[-2])]
    _sailings(package, "sea", np.array(lanes), xy, country, codes, layers, rng, 4000)
    for i in ferry_ports + sea_ports:
        package.nodes[i]["kind"] = "ferry_port" if i in ferry_ports else "sea_port"


def _sailings(
    package: Package,
    mode: str,
    edges: np.ndarray,
    xy: np.ndarray,
    country: np.ndarray,
    codes: list[str],
    layers: list[set[str]],
    rng: np.random.Generator,
    capacity: float,
) -> None:
    """Water links with weekly timetables: one or two sailings a week each way."""
    distance = _distance_km(xy, edges, rng)
    ids = _add_links(package, mode, edges, distance, codes, country, layers, rng, None, capacity)
    days = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    for link_id in ids:
        picked = sorted(rng.choice(7, int(rng.integers(1, 3)), replace=False).tolist())
        package.services.append(
            {
                "service_id": f"W_{link_id}",
                "link_id": link_id,
                "direction": "both",
                "kind": "weekly",
                "weekdays": ";".join(days[d] for d in picked),
                "departure_utc": f"{int(rng.integers(0, 24)):02d}:00",
                "capacity_teu_per_week": capacity,
            }
        )


def _add_transfers(package: Package, layers: list[set[str]], rng: np.random.Generator) -> None:
    """Road to every other layer at each node, and a gauge change where both gauges meet."""
    for i, present in enumerate(layers):
        others = sorted(present - {"road"})
        for layer in others:
            median = float(rng.uniform(3, 12))
            _transfer(package, i, "road", layer, "transshipment", median, rng)
        rails = [x for x in others if x.startswith("rail_")]
        if len(rails) == 2:
            _transfer(
                package, i, rails[0], rails[1], "gauge_change", float(rng.uniform(6, 18)), rng
            )
        waters = [x for x in others if x in ("ferry", "sea")]
        for rail in rails:
            for water in waters:
                _transfer(package, i, rail, water, "transshipment", float(rng.uniform(4, 14)), rng)


def _transfer(
    package: Package,
    node: int,
    a: str,
    b: str,
    kind: str,
    median: float,
    rng: np.random.Generator,
) -> None:
    package.transfers.append(
        {
            "node_id": f"N{node:05d}",
            "from_layer": a,
            "to_layer": b,
            "kind": kind,
            "duration_h": round(median, 1),
            "duration_p90_h": round(median * float(rng.uniform(1.5, 3.0)), 1),
            "cost_usd_per_feu": round(float(rng.uniform(60, 250))),
            "capacity_teu_per_week": 3000 if kind == "gauge_change" else "",
        }
    )


def _add_demand(package: Package, n: int, rng: np.random.Generator, pairs: int = 20) -> None:
    seen: set[tuple[int, int]] = set()
    while len(seen) < min(pairs, n * (n - 1)):
        a, b = (int(x) for x in rng.choice(n, 2, replace=False))
        if (a, b) in seen:
            continue
        seen.add((a, b))
        package.demand.append(
            {
                "origin": f"N{a:05d}",
                "destination": f"N{b:05d}",
                "commodity": "agri" if rng.random() < 0.2 else "general",
                "teu_per_week": int(rng.integers(20, 800)),
            }
        )


# -- writing the package ------------------------------------------------------------------------

PROVENANCE = {"source": SOURCE, "estimate": "false", "note": ""}
COLUMNS = {
    "nodes.csv": ["node_id", "name", "country", "kind", "lat", "lon"],
    "links.csv": [
        "link_id", "from_node", "to_node", "mode", "gauge_mm", "distance_km", "duration_h",
        "bidirectional", "energy_carrier", "tariff_usd_per_feu_km", "tariff_usd_per_feu",
        "capacity_teu_per_week", "commodities",
    ],
    "transfers.csv": [
        "node_id", "from_layer", "to_layer", "kind", "duration_h", "duration_p90_h",
        "cost_usd_per_feu", "capacity_teu_per_week",
    ],
    "crossings.csv": [
        "crossing_id", "name", "link_id", "direction", "commodity_class", "dwell_median_h",
        "dwell_p90_h", "green_lane", "fee_usd_per_feu",
    ],
    "services.csv": [
        "service_id", "link_id", "direction", "kind", "weekdays", "departure_utc", "headway_h",
        "offset_h", "capacity_teu_per_week",
    ],
    "commodities.csv": ["commodity", "name", "unit", "border_class", "modes"],
    "emission_factors.csv": [
        "activity", "mode", "energy_carrier", "wtw_g_per_tkm", "ttw_g_per_tkm", "wtw_g_per_t",
        "ttw_g_per_t",
    ],
    "demand.csv": ["origin", "destination", "commodity", "teu_per_week"],
}  # fmt: skip


def _manifest(package: Package) -> str:
    return (
        f'name = "{package.name}"\nversion = "1"\n'
        'description = "synthetic multimodal network made by benchmarks/generate_network.py"\n'
        'currency = "USD"\nreference_year = 2024\n\n'
        "[cargo]\ntonnes_per_teu = 10.0\nteu_cost_factor = 0.65\n"
        f'source = "{SOURCE}"\n\n'
        f'[[sources]]\nid = "{SOURCE}"\ntitle = "synthetic network for benchmarks"\n'
        'document = "benchmarks/generate_network.py: seeded random figures, no real place"\n'
        "year = 2026\n"
    )


def _fixed_rows() -> dict[str, list[dict[str, Any]]]:
    container = "rail;road;ferry;sea"
    return {
        "commodities.csv": [
            {"commodity": "general", "name": "General cargo", "unit": "container",
             "border_class": "general", "modes": container},
            {"commodity": "agri", "name": "Agricultural products", "unit": "container",
             "border_class": "agri", "modes": container},
        ],
        "emission_factors.csv": [
            *({"activity": "move", "mode": m, "energy_carrier": CARRIER[m], "wtw_g_per_tkm": g,
               "ttw_g_per_tkm": round(g * 0.8, 2), "wtw_g_per_t": "", "ttw_g_per_t": ""}
              for m, g in WTW_G.items()),
            *({"activity": "hub", "mode": k, "energy_carrier": "-", "wtw_g_per_tkm": "",
               "ttw_g_per_tkm": "", "wtw_g_per_t": g, "ttw_g_per_t": round(g * 0.5, 1)}
              for k, g in HUB_G.items()),
        ],
    }  # fmt: skip


def write_package(package: Package, folder: Path) -> Path:
    """Write the package's manifest and tables into `folder` (created)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "manifest.toml").write_text(_manifest(package), encoding="utf-8")
    links = [
        {**row, "bidirectional": "true", "energy_carrier": CARRIER[row["mode"]], "commodities": "*"}
        for row in package.links
    ]
    tables = {
        "nodes.csv": package.nodes,
        "links.csv": links,
        "transfers.csv": package.transfers,
        "crossings.csv": package.crossings,
        "services.csv": package.services,
        **_fixed_rows(),
    }
    for name, rows in tables.items():
        _write_csv(folder / name, COLUMNS[name] + list(PROVENANCE), rows, PROVENANCE)
    _write_csv(folder / "demand.csv", COLUMNS["demand.csv"] + list(PROVENANCE), package.demand,
               PROVENANCE)  # fmt: skip
    return folder


def _write_csv(
    path: Path, header: list[str], rows: list[dict[str, Any]], extra: dict[str, str]
) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({key: {**extra, **row}.get(key, "") for key in header})


def generate_package(n_nodes: int, folder: Path, seed: int = 0) -> Path:
    """Generate and write a network of about `n_nodes` nodes; the folder it wrote."""
    return write_package(generate(n_nodes, seed), folder)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--nodes", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    package = generate(args.nodes, args.seed)
    write_package(package, args.folder)
    print(
        f"{args.folder}: {len(package.nodes)} nodes, {len(package.links)} links, "
        f"{len(package.transfers)} transfers, {len({c['crossing_id'] for c in package.crossings})}"
        f" crossings, {len(package.services)} services"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
