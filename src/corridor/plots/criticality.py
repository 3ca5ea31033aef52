"""The criticality ranking as horizontal bars: extra hours per element, cut ODs marked."""

from __future__ import annotations

from pathlib import Path

from corridor.plots.canvas import new_figure, save_figure
from corridor.scenarios.criticality import Criticality

_COLOURS = {"border": "#762a83", "crossing": "#c2a5cf", "link": "#1b7837", "hub": "#e08214"}


def plot_criticality(result: Criticality, path: str | Path, *, top: int = 20) -> Path:
    """Draw the `top` rerouting losses, most critical at the top; single points of failure
    (closures that cut an OD pair) are named in a note below, since no detour measures them."""
    shown = result.detours[:top]
    metric = "extra_hours" if result.rank_by == "time" else "extra_cost_usd"
    figure, ax = new_figure(9.0, max(3.0, 0.32 * len(shown) + 1.2))
    values = [getattr(e, metric) for e in shown]
    labels = [e.name if len(e.name) <= 42 else e.name[:41] + "…" for e in shown]
    positions = list(range(len(shown)))[::-1]
    ax.barh(positions, values, color=[_COLOURS[e.kind] for e in shown], edgecolor="none")
    if result.cuts:
        names = ", ".join(e.name for e in result.cuts[:6])
        more = f" and {len(result.cuts) - 6} more" if len(result.cuts) > 6 else ""
        # a figure-level x label: the constrained layout makes room for it below the axis label
        figure.supxlabel(
            f"Single points of failure (cut an OD pair, not drawn): {names}{more}",
            x=0.01,
            ha="left",
            fontsize=7,
            color="#b2182b",
        )
    ax.set_yticks(positions, labels, fontsize=8)
    unit = "TEU·h per week" if metric == "extra_hours" else "USD per week"
    what = "extra hours of the fastest route" if metric == "extra_hours" else "extra cost"
    ax.set_xlabel(f"{what}, demand-weighted ({unit})")
    ax.set_title(
        f"Criticality: closing one element at a time ({len(result.pairs)} OD pairs, "
        f"{result.network})",
        fontsize=10,
    )
    from matplotlib.patches import Patch
    from matplotlib.ticker import FuncFormatter

    kinds = [k for k in _COLOURS if any(e.kind == k for e in shown)]
    ax.legend(
        handles=[Patch(color=_COLOURS[k], label=k) for k in kinds],
        loc="lower right",
        fontsize=8,
        frameon=False,
    )
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{x:,.0f}"))
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    return save_figure(figure, path)
