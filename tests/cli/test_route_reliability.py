"""`corridor route` with --samples, --deadline, --seed and the p90 criterion, as a user runs it."""

from __future__ import annotations

import json

from cli_run import assert_user_error, run

ROUTE = ("route", "Xian", "Duisburg", "--depart", "2026-12-01", "--alternatives", "1")


def test_json_routes_carry_simulated_percentiles_and_on_time_probability() -> None:
    proc = run(*ROUTE, "--samples", "3000", "--deadline", "2026-12-20", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["reliability"]["samples"] == 3000 and data["reliability"]["seed"] == 0
    assert data["reliability"]["deadline"] == "2026-12-20T00:00:00Z"
    for route in data["routes"]:
        assert route["p50_hours"] <= route["p90_hours"] <= route["p95_hours"]
        assert 0.0 <= route["on_time_probability"] <= 1.0
    fastest = min(data["routes"], key=lambda r: r["transit_hours"])
    assert fastest["on_time_probability"] > 0.5  # 19 days for a 14.5-day rail route


def test_without_samples_the_reliability_fields_are_null() -> None:
    proc = run(*ROUTE, "--format", "json")
    data = json.loads(proc.stdout)
    assert "reliability" not in data
    assert all(r["p90_hours"] is None and r["on_time_probability"] is None for r in data["routes"])


def test_the_same_seed_gives_the_same_figures() -> None:
    a = json.loads(run(*ROUTE, "--samples", "500", "--seed", "4", "--format", "json").stdout)
    b = json.loads(run(*ROUTE, "--samples", "500", "--seed", "4", "--format", "json").stdout)
    assert [r["p90_hours"] for r in a["routes"]] == [r["p90_hours"] for r in b["routes"]]


def test_the_table_shows_p50_p90_and_on_time_columns() -> None:
    proc = run(*ROUTE, "--deadline", "2026-12-20T12:00Z", "--samples", "1000", columns=120)
    assert proc.returncode == 0, proc.stderr
    for text in ("P50 d", "P90 d", "on time", "1,000 Monte Carlo samples", "2026-12-20 12:00"):
        assert text in proc.stdout


def test_the_p90_criterion_reports_simulated_figures_without_samples() -> None:
    proc = run(*ROUTE, "--criteria", "p90,cost", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["criteria"] == ["p90", "cost"] and data["reliability"]["samples"] == 10_000
    assert all(r["p90_hours"] is not None for r in data["routes"])


def test_bad_reliability_options_are_one_line_errors() -> None:
    assert_user_error(run(*ROUTE, "--deadline", "soon"), "--deadline: expected a date")
    assert_user_error(run(*ROUTE, "--deadline", "2026-11-01"), "--deadline: expected a time after")
    assert_user_error(run(*ROUTE, "--samples", "0"), "--samples: expected a whole number")
    assert_user_error(run(*ROUTE, "--plot", "front.jpg"), "--plot: expected a file name ending")
    assert_user_error(run(*ROUTE, "--criteria", "p99"), "p90")
