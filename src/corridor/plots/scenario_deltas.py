"""A scenario's change per OD pair: bars of the change in days (fastest route) and cost (cheapest).

Two panels share the OD axis. Longer or dearer is red, shorter or cheaper green; an OD the
scenario cuts off gets a grey `cut` label instead of a bar.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from corridor.plots.canvas import new_figure, save_figure
from corridor.scenarios.compare import Comparison, ODComparison

WORSE, BETTER, CUT = "#d62728", "#2ca02c", "#7f7f7f"


def od_label(od: ODComparison) -> str:
    pair = od.pair
    tail = "" if pair.commodity == "general" else f" ({pair.commodity})"
    return f"{pair.origin} → {pair.destination}{tail}"


def _bars(ax: Any, ys: list[float], values: list[float | None], span: float, **style: Any) -> None:
    """Horizontal bars at `ys` with their value written at the end (cut ODs: a grey label)."""
    bars = [0.0 if v is None else v for v in values]
    colors = [CUT if v is None else (WORSE if v > 0 else BETTER) for v in values]
    ax.barh(ys, bars, color=colors, **style)
    for y, v in zip(ys, values, strict=True):
        if v is None:
            ax.text(0.02 * span, y, "cut", va="center", ha="left", color=CUT, fontsize=8)
        elif round(v, 1) != 0:
            ax.text(
                v + (0.02 if v > 0 else -0.02) * span,
                y,
                f"{v:+,.1f}" if abs(v) < 100 else f"{v:+,.0f}",
                va="center",
                ha="left" if v > 0 else "right",
                fontsize=7,
            )


def _frame(ax: Any, span: float, title: str, unit: str) -> None:
    ax.axvline(0.0, color="black", linewidth=0.8)
    ax.set_xlim(-1.3 * span, 1.3 * span)
    ax.set_title(title, fontsize=10)
    ax.set_xlabel(unit)
    ax.grid(axis="x", linewidth=0.4, alpha=0.5)


def _note_if_unchanged(ax: Any, values: list[float | None], what: str) -> None:
    """Say so in the panel when no bar is drawn: every OD unchanged (none cut, none moved)."""
    if all(v is not None and round(v, 1) == 0 for v in values):
        ax.text(
            0.5,
            0.5,
            f"no change in {what}\nfor any OD pair",
            transform=ax.transAxes,
            ha="center",
            va="center",
            fontsize=9,
            color="#555555",
        )


def _span(*series: list[float | None]) -> float:
    return max((abs(v) for s in series for v in s if v is not None), default=0.0) or 1.0


def draw_scenario_deltas(comparison: Comparison, path: str | Path) -> Path:
    """Save the picture of `comparison` to `path` (.png, .svg or .pdf).

    Left: change in days of each OD's fastest route (solid) and of its P90 (light); right:
    change in cost of the cheapest route.
    """
    ods = comparison.ods
    labels = [od_label(od) for od in ods]
    figure, first = new_figure(11.0, 1.4 + 0.34 * max(len(ods), 1))
    first.remove()
    ax_days, ax_cost = figure.subplots(1, 2, sharey=True)

    def value(od: ODComparison, key: str) -> float | None:
        return None if od.cut else (od.delta()[key] or 0.0)

    days = [value(od, "days") for od in ods]
    p90 = [value(od, "p90_days") for od in ods]
    cost = [value(od, "cost_usd") for od in ods]
    ys = [float(i) for i in range(len(ods))]
    span = _span(days, p90)
    _bars(ax_days, [y - 0.18 for y in ys], days, span, height=0.34, label="median days")
    if any(v for v in p90):
        _bars(
            ax_days,
            [y + 0.18 for y in ys],
            [None if od.cut else v for od, v in zip(ods, p90, strict=True)],
            span,
            height=0.34,
            alpha=0.45,
            label="P90 days",
        )
    _frame(ax_days, span, "fastest route: median (solid) and P90 (light)", "change in days")
    _note_if_unchanged(ax_days, days + p90, "the fastest route's days")
    _bars(ax_cost, ys, cost, _span(cost), height=0.6)
    cargo = comparison.settings.cargo
    _frame(
        ax_cost,
        _span(cost),
        "cheapest route",
        f"change in USD per {cargo.containers} × {cargo.size_ft}' container",
    )
    _note_if_unchanged(ax_cost, cost, "the cheapest route's cost")
    ax_days.set_yticks(ys)
    ax_days.set_yticklabels(labels, fontsize=8)
    ax_days.invert_yaxis()  # first OD on top, as in the table (the axes share y)
    figure.suptitle(f"{comparison.scenario} vs baseline ({comparison.network})", fontsize=11)
    return save_figure(figure, path)
