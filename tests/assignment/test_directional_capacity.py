"""A link's reverse capacity caps only its to->from direction in flow assignment.

The network is three nodes: a short direct link N0-N1 and a long detour N1-N2-N0 without
capacities. The direct link is cheaper both ways, so every TEU takes it until a capacity binds;
the expected flows below follow from the test's own demand and capacity figures.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

import corridor
from corridor.assignment import assign, read_demand

TINY = Path(__file__).parents[1] / "fixtures" / "tiny"
COLUMNS = [
    "link_id",
    "from_node",
    "to_node",
    "mode",
    "gauge_mm",
    "distance_km",
    "duration_h",
    "bidirectional",
    "energy_carrier",
    "tariff_usd_per_feu_km",
    "capacity_teu_per_week",
    "capacity_reverse_teu_per_week",
    "commodities",
    "source",
    "estimate",
]
DEMAND = 10  # TEU a week each way between N0 and N1


def write_triangle(folder: Path, forward: str, reverse: str) -> Path:
    """The package with the direct link's capacities `forward` / `reverse` ('' = not given)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("manifest.toml", "commodities.csv", "emission_factors.csv"):
        shutil.copy(TINY / name, folder / name)
    for name in ("crossings.csv", "services.csv", "transfers.csv"):
        header = (TINY / name).read_text(encoding="utf-8").splitlines()[0]
        (folder / name).write_text(header + "\n", encoding="utf-8")
    with (folder / "nodes.csv").open("w", newline="", encoding="utf-8") as handle:
        w = csv.writer(handle)
        w.writerow(["node_id", "name", "country", "kind", "lat", "lon", "source", "estimate"])
        for i in range(3):
            w.writerow([f"N{i}", f"Node {i}", "AA", "terminal", 40 + i, 60 + i, "test", "false"])
    rows = [("L0", "N0", "N1", 10, forward, reverse), ("L1", "N1", "N2", 50, "", "")]
    rows.append(("L2", "N2", "N0", 50, "", ""))
    with (folder / "links.csv").open("w", newline="", encoding="utf-8") as handle:
        links = csv.writer(handle)
        links.writerow(COLUMNS)
        for lid, a, b, km, cap, back in rows:
            fixed = ["rail", 1435, km, 5, "true", "electric", 1]
            links.writerow([lid, a, b, *fixed, cap, back, "*", "test", "false"])
    with (folder / "demand.csv").open("w", newline="", encoding="utf-8") as handle:
        w = csv.writer(handle)
        w.writerow(["origin", "destination", "commodity", "teu_per_week"])
        w.writerow(["N0", "N1", "general", DEMAND])
        w.writerow(["N1", "N0", "general", DEMAND])
    return folder


def flows(folder: Path) -> dict[tuple[str, ...], float]:
    """TEU a week on each route (as its node sequence) of the optimal assignment."""
    net = corridor.load_network(folder)
    result = assign(net, read_demand(folder / "demand.csv", net), value_of_time=0.0)
    assert result.served_teu == pytest.approx(2 * DEMAND)
    out: dict[tuple[str, ...], float] = {}
    for od in result.od:
        for route in od.routes:
            out[route.nodes] = out.get(route.nodes, 0.0) + route.teu
    return {k: v for k, v in out.items() if v > 1e-6}


def test_a_binding_reverse_capacity_sends_only_the_reverse_overflow_round_the_detour(
    tmp_path: Path,
) -> None:
    forward_cap, reverse_cap = 100, 4  # forward slack, reverse binds
    got = flows(write_triangle(tmp_path, str(forward_cap), str(reverse_cap)))
    assert got == pytest.approx(
        {
            ("N0", "N1"): DEMAND,
            ("N1", "N0"): reverse_cap,
            ("N1", "N2", "N0"): DEMAND - reverse_cap,
        }
    )


def test_an_empty_reverse_capacity_takes_the_forward_figure_in_both_directions(
    tmp_path: Path,
) -> None:
    cap = 3
    got = flows(write_triangle(tmp_path, str(cap), ""))
    assert got == pytest.approx(
        {
            ("N0", "N1"): cap,
            ("N0", "N2", "N1"): DEMAND - cap,
            ("N1", "N0"): cap,
            ("N1", "N2", "N0"): DEMAND - cap,
        }
    )


def test_a_reverse_capacity_alone_leaves_the_forward_direction_uncapped(tmp_path: Path) -> None:
    reverse_cap = 6
    got = flows(write_triangle(tmp_path, "", str(reverse_cap)))
    assert got == pytest.approx(
        {
            ("N0", "N1"): DEMAND,
            ("N1", "N0"): reverse_cap,
            ("N1", "N2", "N0"): DEMAND - reverse_cap,
        }
    )
