"""scripts/check_coordinates.py's decisions, on made-up gazetteer candidates."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from types import ModuleType

import pytest

from repo_scripts import load_script

ARGS = argparse.Namespace(confirm_km=5.0, max_correction_km=60.0)
KM_PER_DEG_LAT = 111.19  # along a meridian on the 6371 km sphere


@pytest.fixture(scope="module")
def script() -> ModuleType:
    return load_script("check_coordinates")


def node(kind: str = "city") -> dict[str, str]:
    return {
        "node_id": "XX_A",
        "name": "Alpha",
        "aliases": "Alfa",
        "country": "XX",
        "kind": kind,
        "lat": "40.0",
        "lon": "60.0",
        "coord_source": "",
        "estimate": "true",
        "note": "approximate coordinates (about 0.05 deg) from the project's node draft, "
        "not surveyed; a junction",
    }


def north(script: ModuleType, km: float, primary: bool = True, label: str = "G 1 Alpha") -> object:
    return script.Candidate(40.0 + km / KM_PER_DEG_LAT, 60.0, "geonames", label, primary)


@pytest.mark.parametrize(
    ("kind", "offsets", "primary", "verdict"),
    [
        ("city", [3.0], True, "confirmed"),
        ("terminal", [3.0], False, "confirmed"),  # an alias confirms a nearby position
        ("city", [20.0], True, "corrected"),
        ("city", [20.0, 20.5], True, "corrected"),  # two records of one place
        ("city", [20.0, 45.0], True, "ambiguous"),  # two places of that name nearby
        ("city", [20.0, 900.0], True, "corrected"),  # a namesake far away does not count
        ("city", [80.0], True, "far"),
        ("city", [20.0], False, "alias only"),
        ("terminal", [20.0], True, "facility"),
        ("city", [], True, "none"),
    ],
)
def test_the_nearest_candidate_decides(
    script: ModuleType, kind: str, offsets: list[float], primary: bool, verdict: str
) -> None:
    cands = [north(script, km, primary) for km in offsets]
    got, best, offset = script.decide(node(kind), cands, ARGS)
    assert got == verdict
    if offsets:
        assert offset == pytest.approx(min(offsets), rel=0.01)
        assert best is cands[0]


def test_confirmed_nodes_keep_their_position_and_say_what_checked_them(script: ModuleType) -> None:
    row = node()
    script.apply(row, north(script, 3.0, label="GeoNames 7 Alpha"), "confirmed", 3.0)
    assert (row["lat"], row["lon"]) == ("40.0", "60.0")
    assert row["coord_source"] == "geonames" and row["estimate"] == "false"
    assert row["note"] == "coordinates checked against GeoNames 7 Alpha (3.0 km apart); a junction"
    again = dict(row)
    script.apply(again, north(script, 3.0, label="GeoNames 7 Alpha"), "confirmed", 3.0)
    assert again == row  # re-running changes nothing


def test_corrected_nodes_take_the_gazetteers_coordinates(script: ModuleType) -> None:
    row = node()
    cand = north(script, 20.0, label="GeoNames 7 Alpha")
    script.apply(row, cand, "corrected", 20.0)
    assert float(row["lat"]) == pytest.approx(cand.lat, abs=1e-4) and row["lon"] == "60.0000"
    assert row["note"] == "coordinates from GeoNames 7 Alpha; a junction"


def test_port_names_match_without_the_word_port(script: ModuleType) -> None:
    assert script.port_key("Port of Aktau") == script.port_key("Aktau") == "aktau"
    assert script.key("Łódź") == "lodz" and script.key("Türkmenbaşy") == "turkmenbasy"


def test_a_published_label_with_a_semicolon_is_not_repeated_on_a_re_run(script: ModuleType) -> None:
    row = node()
    cand = north(script, 10.0, label="Alpha station (Wikipedia); the yard lies at the village")
    script.apply(row, cand, "published", 10.0)
    assert row["note"].count("the yard lies at the village") == 1
    assert row["note"].endswith("; a junction")
    again = dict(row)
    script.apply(again, cand, "published", 0.0)
    assert again == row  # re-running changes nothing


def test_only_limits_the_rows_written(
    script: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    header = "node_id,name,aliases,country,kind,lat,lon,coord_source,source,estimate,note\n"
    rows = "XX_A,Alpha,,XX,city,40.0,60.0,,s,true,a\nXX_B,Beta,,XX,city,41.0,61.0,,s,true,b\n"
    (tmp_path / "nodes.csv").write_text(header + rows, encoding="utf-8")
    published = tmp_path / "published.csv"
    published.write_text(
        "node_id,lat,lon,source,note\nXX_A,40.1,60.1,pa,A page\nXX_B,41.1,61.1,pb,B page\n",
        encoding="utf-8",
    )

    class NoGazetteer:
        def candidates(self, row: dict[str, str]) -> list[object]:
            return []

    monkeypatch.setattr(script, "Gazetteers", NoGazetteer)
    argv = ["x", "--network", str(tmp_path), "--published", str(published), "--write"]
    monkeypatch.setattr(sys, "argv", [*argv, "--only", "XX_B"])
    assert script.main() == 0
    text = (tmp_path / "nodes.csv").read_text(encoding="utf-8")
    assert "XX_A,Alpha,,XX,city,40.0,60.0,,s,true,a" in text  # left as it was
    assert "XX_B,Beta,,XX,city,41.1000,61.1000,pb,s,false,coordinates from B page; b" in text
