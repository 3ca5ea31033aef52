"""The Pareto front of a plan: transit days against cost, marker area for CO2e.

With simulated distributions the picture gains a bar from P50 to P90 on every route and a
second panel with the transit-time distributions (`corridor.plots.distribution`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from corridor.plots.canvas import new_figure, save_figure
from corridor.plots.distribution import draw_distributions, route_color
from corridor.reliability.montecarlo import TransitDistribution
from corridor.routing.result import PlanResult

MIN_AREA, MAX_AREA = 40.0, 600.0  # marker areas (points^2) of the cleanest and dirtiest route


def draw_pareto_front(
    ax: Any,
    result: PlanResult,
    distributions: Sequence[TransitDistribution] | None = None,
    title: str | None = None,
) -> None:
    """Draw every route of `result` on `ax`: filled for Pareto routes, hollow for alternatives."""
    routes = result.routes
    top = max((r.co2e_kg for r in routes), default=1.0) or 1.0
    days_span = max((r.transit_days for r in routes), default=1.0) or 1.0
    cost_span = max((r.cost_usd for r in routes), default=1.0) or 1.0
    placed: list[tuple[float, float]] = []

    def area(co2e_kg: float) -> float:
        return MIN_AREA + (MAX_AREA - MIN_AREA) * co2e_kg / top

    for i, r in enumerate(routes):
        color = route_color(i)
        days = r.transit_days
        if distributions is not None:
            d = distributions[i]
            ax.plot(
                [d.p50 / 24.0, d.p90 / 24.0],
                [r.cost_usd] * 2,
                color=color,
                linewidth=2.5,
                alpha=0.5,
            )
        ax.scatter(
            [days],
            [r.cost_usd],
            s=area(r.co2e_kg),
            facecolors=color if r.pareto else "none",
            edgecolors=color,
            linewidths=1.8,
            zorder=3,
        )
        label = f"#{i + 1} {'-'.join(r.countries)}"
        if len(label) > 28:
            label = label[:27] + "…"
        # stack the labels of routes that sit almost on top of each other
        here = (days / days_span, r.cost_usd / cost_span)
        near = sum(abs(x - here[0]) < 0.05 and abs(y - here[1]) < 0.04 for x, y in placed)
        placed.append(here)
        ax.annotate(
            label,
            (days, r.cost_usd),
            textcoords="offset points",
            xytext=(9, 6 - 12 * near),
            fontsize="small",
            color=color,
        )
    # the front itself, as a staircase through the Pareto routes in order of transit time
    front = sorted((r.transit_days, r.cost_usd) for r in result.pareto_routes)
    if len(front) > 1:
        xs, ys = zip(*front, strict=True)
        ax.step(xs, ys, where="post", color="grey", linewidth=0.8, linestyle="--", zorder=1)
    # legend: fill for Pareto and alternative, marker area for CO2e
    ax.scatter([], [], s=MIN_AREA * 3, color="grey", label="Pareto route")
    ax.scatter([], [], s=MIN_AREA * 3, facecolors="none", edgecolors="grey", label="alternative")
    for tonnes in _size_keys(top / 1000.0):
        ax.scatter([], [], s=area(tonnes * 1000.0), color="lightgrey", label=f"{tonnes:g} t CO2e")
    if distributions is not None:
        ax.plot([], [], color="grey", linewidth=2.5, alpha=0.5, label="P50 to P90 (simulated)")
    ax.legend(fontsize="small", loc="best", labelspacing=1.2, borderpad=0.8)
    ax.set_title(
        title
        or f"{result.origin} → {result.destination}, {result.commodity}, "
        f"departs {result.depart:%Y-%m-%d %H:%M} UTC"
    )
    ax.set_xlabel("transit days (median times)")
    ax.set_ylabel("cost, USD")
    ax.grid(True, alpha=0.3)
    ax.margins(0.12)


def _size_keys(top_tonnes: float) -> list[float]:
    """Two round CO2e figures for the marker-size legend, up to the largest route's."""
    if top_tonnes <= 0:
        return []
    step = 10 ** int(f"{top_tonnes:e}".split("e")[1])
    high = max(step, round(top_tonnes / step) * step)
    return sorted({round(high / 2, 6), high})


def save_route_picture(
    result: PlanResult,
    path: str | Path,
    distributions: Sequence[TransitDistribution] | None = None,
    deadline_hours: float | None = None,
    title: str | None = None,
) -> Path:
    """Write the Pareto front, and beside it the distributions when simulated, to `path`."""
    if distributions is None:
        figure, ax = new_figure(8.0, 5.5)
        draw_pareto_front(ax, result, title=title)
    else:
        figure, ax = new_figure(15.0, 5.5)
        ax.remove()
        front, spread = figure.subplots(1, 2)
        draw_pareto_front(front, result, distributions, title)
        draw_distributions(spread, result, distributions, deadline_hours)
    return save_figure(figure, path)
