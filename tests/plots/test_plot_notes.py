"""Plot defects of issue 9: the criticality footnote clears the axis label; an empty compare
panel says why it is empty."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

import corridor
from corridor.routing.odset import ODPair
from corridor.scenarios import Scenario
from corridor.scenarios.compare import compare
from corridor.scenarios.model import CloseNode
from optional import require_module

require_module("matplotlib")
DEPART = datetime(2026, 12, 1, tzinfo=UTC)


def _keep_figure(monkeypatch: pytest.MonkeyPatch, module: Any) -> dict[str, Any]:
    kept: dict[str, Any] = {}
    real = module.save_figure

    def save(figure: Any, path: Path) -> Path:
        kept["figure"] = figure
        return real(figure, path)  # type: ignore[no-any-return]

    monkeypatch.setattr(module, "save_figure", save)
    return kept


def test_the_criticality_footnote_does_not_overlap_the_axis_label(
    eurasia: corridor.Network, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import corridor.plots.criticality as module

    kept = _keep_figure(monkeypatch, module)
    # crude oil Atyrau -> Dushanzi has one pipeline: closing any of its links cuts the pair,
    # and Kuryk -> Alat gives detours to draw, so both the bars and the footnote are there
    pairs = [("Atyrau", "Dushanzi", "crude_oil"), ("Kuryk", "Alat")]
    ranked = corridor.criticality(eurasia, pairs, depart=DEPART, kinds=["link", "crossing"])
    assert ranked.cuts
    module.plot_criticality(ranked, tmp_path / "c.png")
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    figure = kept["figure"]
    canvas = FigureCanvasAgg(figure)
    canvas.draw()  # lays the figure out as when it was saved
    renderer = canvas.get_renderer()
    notes = [t for t in figure.texts if "Single points of failure" in t.get_text()]
    notes += [
        t
        for t in [getattr(figure, "_supxlabel", None)]
        if t is not None and "Single points of failure" in t.get_text()
    ]
    assert notes
    label = figure.axes[0].xaxis.label.get_window_extent(renderer)
    for note in notes:
        assert not note.get_window_extent(renderer).overlaps(label)


def test_a_compare_panel_without_any_change_says_so(
    eurasia: corridor.Network, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import corridor.plots.scenario_deltas as module

    kept = _keep_figure(monkeypatch, module)
    unrelated = Scenario("lodz closed", changes=(CloseNode("PL_LDZ"),))
    result = compare(
        eurasia, unrelated, [ODPair("KZ_KUR", "AZ_ALT")], depart=DEPART, samples=0, progress=False
    )
    module.draw_scenario_deltas(result, tmp_path / "d.png")
    texts = [t.get_text() for ax in kept["figure"].axes for t in ax.texts]
    assert any("no change in the fastest route's days" in t for t in texts)
    assert any("no change in the cheapest route's cost" in t for t in texts)
