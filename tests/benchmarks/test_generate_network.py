"""The scale benchmarks' network generator: valid packages, connected, Gabriel roads, seeded."""

from __future__ import annotations

import csv
import hashlib
import math
import sys
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest

import corridor

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from generate_network import generate_package


def _rows(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for f in sorted(folder.iterdir()):
        h.update(f.name.encode() + f.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_package(400, tmp_path_factory.mktemp("gen") / "net", seed=7)


def test_the_package_loads_and_has_every_layer_and_table(package: Path) -> None:
    net = corridor.load_network(package)
    assert 380 <= len(net.nodes) <= 400
    assert {lk.mode for lk in net.links} == {"road", "rail", "ferry", "sea"}
    assert {lk.gauge_mm for lk in net.links if lk.mode == "rail"} == {1435, 1520}
    assert {t.kind for t in net.transfers} == {"gauge_change", "transshipment"}
    kinds = Counter(s.kind for s in net.services)
    assert kinds["weekly"] > 0 and kinds["headway"] > 0
    assert {s.link_id for s in net.services if s.kind == "weekly"} == {
        lk.link_id for lk in net.links if lk.mode in ("ferry", "sea")
    }
    assert len(net.countries) >= 4 and net.crossings


def test_every_node_reaches_every_other_through_links_and_transfers(package: Path) -> None:
    graph = nx.Graph()  # states (node, layer); every link is bidirectional
    for lk in _rows(package, "links.csv"):
        layer = f"rail_{lk['gauge_mm']}" if lk["mode"] == "rail" else lk["mode"]
        graph.add_edge((lk["from_node"], layer), (lk["to_node"], layer))
    for t in _rows(package, "transfers.csv"):
        graph.add_edge((t["node_id"], t["from_layer"]), (t["node_id"], t["to_layer"]))
    assert nx.is_connected(graph)
    assert {n for n, _ in graph.nodes} == {n["node_id"] for n in _rows(package, "nodes.csv")}


def _xy(node: dict[str, str], mid_lat: float) -> tuple[float, float]:
    return (
        float(node["lon"]) * 111.32 * math.cos(math.radians(mid_lat)),
        float(node["lat"]) * 110.57,
    )


def test_road_links_are_gabriel_edges_and_borders_have_few_crossings(package: Path) -> None:
    nodes = {n["node_id"]: n for n in _rows(package, "nodes.csv")}
    xy = {k: _xy(n, 43.0) for k, n in nodes.items()}  # planar at the domain's mid latitude
    links = _rows(package, "links.csv")
    for lk in (lk for lk in links if lk["mode"] == "road"):
        (ax, ay), (bx, by) = xy[lk["from_node"]], xy[lk["to_node"]]
        cx, cy, r2 = (ax + bx) / 2, (ay + by) / 2, ((ax - bx) ** 2 + (ay - by) ** 2) / 4
        inside = [
            k
            for k, (x, y) in xy.items()
            if k not in (lk["from_node"], lk["to_node"])
            and (x - cx) ** 2 + (y - cy) ** 2 < r2 * (1 - 1e-6)
        ]
        assert not inside, lk["link_id"]
    per_pair: Counter[tuple[str, frozenset[str]]] = Counter()
    for lk in links:
        a, b = nodes[lk["from_node"]]["country"], nodes[lk["to_node"]]["country"]
        if a != b:
            per_pair[(lk["mode"], frozenset((a, b)))] += 1
    assert per_pair and all(
        count <= {"road": 2, "rail": 1}.get(mode, 9) for (mode, _), count in per_pair.items()
    )
    crossed = {c["link_id"] for c in _rows(package, "crossings.csv")}
    assert crossed == {
        lk["link_id"]
        for lk in links
        if lk["mode"] != "sea"
        and nodes[lk["from_node"]]["country"] != nodes[lk["to_node"]]["country"]
    }


def test_gauge_changes_stand_wherever_both_gauges_meet(package: Path) -> None:
    gauges: dict[str, set[str]] = {}
    for lk in _rows(package, "links.csv"):
        if lk["mode"] == "rail":
            for end in (lk["from_node"], lk["to_node"]):
                gauges.setdefault(end, set()).add(lk["gauge_mm"])
    both = {n for n, g in gauges.items() if len(g) == 2}
    changes = {t["node_id"] for t in _rows(package, "transfers.csv") if t["kind"] == "gauge_change"}
    assert both and changes == both


def test_the_same_seed_gives_the_same_bytes_and_another_seed_another_network(
    package: Path, tmp_path: Path
) -> None:
    again = generate_package(400, tmp_path / "again", seed=7)
    other = generate_package(400, tmp_path / "other", seed=8)
    assert _digest(again) == _digest(package)
    assert _digest(other) != _digest(package)
