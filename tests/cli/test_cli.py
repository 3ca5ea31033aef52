"""The command line as a user runs it: a real process, its output and its exit code."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from cli_run import run

TINY = Path(__file__).parents[1] / "fixtures" / "tiny"


def assert_user_error(proc: subprocess.CompletedProcess[str], code: int, text: str) -> None:
    assert proc.returncode == code, proc
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("corridor: ") and text in lines[0]
    assert "Traceback" not in proc.stderr


def test_route_prints_a_pareto_table() -> None:
    proc = run("route", "Xi'an", "Duisburg", "--depart", "2026-12-01")
    assert proc.returncode == 0, proc.stderr
    assert "Xi'an International Port → Duisburg" in proc.stdout
    assert "Pareto" in proc.stdout and "alt." in proc.stdout


def test_route_json_has_routes_with_totals_and_legs() -> None:
    proc = run(
        "route",
        "Xian",
        "Duisburg",
        "--depart",
        "2026-12-01T06:00Z",
        "--format",
        "json",
        "--containers",
        "2",
        "--size",
        "20",
        "--commodity",
        "agri",
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["origin"] == "CN_XIA" and data["destination"] == "DE_DUI"
    assert data["depart"] == "2026-12-01T06:00:00Z" and data["commodity"] == "agri"
    assert data["routes"]
    for route in data["routes"]:
        for key in (
            "pareto",
            "transit_hours",
            "cost_usd",
            "co2e_kg",
            "distance_km",
            "countries",
            "modes",
            "legs",
        ):
            assert key in route
        assert route["countries"][0] == "CN" and route["countries"][-1] == "DE"
        for leg in route["legs"]:
            assert leg["kind"] in {"move", "wait", "transfer", "border"}
            for key in (
                "from",
                "to",
                "mode",
                "depart",
                "arrive",
                "hours",
                "distance_km",
                "cost_usd",
                "co2e_kg",
            ):
                assert key in leg


def test_route_geojson_is_a_feature_collection_of_lines() -> None:
    proc = run("route", "Almaty", "Poti", "--format", "geojson", "--depart", "2026-12-01")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["type"] == "FeatureCollection"
    for feature in data["features"]:
        assert feature["geometry"]["type"] == "LineString"
        assert len(feature["geometry"]["coordinates"]) >= 2
        # flat properties: no nested objects or lists, so a GeoPackage keeps every column
        assert all(not isinstance(v, dict | list) for v in feature["properties"].values())
    routes = [f for f in data["features"] if f["properties"]["feature"] == "route"]
    legs = [f for f in data["features"] if f["properties"]["feature"] == "leg"]
    assert routes and data["features"][: len(routes)] == routes  # routes first, in rank order
    assert [f["properties"]["rank"] for f in routes] == list(range(1, len(routes) + 1))
    for route in routes:
        own = [f for f in legs if f["properties"]["rank"] == route["properties"]["rank"]]
        assert own and own[0]["properties"]["from"] == route["properties"]["nodes"].split(";")[0]
        total = sum(f["properties"]["cost_usd"] for f in own)
        assert abs(total - route["properties"]["cost_usd"]) < 0.01 * len(own) + 0.01


def test_route_with_legs_shows_waits_and_borders() -> None:
    proc = run(
        "route",
        "Alpha",
        "Echo",
        "--network",
        str(TINY),
        "--depart",
        "2026-01-05",
        "--avoid-mode",
        "road",
        "--legs",
        columns=160,
    )
    assert proc.returncode == 0, proc.stderr
    for word in ("wait", "border", "transfer", "gauge change", "FERRY_DE"):
        assert word in proc.stdout


@pytest.mark.parametrize(
    ("args", "text"),
    [
        (("route", "Atlantis", "Duisburg"), "no place matches 'Atlantis'"),
        (("route", "Port", "Duisburg"), "is ambiguous"),
        (("route", "Xian", "Duisburg", "--depart", "soon"), "--depart"),
        (("route", "Xian", "Duisburg", "--size", "30"), "--size"),
        (("route", "Xian", "Duisburg", "--avoid-country", "Russia"), "--avoid-country"),
        (("route", "Xian", "Duisburg", "--avoid-mode", "air"), "--avoid-mode"),
        (("route", "Xian", "Duisburg", "--criteria", "speed"), "criteria"),
        (("route", "Xian", "Duisburg", "--commodity", "coal"), "commodity"),
        (("route", "Xian", "Duisburg", "--bogus"), "--bogus"),
        (("route", "Xian"), "DESTINATION"),
        (("route", "Xian", "Duisburg", "--network", "/nonexistent"), "not a network folder"),
    ],
)
def test_user_mistakes_exit_2_with_one_line(args: tuple[str, ...], text: str) -> None:
    assert_user_error(run(*args), 2, text)


def test_no_route_exits_1_naming_the_constraint() -> None:
    proc = run("route", "Xian", "Duisburg", "--avoid-mode", "rail", "--avoid-mode", "road")
    assert_user_error(proc, 1, "--avoid-mode")


def test_validate_lists_every_problem_and_exits_2(tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "broken"
    shutil.copytree(TINY, folder)
    nodes = folder / "nodes.csv"
    nodes.write_text(nodes.read_text().replace("Alfa,AA,", "Alfa,A1,"), encoding="utf-8")
    links = folder / "links.csv"
    links.write_text(links.read_text().replace("L3,BB_C,BB_D", "L3,BB_C,ZZ_Z"), encoding="utf-8")
    proc = run("validate", str(folder))
    assert proc.returncode == 2
    assert "nodes.csv, row 2, column 'country'" in proc.stderr
    assert "links.csv, row 4, column 'to_node'" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_validate_accepts_the_fixture() -> None:
    proc = run("validate", str(TINY))
    assert proc.returncode == 0 and "OK" in proc.stdout


def test_places_finds_nodes() -> None:
    proc = run("places", "xian")
    assert proc.returncode == 0 and "CN_XIA" in proc.stdout


def test_network_summary_and_geojson() -> None:
    summary = run("network")
    assert summary.returncode == 0 and "expanded graph" in summary.stdout
    geo = json.loads(run("network", "--format", "geojson").stdout)
    kinds = {f["properties"]["kind"] for f in geo["features"]}
    assert kinds == {"node", "link"}


def test_help_is_shown_without_arguments() -> None:
    proc = run()
    assert proc.returncode == 0 and "route" in proc.stdout
