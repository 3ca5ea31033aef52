"""The transit-time distribution of each route: a histogram in days, P50 and P90, a deadline line."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from corridor.reliability.montecarlo import TransitDistribution
from corridor.routing.result import PlanResult

MAX_ROUTES = 6  # more histograms than this are unreadable on one axes


def route_color(index: int) -> str:
    """The colour of route `index` (0-based), shared by every route picture."""
    palette = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2")
    return palette[index % len(palette)]


def draw_distributions(
    ax: Any,
    result: PlanResult,
    distributions: Sequence[TransitDistribution],
    deadline_hours: float | None = None,
) -> None:
    """Draw the first `MAX_ROUTES` routes' simulated transit days on `ax`.

    Each route is a step histogram (share of samples per bin) with dashed P50 and dotted P90
    lines in its colour; a deadline is a black vertical line and the legend gives the share of
    samples that meet it.
    """
    shown = list(zip(result.routes, distributions, strict=True))[:MAX_ROUTES]
    if not shown:
        return
    upper = max(float(np.quantile(d.hours, 0.99)) for _, d in shown) / 24.0
    lower = min(float(d.hours.min()) for _, d in shown) / 24.0
    if deadline_hours is not None:
        upper = max(upper, deadline_hours / 24.0 * 1.02)
        lower = min(lower, deadline_hours / 24.0 * 0.98)
    span = max(upper - lower, 1.0)
    bins = np.linspace(lower - 0.02 * span, upper + 0.02 * span, 80)
    for i, (route, dist) in enumerate(shown):
        color = route_color(i)
        days = dist.hours / 24.0
        weights = np.full(len(days), 1.0 / len(days))
        label = f"#{i + 1}: P50 {dist.p50 / 24:.1f} d, P90 {dist.p90 / 24:.1f} d"
        if deadline_hours is not None:
            label += f", on time {dist.on_time_probability(deadline_hours):.0%}"
        if not route.pareto:
            label += " (alt.)"
        ax.hist(
            days,  # the far tail beyond the axis (under 1% of journeys) is left out
            bins=bins,
            weights=weights,
            histtype="step",
            linewidth=1.6,
            color=color,
            label=label,
        )
        ax.axvline(dist.p50 / 24.0, color=color, linestyle="--", linewidth=1.0)
        ax.axvline(dist.p90 / 24.0, color=color, linestyle=":", linewidth=1.2)
    if deadline_hours is not None:
        ax.axvline(deadline_hours / 24.0, color="black", linewidth=2.0, label="deadline")
    samples = shown[0][1].samples
    ax.set_title(f"Transit time, {samples:,} simulated journeys per route (dashed P50, dotted P90)")
    ax.set_xlabel("transit days from departure (to the 99th percentile)")
    ax.set_ylabel("share of journeys")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize="small", loc="upper right")
