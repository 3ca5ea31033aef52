"""`corridor assign`: route the weekly OD demand under capacities and report the bottlenecks."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from corridor.assignment.result import route_names
from corridor.cli.app import NetworkOption, OutputFormat, app, fail, one_line, open_network, out
from corridor.errors import CorridorError, QueryError
from corridor.network.model import Network

if TYPE_CHECKING:
    from corridor.assignment import AssignmentResult
from corridor.routing.odset import default_od_path

NEAR_FULL = 0.8


@app.command("assign")
def assign_command(
    demand: Annotated[
        Path | None,
        typer.Argument(
            metavar="DEMAND", help="Demand CSV (TEU per week); default: the network's demand.csv."
        ),
    ] = None,
    scenario: Annotated[
        list[Path] | None,
        typer.Option("--scenario", help="Scenario TOML applied first (repeatable, in order)."),
    ] = None,
    value_of_time: Annotated[
        float | None,
        typer.Option(
            "--value-of-time", help="USD per TEU-hour (default 1.85; see docs/assignment.md)."
        ),
    ] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", help="Output format.")] = (
        OutputFormat.table
    ),
    plot: Annotated[
        Path | None, typer.Option("--plot", help="Write a utilization map (.png/.svg/.pdf).")
    ] = None,
    network: NetworkOption = None,
) -> None:
    """Assign weekly demand at least generalized cost within capacities (an LP, HiGHS)."""
    if value_of_time is not None and not 0 <= value_of_time <= 1e6:  # NaN and inf fail too
        fail(f"--value-of-time: expected a number between 0 and 1e6, got {value_of_time}")
    net = open_network(network)
    try:
        if plot is not None:
            from corridor.plots.canvas import check_plot_path

            check_plot_path(plot)
        if scenario:
            from corridor.scenarios import apply_scenario, load_scenario

            for path in scenario:
                net = apply_scenario(net, load_scenario(path, net))
        path = demand if demand is not None else default_od_path(network)
        # imported here: scipy.optimize would slow every other command's start
        from corridor.assignment import DEFAULT_VALUE_OF_TIME, assign, read_demand

        pairs = read_demand(path, net)
        with Console(stderr=True).status(f"solving the assignment LP ({len(pairs)} OD pairs)"):
            result = assign(
                net,
                pairs,
                value_of_time=DEFAULT_VALUE_OF_TIME if value_of_time is None else value_of_time,
            )
        if plot is not None:
            from corridor.plots.utilization import plot_utilization

            plot_utilization(net, result, plot)
    except QueryError as exc:
        flag = {"plot": "--plot", "value_of_time": "--value-of-time"}.get(exc.field, exc.field)
        fail(f"{flag}: {exc.message}")
    except CorridorError as exc:
        fail(one_line(exc))
    if fmt is OutputFormat.json:
        print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        _print(net, result)
    if plot is not None:
        sys.stdout.flush()
        sys.stderr.write(f"corridor: wrote {plot}\n")


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.0f}%"


def _print(net: Network, result: AssignmentResult) -> None:
    demand, served = result.demand_teu, result.served_teu
    out.print(
        f"[bold]Assignment[/] of {len(result.od)} OD pairs, {demand:,.0f} TEU/week  ·  value of "
        f"time USD {result.value_of_time_usd_per_teu_h:g}/TEU-h  ·  network {result.network}"
    )
    out.print(
        f"served {served:,.0f} TEU/week ({100 * served / demand:.1f}%), unserved "
        f"{demand - served:,.0f}  ·  generalized cost USD {result.objective_usd:,.0f} a week"
    )
    bottlenecks = result.bottlenecks
    if bottlenecks:
        table = Table(
            title="Bottlenecks: capacities the demand outruns (dearest first)",
            title_justify="left",
            show_edge=False,
            header_style="bold",
        )
        for name, justify in (
            ("kind", "left"),
            ("facility", "left"),
            ("direction", "left"),
            ("TEU/week", "right"),
            ("capacity", "right"),
            ("use", "right"),
            ("shadow USD/TEU", "right"),
        ):
            table.add_column(name, justify=justify, no_wrap=True)  # type: ignore[arg-type]
        for f in bottlenecks:
            table.add_row(
                f.kind,
                f.name,
                f.direction,
                f"{f.flow_teu:,.0f}",
                f"{f.capacity_teu:,.0f}" if f.capacity_teu is not None else "-",
                _pct(f.utilization),
                f"{f.shadow_price_usd:,.0f}",
            )
        out.print(table)
    else:
        out.print("No capacity binds: every OD pair takes its cheapest route.")
    if result.unserved:
        out.print(
            "[bold]Unserved demand[/] (no route with spare capacity): "
            + ", ".join(
                f"{o.origin}→{o.destination} {o.unserved_teu:,.0f} TEU" for o in result.unserved
            )
        )
    else:
        out.print("All demand is served within capacity.")
    ods = Table(title="OD pairs", title_justify="left", show_edge=False, header_style="bold")
    for name, justify in (
        ("origin → destination", "left"),
        ("commodity", "left"),
        ("TEU/week", "right"),
        ("served", "right"),
        ("generalized USD/TEU", "right"),
        ("routes (share: modes via crossings)", "left"),
    ):
        ods.add_column(name, justify=justify, no_wrap=True, overflow="ellipsis")  # type: ignore[arg-type]
    ods.columns[-1].max_width = 80
    for o in result.od:
        cost = o.generalized_usd_per_teu
        routes = "; ".join(
            f"{100 * r.teu / o.demand_teu:.0f}%: {name}"
            for r, name in zip(o.routes[:3], route_names(o.routes)[:3], strict=True)
        )
        ods.add_row(
            f"{o.origin} → {o.destination}",
            o.commodity,
            f"{o.demand_teu:,.0f}",
            f"{o.served_teu:,.0f}",
            "-" if cost is None else f"{cost:,.0f}",
            routes or "-",
        )
    out.print(ods)
    near = [
        f
        for f in (*result.constraints,)
        if f.utilization is not None and f.utilization >= NEAR_FULL and not f.binding
    ]
    if near:
        out.print(
            f"At or above {NEAR_FULL:.0%} of capacity without binding: "
            + ", ".join(f"{f.name} {f.direction} {_pct(f.utilization)}" for f in near)
        )
    out.print(
        "Shadow price: USD a week saved per extra TEU/week of capacity. Generalized cost: USD "
        "per TEU plus hours valued at the value of time (docs/assignment.md)."
    )
