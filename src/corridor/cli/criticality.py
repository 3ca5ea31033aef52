"""`corridor criticality`: close each border, crossing, link and hub in turn and rank the loss."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from corridor.batch.spec import NetworkSpec
from corridor.cli.app import (
    NetworkOption,
    OdOption,
    OutputFormat,
    SchedulerOption,
    WorkersOption,
    app,
    fail,
    one_line,
    open_network,
    out,
    parse_depart,
)
from corridor.errors import CorridorError, QueryError
from corridor.plots.canvas import check_plot_path
from corridor.routing.clock import today_utc
from corridor.routing.odset import default_od_path, read_od_pairs
from corridor.scenarios.criticality import KINDS, Criticality, ElementLoss, criticality


class RankBy(StrEnum):
    time = "time"
    cost = "cost"


@app.command(name="criticality")
def criticality_command(
    od: OdOption = None,
    top: Annotated[int, typer.Option(min=1, help="Rows to show.")] = 20,
    depart: Annotated[
        str | None, typer.Option(help="Departure of every query, UTC (default: today 00:00).")
    ] = None,
    kind: Annotated[
        list[str] | None,
        typer.Option("--kind", help="Elements to close: border, crossing, link, hub (repeatable)."),
    ] = None,
    by: Annotated[
        RankBy, typer.Option("--by", help="After ODs cut, rank by extra hours or extra cost.")
    ] = RankBy.time,
    workers: WorkersOption = 1,
    scheduler: SchedulerOption = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", help="Output format.")] = (
        OutputFormat.table
    ),
    plot: Annotated[
        Path | None, typer.Option("--plot", help="Also draw the ranking (.png, .svg or .pdf).")
    ] = None,
    network: NetworkOption = None,
) -> None:
    """Rank network elements by what closing each costs the OD set (demand-weighted)."""
    kinds = [part for k in kind or [] for part in k.replace(",", " ").split()] or list(KINDS)
    for k in kinds:
        if k not in KINDS:
            fail(f"--kind: expected some of {', '.join(KINDS)}, got {k!r}")
    if plot is not None:
        try:
            check_plot_path(plot)
        except QueryError as exc:
            fail(f"--plot: {exc.message}")
    net = open_network(network)
    moment = parse_depart(depart) or today_utc()
    try:
        pairs = read_od_pairs(od if od is not None else default_od_path(network), net)
        result = criticality(
            NetworkSpec(str(network) if network is not None else None),
            pairs,
            depart=moment,
            kinds=kinds,
            rank_by=by.value,
            workers=workers,
            scheduler=scheduler,
        )
        if plot is not None:
            from corridor.plots.criticality import plot_criticality

            plot_criticality(result, plot, top=top)
    except CorridorError as exc:
        fail(one_line(exc))
    if fmt is OutputFormat.json:
        print(json.dumps(result.to_dict(top=top), indent=2, ensure_ascii=False))
    else:
        _print(result, top)


def _print(result: Criticality, top: int) -> None:
    weighted = any(p.teu_per_week is not None for p in result.pairs)
    unit = "TEU" if weighted else "ODs"
    out.print(
        f"criticality · {len(result.pairs)} OD pairs · departs "
        f"{result.depart:%Y-%m-%d %H:%M} UTC · network {result.network} · "
        f"{len(result.ranking)} elements, {result.replans} replans"
    )
    if result.cuts:
        out.print(
            "\n[bold]Single points of failure[/] — closing one leaves OD pairs with no route:"
        )
        cuts = Table(show_edge=False, header_style="bold")
        for name, justify in (
            ("kind", "left"),
            ("element", "left"),
            (f"{unit}/wk cut", "right"),
            ("OD pairs cut", "left"),
        ):
            cuts.add_column(name, justify=justify)  # type: ignore[arg-type]
        for e in result.cuts:
            cuts.add_row(e.kind, Text(_label(e)), f"{e.demand_cut:,.0f}", ", ".join(e.cut))
        out.print(cuts)
    what = "extra hours of the fastest route" if result.rank_by == "time" else "extra cost"
    out.print(f"\n[bold]Ranked by demand-weighted {what}[/] when closed:")
    table = Table(show_edge=False, header_style="bold")
    for name, justify in (
        ("#", "right"),
        ("kind", "left"),
        ("element", "left"),
        (f"extra {unit}·h/wk", "right"),
        ("extra USD/wk", "right"),
        ("ODs hit", "right"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for i, e in enumerate(result.detours[:top], start=1):
        table.add_row(
            str(i),
            e.kind,
            Text(_label(e)),
            f"{e.extra_hours:,.0f}",
            f"{e.extra_cost_usd:,.0f}",
            str(e.ods_affected),
        )
    out.print(table)
    out.print(
        "Loss = demand-weighted extra hours of each OD's fastest route and extra cost per TEU of "
        "its cheapest, over the OD pairs that keep a route. See docs/batch.md."
    )


def _label(e: ElementLoss) -> str:
    return e.name if e.kind == "border" else f"{e.name} [{e.element_id}]"
