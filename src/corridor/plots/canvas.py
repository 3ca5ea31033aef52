"""A figure to draw on and a checked way to save it; matplotlib is imported only here, lazily."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from corridor.errors import CorridorError, QueryError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

SUFFIXES = (".png", ".svg", ".pdf")


def check_plot_path(path: str | Path) -> Path:
    """The path to write, or a `QueryError` on the `plot` field saying what was expected."""
    target = Path(path)
    if target.suffix.lower() not in SUFFIXES:
        raise QueryError("plot", f"expected a file name ending {', '.join(SUFFIXES)}, got {path}")
    if not target.parent.exists():
        raise QueryError("plot", f"folder {target.parent} does not exist")
    return target


def new_figure(width_in: float = 8.0, height_in: float = 5.0) -> tuple[Figure, Any]:
    """A figure with one axes, drawn off-screen (no display needed)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        from matplotlib.figure import Figure
    except ImportError:
        raise CorridorError("pictures need matplotlib: pip install 'corridor[plot]'") from None
    figure = Figure(figsize=(width_in, height_in), layout="constrained")
    return figure, figure.add_subplot()


def save_figure(figure: Figure, path: str | Path) -> Path:
    """Write the figure; a partly written file never replaces an existing one."""
    target = check_plot_path(path)
    partial = target.with_name(f".{target.name}.partial")
    try:
        figure.savefig(partial, dpi=150, format=target.suffix.lstrip(".").lower())
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return target
