"""`corridor compare` as a user runs it: a real process, its output and its exit code."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import cli_run
from cli_run import assert_user_error

EXAMPLES = Path(__file__).parents[2] / "examples"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    # a wide terminal: these tests read whole cells (the CLI follows COLUMNS)
    return cli_run.run("compare", *args, timeout=300, columns=200)


def od_file(tmp_path: Path, rows: str) -> Path:
    path = tmp_path / "od.csv"
    path.write_text("origin,destination,commodity\n" + rows, encoding="utf-8")
    return path


def test_red_sea_table_shows_the_cape_detour_and_a_dearer_cheapest_route(tmp_path: Path) -> None:
    od = od_file(tmp_path, "Xian,Duisburg,general\nAlmaty,Duisburg,agri\n")
    proc = run(
        "--scenario",
        str(EXAMPLES / "red-sea-closed.toml"),
        "--od",
        str(od),
        "--depart",
        "2026-12-01",
        "--samples",
        "200",
    )
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "Red Sea closed" in out and "CN_XIA→DE_DUI" in out
    assert "rerouted" in out and "+cape" in out and "−suez" in out
    # the headline's cheapest column: "before → after │ +delta │" (the Cape is longer)
    headline = next(line for line in out.splitlines() if line.lstrip().startswith("CN_XIA→DE_DUI"))
    assert re.search(r"[\d,]+ → [\d,]+ │\s+\+[\d,]+ │", headline), headline


def test_json_output_and_a_picture(tmp_path: Path) -> None:
    od = od_file(tmp_path, "Kuryk,Alat,general\n")
    picture = tmp_path / "deltas.png"
    proc = run(
        "--scenario",
        str(EXAMPLES / "caspian-ferries-doubled.toml"),
        "--od",
        str(od),
        "--depart",
        "2026-12-01",
        "--format",
        "json",
        "--plot",
        str(picture),
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert (
        data["scenario"] == "Caspian ferries doubled" and data["depart"] == "2026-12-01T00:00:00Z"
    )
    (od_row,) = data["ods"]
    assert od_row["origin"] == "KZ_KUR" and od_row["destination"] == "AZ_ALT"
    assert od_row["delta"]["days"] <= 0  # more sailings never lengthen the wait
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_scenarios_compose_in_the_order_given(tmp_path: Path) -> None:
    od = od_file(tmp_path, "Xian,Duisburg,general\n")
    proc = run(
        "--scenario",
        str(EXAMPLES / "alashankou-dostyk-closed.toml"),
        "--scenario",
        str(EXAMPLES / "poland-belarus-closed.toml"),
        "--od",
        str(od),
        "--depart",
        "2026-12-01",
        "--samples",
        "0",
        "--format",
        "json",
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["scenario"] == "Alashankou–Dostyk closed + Poland–Belarus border closed"


def test_a_bad_scenario_file_is_one_line_naming_line_and_key(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[[change]]\ntype = "close_crossing"\ncrossing = "KHORGOS"\n', encoding="utf-8")
    assert_user_error(run("--scenario", str(bad)), "change[1].crossing")


def test_a_missing_scenario_option_and_a_bad_plot_path_are_user_errors(tmp_path: Path) -> None:
    assert_user_error(run(), "--scenario")
    proc = run(
        "--scenario", str(EXAMPLES / "red-sea-closed.toml"), "--plot", str(tmp_path / "x.gif")
    )
    assert_user_error(proc, "--plot")
