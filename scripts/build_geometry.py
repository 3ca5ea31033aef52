#!/usr/bin/env python
"""Build the polyline of every link of a network package; re-run it whenever links change.

    pip install 'corridor[geometry]'          # searoute, scgraph, scgraph-data
    python scripts/build_geometry.py          # the bundled package
    python scripts/build_geometry.py --network PATH [--only LINK ...] [--update-distances]

Per link, in this order:

1. hand-traced waypoints (scripts/geometry_waypoints.csv, each with its source): `route=straight`
   draws straight segments through them (pipelines via their named stations, lines no dataset
   has); `route=dataset` routes through them on the rail or road dataset (forces a line, e.g.
   Zhezkazgan-Saksaulskaya rather than a shorter branch);
2. sea and ferry links: `searoute` on its marnet lanes, with Panama and the North-West passage
   closed, Suez and Bab-el-Mandeb closed for `cape` links and the Cape closed for `suez` links;
   the passages the lane traverses must agree with the link's `passages` column;
3. rail and road links: the shortest path on scgraph-data's OpenStreetMap-derived world railway
   or highway graph, accepted only when both ends lie near the graph, the path is at most
   `--max-circuity` times the great circle and, where the link's distance is sourced, within
   `--max-deviation` of it;
4. otherwise no row: the link is drawn as a straight line, and the report says so.

Polylines are simplified to `--tolerance-km` (Douglas-Peucker) and written as encoded polylines:
OpenStreetMap-derived ones (ODbL) to geometry_osm.csv, the rest to geometry.csv. The report
(stdout) lists every link, its method, length, circuity and any disagreement with its stated
distance or passages. `--update-distances` then rewrites links.csv: links whose distance is an
estimate (`distance_source` empty or `geometry`) and that got a polyline take its length, with
`distance_source = geometry`.
"""

from __future__ import annotations

import argparse
import csv
import importlib
import io
import itertools
import math
import sys
import types
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from corridor.network.geometry import (  # noqa: E402
    GEOMETRY,
    encode_polyline,
    great_circle_km,
    path_length_km,
)

Point = tuple[float, float]  # (lon, lat)

DEFAULT_NETWORK = ROOT / "src" / "corridor" / "data" / "eurasia"
DEFAULT_WAYPOINTS = ROOT / "scripts" / "geometry_waypoints.csv"
OSM_FILE = "geometry_osm.csv"
MAIN_FILE = "geometry.csv"
SEAROUTE_SOURCE = "searoute-marnet"
OSM_SOURCE = "osm-scgraph-data"

# The link table's passage names -> searoute's.
PASSAGE_NAMES = {
    "suez": "suez",
    "bab_el_mandeb": "babalmandab",
    "babalmandab": "babalmandab",
    "cape": "south_africa",
    "cape_of_good_hope": "south_africa",
    "south_africa": "south_africa",
    "bosphorus": "bosporus",
    "bosporus": "bosporus",
    "dardanelles": "bosporus",
    "gibraltar": "gibraltar",
    "malacca": "malacca",
    "hormuz": "ormuz",
    "ormuz": "ormuz",
    "panama": "panama",
    "sunda": "sunda",
}
# Passages a lane may only traverse when its `passages` column names them.
GATED = ("suez", "babalmandab", "south_africa", "bosporus", "panama")
ALWAYS_CLOSED = (
    "northwest",
    "bering",
    "chili",
    "corinth",
)  # the Corinth Canal takes no container ships


@dataclass
class Built:
    link_id: str
    method: str  # dataset, waypoints or straight
    sources: tuple[str, ...]
    coords: list[Point]
    note: str
    file: str  # which output file
    issues: list[str]


# -- geometry helpers -------------------------------------------------------------------------


def simplify(coords: Sequence[Point], tolerance_km: float) -> list[Point]:
    """Douglas-Peucker on a local equirectangular projection; keeps both ends."""
    if len(coords) < 3:
        return list(coords)
    lat0 = math.radians(sum(p[1] for p in coords) / len(coords))
    xy = [
        (math.radians(p[0]) * math.cos(lat0) * 6371.0, math.radians(p[1]) * 6371.0) for p in coords
    ]
    keep = [False] * len(coords)
    keep[0] = keep[-1] = True
    stack = [(0, len(coords) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = xy[first], xy[last]
        dx, dy = x2 - x1, y2 - y1
        norm = math.hypot(dx, dy)
        best, index = -1.0, -1
        for i in range(first + 1, last):
            x, y = xy[i]
            if norm == 0:
                d = math.hypot(x - x1, y - y1)
            else:
                d = abs(dy * (x - x1) - dx * (y - y1)) / norm
            if d > best:
                best, index = d, i
        if index > 0 and best > tolerance_km:
            keep[index] = True
            stack.extend(((first, index), (index, last)))
    return [p for p, k in zip(coords, keep, strict=True) if k]


def dedupe(coords: Sequence[Point]) -> list[Point]:
    out: list[Point] = []
    for lon, lat in coords:
        p = (round(lon, 5), round(lat, 5))
        if not out or out[-1] != p:
            out.append(p)
    return out


# -- data sets --------------------------------------------------------------------------------


class Datasets:
    """searoute and the scgraph-data geographs, loaded on first use."""

    def __init__(self) -> None:
        self._marnet: Any = None
        self._graphs: dict[str, Any] = {}

    def marnet(self) -> Any:
        if self._marnet is None:
            import searoute

            self._marnet = searoute.setup_M()
        return self._marnet

    def graph(self, mode: str) -> Any:
        if mode not in self._graphs:
            # scgraph-data 2.0 imports GeoGraph from scgraph.core, which scgraph 3 moved to
            # scgraph.geograph; alias it so either version loads.
            if "scgraph.core" not in sys.modules:
                try:
                    importlib.import_module("scgraph.core")
                except ImportError:
                    core = types.ModuleType("scgraph.core")
                    core.GeoGraph = importlib.import_module("scgraph.geograph").GeoGraph  # type: ignore[attr-defined]
                    sys.modules["scgraph.core"] = core
            if mode == "rail":
                from scgraph_data.world_railways import world_railways_geograph as graph
            else:
                from scgraph_data.world_highways import world_highways_geograph as graph
            self._graphs[mode] = graph
        return self._graphs[mode]

    def land_path(self, mode: str, a: Point, b: Point) -> tuple[list[Point], float]:
        """Shortest path on the mode's graph and the largest gap between an end and the graph."""
        ends = {
            "origin_node": {"latitude": a[1], "longitude": a[0]},
            "destination_node": {"latitude": b[1], "longitude": b[0]},
        }
        # The nearest graph node may sit on an unconnected piece: then let the ends join any
        # node within a growing box (joining costs 4x the distance, so near nodes still win).
        attempts: list[dict[str, Any]] = [{}]
        for bound in (0.3, 1.0):
            attempts.append(
                {
                    "node_addition_type": "all",
                    "destination_node_addition_type": "all",
                    "node_addition_lat_lon_bound": bound,
                }
            )
        result = None
        for extra in attempts:
            try:
                result = self.graph(mode).get_shortest_path(
                    **ends, output_units="km", silent=True, **extra
                )
                break
            except (RuntimeError, ValueError, KeyError):
                continue
        if result is None:
            return [a, b], math.inf
        path = [(float(lon), float(lat)) for lat, lon in result["coordinate_path"]]
        if len(path) < 2:
            return [a, b], math.inf
        gap = max(
            great_circle_km(a, path[1]) if len(path) > 2 else 0.0,
            great_circle_km(path[-2], b) if len(path) > 2 else 0.0,
        )
        return [a, *path[1:-1], b], gap

    def sea_path(self, a: Point, b: Point, closed: Sequence[str]) -> tuple[list[Point], set[str]]:
        import searoute

        feature = searoute.searoute(
            list(a),
            list(b),
            units="km",
            restrictions=list(closed),
            return_passages=True,
            append_orig_dest=True,
            M=self.marnet(),
        )
        coords = [(float(x), float(y)) for x, y in feature.geometry["coordinates"]]
        return coords, set(feature.properties.get("traversed_passages") or ())


# -- per-link builders ------------------------------------------------------------------------


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def listed(cell: str) -> list[str]:
    return [p.strip() for p in (cell or "").split(";") if p.strip()]


def closed_passages(link: dict[str, str]) -> tuple[set[str], set[str]]:
    """(the passages the link names, in searoute's words; those its lane must not use)."""
    named = {PASSAGE_NAMES.get(p, p) for p in listed(link["passages"])}
    closed = set(ALWAYS_CLOSED) - named
    if "south_africa" in named:
        closed |= {"suez", "babalmandab"}
    if "suez" in named:
        closed.add("south_africa")
    closed |= {"panama"} - named
    if "bosporus" not in named:
        closed.add("bosporus")
    return named, closed


def sea_link(link: dict[str, str], a: Point, b: Point, data: Datasets) -> Built:
    named, closed = closed_passages(link)
    try:
        coords, passed = data.sea_path(a, b, sorted(closed))
    except Exception as exc:  # searoute's own errors: report the link and go on
        return Built(link["link_id"], "straight", (), [a, b], "", "", [f"searoute failed: {exc}"])
    issues = []
    if len(coords) < 2 or not math.isfinite(path_length_km(coords)):
        return Built(
            link["link_id"],
            "straight",
            (),
            [a, b],
            "",
            "",
            ["searoute found no lane with these passages"],
        )
    missing = sorted(n for n in named if n in set(PASSAGE_NAMES.values()) and n not in passed)
    extra = sorted(p for p in passed if p in GATED and p not in named)
    if missing:
        issues.append("lane does not pass " + ", ".join(missing))
    if extra:
        issues.append("lane passes " + ", ".join(extra) + " not in the passages column")
    note = "searoute lane via " + (", ".join(sorted(passed)) or "open water")
    return Built(link["link_id"], "dataset", (SEAROUTE_SOURCE,), coords, note, MAIN_FILE, issues)


def land_link(
    link: dict[str, str], a: Point, b: Point, data: Datasets, args: argparse.Namespace
) -> Built:
    coords, gap = data.land_path(link["mode"], a, b)
    length, crow = path_length_km(coords), great_circle_km(a, b)
    reasons = []
    if gap > args.max_gap_km:
        reasons.append(f"an end lies {gap:,.0f} km from the {link['mode']} graph")
    if length > max(args.max_circuity * crow, crow + 15.0):
        reasons.append(f"path {length:,.0f} km is {length / max(crow, 1e-9):.2f}x the great circle")
    stated = float(link["distance_km"])
    if sourced(link) and abs(length - stated) > args.max_deviation * stated:
        reasons.append(f"path {length:,.0f} km is far from the sourced {stated:,.0f} km")
    if reasons:
        return Built(
            link["link_id"],
            "straight",
            (),
            [a, b],
            "",
            "",
            ["no dataset path: " + "; ".join(reasons)],
        )
    what = "railway" if link["mode"] == "rail" else "highway"
    note = f"shortest path on the OpenStreetMap-derived world {what} graph (scgraph-data)"
    return Built(link["link_id"], "dataset", (OSM_SOURCE,), coords, note, OSM_FILE, [])


def waypoint_link(
    link: dict[str, str],
    a: Point,
    b: Point,
    rows: list[dict[str, str]],
    data: Datasets,
    args: argparse.Namespace,
) -> Built:
    rows = sorted(rows, key=lambda r: float(r["seq"]))
    points = [a, *((float(r["lon"]), float(r["lat"])) for r in rows), b]
    names = " - ".join(r["name"] for r in rows if r["name"])
    sources = tuple(dict.fromkeys(s for r in rows for s in listed(r["source"])))
    how = rows[0]["route"]
    if how == "dataset" and link["mode"] in ("sea", "ferry"):
        _, closed = closed_passages(link)
        coords = [a]
        for p, q in itertools.pairwise(points):
            piece, _ = data.sea_path(p, q, sorted(closed))
            coords.extend(piece[1:] if len(piece) > 1 else [q])
        note = f"searoute lane via {names}"
        return Built(
            link["link_id"], "dataset", (SEAROUTE_SOURCE, *sources), coords, note, MAIN_FILE, []
        )
    if how == "dataset" and link["mode"] in ("rail", "road"):
        coords: list[Point] = [a]
        straight = 0
        for p, q in itertools.pairwise(points):
            piece, gap = data.land_path(link["mode"], p, q)
            crow = great_circle_km(p, q)
            too_long = path_length_km(piece) > max(args.max_circuity * crow, crow + 15.0)
            if gap > args.max_gap_km or too_long:
                piece, straight = [p, q], straight + 1  # the graph has a gap here
            coords.extend(piece[1:])
        note = f"{link['mode']} graph routed via {names}"
        if not straight:
            return Built(
                link["link_id"], "dataset", (OSM_SOURCE, *sources), coords, note, OSM_FILE, []
            )
        note += "; straight where the graph has gaps"
        issue = [f"{straight} of {len(points) - 1} pieces straight (graph gaps)"]
        return Built(
            link["link_id"], "waypoints", (OSM_SOURCE, *sources), coords, note, OSM_FILE, issue
        )
    return Built(
        link["link_id"],
        "waypoints",
        sources,
        points,
        f"straight segments via {names}",
        MAIN_FILE,
        [],
    )


def sourced(link: dict[str, str]) -> bool:
    return bool(listed(link.get("distance_source", ""))) and link["distance_source"] != "geometry"


def build_link(
    link: dict[str, str],
    nodes: dict[str, dict[str, str]],
    waypoints: dict[str, list[dict[str, str]]],
    data: Datasets,
    args: argparse.Namespace,
) -> Built:
    a_row, b_row = nodes[link["from_node"]], nodes[link["to_node"]]
    a = (float(a_row["lon"]), float(a_row["lat"]))
    b = (float(b_row["lon"]), float(b_row["lat"]))
    if link["link_id"] in waypoints:
        built = waypoint_link(link, a, b, waypoints[link["link_id"]], data, args)
    elif link["mode"] in ("sea", "ferry"):
        built = sea_link(link, a, b, data)
    elif link["mode"] in ("rail", "road"):
        built = land_link(link, a, b, data, args)
    else:
        built = Built(
            link["link_id"], "straight", (), [a, b], "", "", ["no waypoints for a pipeline"]
        )
    if built.method != "straight":
        built.coords = simplify(dedupe(built.coords), args.tolerance_km)
    return built


# -- output -----------------------------------------------------------------------------------


def write_geometry(folder: Path, built: dict[str, Built], keep: dict[str, dict[str, str]]) -> None:
    """Write geometry.csv and geometry_osm.csv; `keep` holds rows of links not rebuilt."""
    columns = list(GEOMETRY)
    by_file: dict[str, list[dict[str, str]]] = defaultdict(list)
    for lid, row in keep.items():
        if lid not in built:
            by_file[row.pop("_file")].append(row)
    for b in built.values():
        if b.method == "straight" or len(dedupe(b.coords)) < 2:
            continue  # a straight line, or ends on one point: the loader draws it straight
        by_file[b.file].append(
            {
                "link_id": b.link_id,
                "method": b.method,
                "source": ";".join(b.sources),
                "polyline": encode_polyline(b.coords),
                "note": b.note,
            }
        )
    for name in (MAIN_FILE, OSM_FILE):
        rows = sorted(by_file.get(name, []), key=lambda r: r["link_id"])
        path = folder / name
        if not rows:
            path.unlink(missing_ok=True)
            continue
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        path.write_text(buffer.getvalue(), encoding="utf-8")


def existing_rows(folder: Path) -> dict[str, dict[str, str]]:
    rows = {}
    for name in (MAIN_FILE, OSM_FILE):
        path = folder / name
        if path.is_file():
            for row in read_csv(path)[1]:
                rows[row["link_id"]] = {**{k: row.get(k, "") for k in GEOMETRY}, "_file": name}
    return rows


MIN_PATH_KM = 0.5  # a shorter path has both ends on one point: it says nothing of the distance


def update_distances(
    folder: Path, lengths: dict[str, float], max_change: float = math.inf
) -> tuple[int, list[str]]:
    """Set distance_km to the polyline's length where the distance is an estimate.

    An estimate that would change by more than `max_change` (a share) is left alone and listed,
    so that a path the dataset got wrong does not silently replace a plausible estimate."""
    path = folder / "links.csv"
    header, rows = read_csv(path)
    changed, held = 0, []
    for row in rows:
        lid = row["link_id"]
        if lid in lengths and not sourced(row) and lengths[lid] >= MIN_PATH_KM:
            old = float(row["distance_km"])
            if row["distance_source"] != "geometry" and abs(lengths[lid] - old) > max_change * old:
                held.append(f"{lid} ({old:,.0f} -> {lengths[lid]:,.0f} km)")
                continue
            # rounded up, so that a rounded figure never falls below the path (or great circle)
            row["distance_km"] = (
                f"{math.ceil(lengths[lid]):.0f}"
                if lengths[lid] >= 10
                else f"{math.ceil(lengths[lid] * 10) / 10:.1f}"
            )
            row["distance_source"] = "geometry"
            changed += 1
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return changed, held


def report_line(link: dict[str, str], b: Built, crow: float) -> str:
    length = path_length_km(b.coords)
    stated = float(link["distance_km"])
    delta = (stated - length) / length if length else 0.0
    flag = " !" if b.issues or abs(delta) > 0.15 else ""
    issues = ("  " + "; ".join(b.issues)) if b.issues else ""
    return (
        f"{b.link_id:24} {link['mode']:8} {b.method:9} {len(b.coords):5} pts "
        f"{length:8,.0f} km  x{length / max(crow, 1e-9):4.2f} gc  stated {stated:7,.0f} ({delta:+.0%}){flag}{issues}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--network", type=Path, default=DEFAULT_NETWORK, help="package folder")
    parser.add_argument("--waypoints", type=Path, default=DEFAULT_WAYPOINTS)
    parser.add_argument("--only", nargs="*", default=None, help="rebuild only these link ids")
    parser.add_argument("--tolerance-km", type=float, default=1.0)
    parser.add_argument("--max-circuity", type=float, default=1.6)
    parser.add_argument("--max-deviation", type=float, default=0.25)
    parser.add_argument("--max-gap-km", type=float, default=30.0)
    parser.add_argument("--update-distances", action="store_true")
    parser.add_argument(
        "--max-change",
        type=float,
        default=0.35,
        help="with --update-distances: leave estimates that would change by more than this share",
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 when a link has an issue")
    args = parser.parse_args(argv)

    folder: Path = args.network
    nodes = {r["node_id"]: r for r in read_csv(folder / "nodes.csv")[1]}
    links = read_csv(folder / "links.csv")[1]
    waypoints: dict[str, list[dict[str, str]]] = defaultdict(list)
    if args.waypoints.is_file():
        for row in read_csv(args.waypoints)[1]:
            waypoints[row["link_id"]].append(row)
    wanted = set(args.only) if args.only else None
    data = Datasets()
    built: dict[str, Built] = {}
    keep = existing_rows(folder) if wanted else {}
    progress: Callable[[str], None] = lambda s: print(s, flush=True)  # noqa: E731
    crows: dict[str, float] = {}
    for link in links:
        if wanted is not None and link["link_id"] not in wanted:
            continue
        b = build_link(link, nodes, waypoints, data, args)
        built[link["link_id"]] = b
        a, z = nodes[link["from_node"]], nodes[link["to_node"]]
        crow = great_circle_km(
            (float(a["lon"]), float(a["lat"])), (float(z["lon"]), float(z["lat"]))
        )
        crows[link["link_id"]] = crow
        progress(report_line(link, b, crow))
    write_geometry(folder, built, keep)
    methods = defaultdict(int)
    for b in built.values():
        methods[b.method] += 1
    print("built:", ", ".join(f"{k} {v}" for k, v in sorted(methods.items())))
    if args.update_distances:
        # only paths routed on a dataset end to end: hand-traced or gap-bridged ones are sketches
        # never below the great circle between the nodes (a path snapped near its ends may be)
        lengths = {
            lid: max(path_length_km(b.coords), crows[lid])
            for lid, b in built.items()
            if b.method == "dataset"
        }
        changed, held = update_distances(folder, lengths, args.max_change)
        print(f"links.csv: {changed} estimated distances set from geometry")
        if held:
            print(f"held back (change > {args.max_change:.0%}; check, then --max-change): ")
            print("  " + "\n  ".join(held))
    issues = sum(1 for b in built.values() if b.issues)
    print(f"{issues} link(s) with issues")
    return 1 if args.strict and issues else 0


if __name__ == "__main__":
    raise SystemExit(main())
