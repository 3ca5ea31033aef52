"""`corridor assign` as a user runs it: a real process, its output, files and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from cli_run import assert_user_error, run


def test_assign_reports_where_the_shipped_demand_outruns_capacity(tmp_path: Path) -> None:
    picture = tmp_path / "use.png"
    proc = run("assign", "--plot", str(picture))
    assert proc.returncode == 0, proc.stderr
    assert "Bottlenecks" in proc.stdout and "100%" in proc.stdout  # a binding facility, full
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_assign_json_lists_flows_bottlenecks_and_routes() -> None:
    proc = run("assign", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["bottlenecks"] and data["bottlenecks"][0]["shadow_price_usd_per_teu"] > 0
    assert {"links", "crossings", "constraints", "od", "unserved"} <= set(data)
    assert all(od["routes"] for od in data["od"])


def test_assign_with_a_scenario_moves_flow_off_a_closed_crossing(tmp_path: Path) -> None:
    scenario = tmp_path / "closed.toml"
    scenario.write_text(
        'name = "no Alashankou"\n[[change]]\ntype = "close_crossing"\n'
        'crossing = "ALASHANKOU_DOSTYK"\n',
        encoding="utf-8",
    )
    proc = run("assign", "--scenario", str(scenario), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert not any(
        c["id"] == "ALASHANKOU_DOSTYK" and c["flow_teu_per_week"] > 0 for c in data["crossings"]
    )


def test_assign_bad_demand_file_is_one_line_naming_row_and_column(tmp_path: Path) -> None:
    demand = tmp_path / "demand.csv"
    demand.write_text("origin,destination,teu_per_week\nXian,Duisburg,lots\n", encoding="utf-8")
    assert_user_error(run("assign", str(demand)), "row 2, column 'teu_per_week'")


def test_assign_plot_with_a_wrong_suffix_is_a_user_error(tmp_path: Path) -> None:
    assert_user_error(run("assign", "--plot", str(tmp_path / "map.gif")), "--plot")


def test_help_states_the_value_of_time_the_solver_defaults_to() -> None:
    from corridor.assignment import DEFAULT_VALUE_OF_TIME

    proc = run("assign", "--help")
    assert proc.returncode == 0
    assert f"default {DEFAULT_VALUE_OF_TIME:g}" in " ".join(proc.stdout.split())
