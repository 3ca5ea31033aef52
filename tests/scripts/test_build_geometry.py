"""scripts/build_geometry.py without its datasets: passages, simplification, --update-distances."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from corridor.network.loader import bundled_path
from repo_scripts import load_script


@pytest.fixture(scope="module")
def script() -> ModuleType:
    return load_script("build_geometry")


class FakeSea:
    """Stands in for searoute: a lane through fixed points that reports fixed passages."""

    def __init__(self, passed: set[str]) -> None:
        self.passed = passed
        self.closed: list[str] = []

    def sea_path(self, a: Any, b: Any, closed: list[str]) -> tuple[list[Any], set[str]]:
        self.closed = closed
        return [a, (40.0, 10.0), (20.0, -35.0), b], self.passed


def link(passages: str) -> dict[str, str]:
    return {"link_id": "sea_X", "mode": "sea", "passages": passages, "distance_km": "1000"}


def test_a_cape_lane_is_kept_out_of_suez_and_panama(script: ModuleType) -> None:
    sea = FakeSea({"south_africa"})
    built = script.sea_link(link("cape"), (120.0, 30.0), (4.0, 52.0), sea)
    assert {"suez", "babalmandab", "panama"} <= set(sea.closed)
    assert "south_africa" not in sea.closed
    assert built.issues == [] and built.method == "dataset"


def test_a_suez_lane_is_kept_off_the_cape(script: ModuleType) -> None:
    sea = FakeSea({"suez", "babalmandab"})
    built = script.sea_link(link("suez;bab_el_mandeb"), (120.0, 30.0), (4.0, 52.0), sea)
    assert "south_africa" in sea.closed and "suez" not in sea.closed
    assert built.issues == []


@pytest.mark.parametrize(
    ("passages", "passed", "said"),
    [
        ("suez;bab_el_mandeb", {"babalmandab"}, "does not pass suez"),
        ("cape", {"south_africa", "suez"}, "passes suez not in the passages column"),
        ("", {"bosporus"}, "passes bosporus"),
    ],
)
def test_a_lane_that_disagrees_with_its_passages_is_reported(
    script: ModuleType, passages: str, passed: set[str], said: str
) -> None:
    built = script.sea_link(link(passages), (120.0, 30.0), (4.0, 52.0), FakeSea(passed))
    assert any(said in issue for issue in built.issues), built.issues


def test_simplify_keeps_the_ends_and_the_bends_only(script: ModuleType) -> None:
    straight = [(10.0, 50.0 + i * 0.01) for i in range(101)]  # a meridian, 1.1 km steps
    assert script.simplify(straight, 1.0) == [straight[0], straight[-1]]
    bent = [*straight[:50], (10.2, 50.5), *straight[51:]]  # one point 14 km off the line
    kept = script.simplify(bent, 1.0)
    assert kept[0] == bent[0] and kept[-1] == bent[-1] and (10.2, 50.5) in kept
    assert len(kept) <= 5


def test_update_distances_rewrites_only_estimated_distances(
    script: ModuleType, tmp_path: Path
) -> None:
    folder = tmp_path / "net"
    shutil.copytree(bundled_path(), folder)
    path = folder / "links.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        before = list(csv.DictReader(handle))
    # mark one link's distance as sourced so the script must leave it alone
    ids = [r["link_id"] for r in before]
    before[1]["distance_source"] = "longhai-railway"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(before[0]))
        writer.writeheader()
        writer.writerows(before)
    lengths = {ids[0]: 1234.4, ids[1]: 999.0, ids[2]: 7.26}
    changed, held = script.update_distances(folder, lengths)
    with path.open(newline="", encoding="utf-8") as handle:
        after = list(csv.DictReader(handle))
    assert changed == 2 and held == []
    assert (
        after[0]["distance_km"] == "1235"
    )  # rounded up, never below the path and after[0]["distance_source"] == "geometry"
    assert after[1]["distance_km"] == before[1]["distance_km"]
    assert after[1]["distance_source"] == "longhai-railway"
    assert after[2]["distance_km"] == "7.3" and after[2]["distance_source"] == "geometry"
    for old, new in zip(before[3:], after[3:], strict=True):
        assert old == new


def test_update_distances_holds_back_large_changes(script: ModuleType, tmp_path: Path) -> None:
    folder = tmp_path / "net"
    shutil.copytree(bundled_path(), folder)
    with (folder / "links.csv").open(newline="", encoding="utf-8") as handle:
        first = next(r for r in csv.DictReader(handle) if not r["distance_source"])
    old = float(first["distance_km"])
    lid = first["link_id"]
    changed, held = script.update_distances(folder, {lid: old * 1.5}, max_change=0.35)
    assert changed == 0 and len(held) == 1 and held[0].startswith(lid)
    changed, held = script.update_distances(folder, {lid: old * 1.2}, max_change=0.35)
    assert changed == 1 and held == []
