"""The scenario-deltas picture: one bar row per OD, written as a real image file."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import corridor
from corridor.routing.odset import ODPair
from corridor.scenarios import Scenario
from corridor.scenarios.compare import compare
from corridor.scenarios.model import CloseNode, ClosePassage
from optional import require_module

require_module("matplotlib")


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


def test_the_picture_grows_with_the_number_of_od_pairs(
    eurasia: corridor.Network, tmp_path: Path
) -> None:
    from corridor.plots.scenario_deltas import draw_scenario_deltas

    scenario = Scenario("red sea", changes=(ClosePassage("suez"), CloseNode("KZ_ALA")))
    pairs = [ODPair("CN_XIA", "DE_DUI"), ODPair("KZ_ALA", "DE_DUI", "agri")]
    depart = datetime(2026, 12, 1, tzinfo=UTC)
    sizes = []
    for n in (1, 2):
        result = compare(eurasia, scenario, pairs[:n], depart=depart, samples=0, progress=False)
        target = draw_scenario_deltas(result, tmp_path / f"deltas{n}.png")
        sizes.append(png_size(target))
    assert sizes[0][0] == sizes[1][0] and sizes[1][1] > sizes[0][1]
    assert not list(tmp_path.glob(".*.partial"))
