"""`corridor validate` warnings and the sourced/estimated summary, as a user runs them."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

from cli_run import run

from corridor.network.loader import bundled_path

TINY = Path(__file__).resolve().parents[1] / "fixtures" / "tiny"


def test_validate_warns_without_failing(tmp_path: Path) -> None:
    folder = tmp_path / "tiny"
    shutil.copytree(TINY, folder)
    proc = run("validate", str(folder))
    assert proc.returncode == 0, proc.stderr
    assert "OK" in proc.stdout and "1 warning(s)" in proc.stdout
    warnings = [line for line in proc.stderr.splitlines() if "warning:" in line]
    assert len(warnings) == 1 and "L2 is shorter than the great circle" in warnings[0]


def test_validate_without_warnings_prints_none(tmp_path: Path) -> None:
    folder = tmp_path / "tiny"
    shutil.copytree(TINY, folder)
    links = folder / "links.csv"
    links.write_text(
        links.read_text().replace("L2,AA_B,BB_C,rail,1435,10,", "L2,AA_B,BB_C,rail,1435,90,")
    )
    proc = run("validate", str(folder))
    assert proc.returncode == 0 and proc.stderr == "" and "warning(s)" not in proc.stdout


def test_summary_reports_sourced_shares_per_table() -> None:
    proc = run("network", "--format", "summary")
    assert proc.returncode == 0
    with (bundled_path() / "nodes.csv").open(newline="", encoding="utf-8") as handle:
        nodes = list(csv.DictReader(handle))
    sourced = sum(1 for n in nodes if n["coord_source"].strip())
    line = next(x for x in proc.stdout.splitlines() if "coordinates" in x)
    cells = line.replace("│", " ").split()
    assert cells[:4] == ["nodes", "coordinates", str(sourced), str(len(nodes) - sourced)]
    assert cells[4] == f"{sourced / len(nodes):.0%}"


def test_network_geojson_draws_sea_lanes_as_polylines() -> None:
    proc = run("network", "--format", "geojson")
    features = json.loads(proc.stdout)["features"]
    sea = [f for f in features if f["properties"].get("mode") == "sea"]
    assert sea and all(len(f["geometry"]["coordinates"]) > 2 for f in sea)
    # searoute's lanes, or waypoints traced by hand where searoute has no lane (the Kiel Canal)
    paths = [f["properties"]["path"] for f in sea]
    assert all(p.startswith(("dataset:", "waypoints:")) for p in paths)
    assert sum(p.startswith("dataset:") for p in paths) > len(paths) / 2
