"""Route pictures: the Pareto front, and the transit-time distributions beside it when simulated."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

import corridor
from corridor.plots.pareto_front import save_route_picture
from corridor.reliability import assess
from optional import require_module

require_module("matplotlib")


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from the PNG header (the IHDR chunk)."""
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


@pytest.fixture(scope="module")
def assessed(eurasia: corridor.Network) -> corridor.PlanResult:
    query = corridor.Query("Xian", "Duisburg", depart=datetime(2026, 12, 1), alternatives=2)
    return corridor.plan(eurasia, query)


def test_the_front_alone_and_with_distributions(
    eurasia: corridor.Network, assessed: corridor.PlanResult, tmp_path: Path
) -> None:
    alone = save_route_picture(assessed, tmp_path / "front.png")
    a = assess(eurasia, assessed, samples=2000, deadline=datetime(2026, 12, 20))
    both = save_route_picture(a.result, tmp_path / "both.png", a.distributions, a.deadline_hours)
    (w1, h1), (w2, h2) = png_size(alone), png_size(both)
    assert w2 > 1.5 * w1 and h1 == h2  # a second panel beside the front


def test_the_svg_names_the_deadline_and_every_route(
    eurasia: corridor.Network, assessed: corridor.PlanResult, tmp_path: Path
) -> None:
    a = assess(eurasia, assessed, samples=500, deadline=datetime(2026, 12, 20))
    svg = save_route_picture(a.result, tmp_path / "p.svg", a.distributions, a.deadline_hours)
    text = svg.read_text()
    assert "deadline" in text
    for i in range(1, len(assessed.routes) + 1):
        assert f"#{i}" in text


def test_the_route_command_writes_the_picture(tmp_path: Path) -> None:
    target = tmp_path / "route.png"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "corridor.cli",
            "route",
            "Kuryk",
            "Alat",
            "--depart",
            "2026-12-01",
            "--samples",
            "500",
            "--deadline",
            "2026-12-08",
            "--plot",
            str(target),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    width, height = png_size(target)
    assert width > height > 0
    assert not list(tmp_path.glob(".*partial"))
