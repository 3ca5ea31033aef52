"""`corridor compare`: plan an OD set in the baseline and in a scenario, and print what changes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import JustifyMethod
from rich.markup import escape
from rich.table import Table

from corridor.batch.spec import NetworkSpec
from corridor.cli.app import (
    NetworkOption,
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
from corridor.routing.odset import default_od_path, read_od_pairs
from corridor.routing.query import Cargo
from corridor.scenarios.apply import compose
from corridor.scenarios.compare import Comparison, RouteChange, RouteFigures, compare
from corridor.scenarios.files import load_scenario

_FLAGS = {"cargo.containers": "--containers", "cargo.size_ft": "--size", "samples": "--samples"}


@app.command("compare")
def compare_scenario(
    scenario: Annotated[
        list[Path],
        typer.Option(
            "--scenario", metavar="FILE", help="Scenario TOML (repeatable: applied in order)."
        ),
    ],
    od: Annotated[
        Path | None,
        typer.Option(
            "--od", metavar="FILE", help="OD set CSV (default: the network's demand.csv)."
        ),
    ] = None,
    depart: Annotated[
        str | None, typer.Option(help="Departure, UTC (default: today 00:00).")
    ] = None,
    containers: Annotated[int, typer.Option(min=1, help="Containers per OD.")] = 1,
    size: Annotated[int, typer.Option(help="Container size in feet: 20 or 40.")] = 40,
    alternatives: Annotated[
        int, typer.Option(min=0, max=20, help="Other corridors per OD besides the Pareto set.")
    ] = 3,
    samples: Annotated[
        int, typer.Option(min=0, help="Monte Carlo samples per route for P90 (0: no P90).")
    ] = 2000,
    seed: Annotated[int, typer.Option(help="Seed of the Monte Carlo.")] = 0,
    all_routes: Annotated[
        bool, typer.Option("--all-routes", help="List unchanged routes too (table format).")
    ] = False,
    workers: WorkersOption = 1,
    scheduler: SchedulerOption = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", help="Output format.")] = (
        OutputFormat.table
    ),
    plot: Annotated[
        Path | None,
        typer.Option(help="Draw the change in days and cost per OD to a .png/.svg/.pdf."),
    ] = None,
    network: NetworkOption = None,
) -> None:
    """Compare a scenario with the baseline over an OD set: change in days, P90, cost, CO2e.

    Per OD: the fastest days, the best P90, the cheapest cost, the lowest CO2e (exact optima),
    before and after, and which routes are rerouted, vanish or appear.
    """
    if size not in (20, 40):
        fail(f"--size: expected 20 or 40, got {size}")
    try:
        if plot is not None:
            check_plot_path(plot)
    except QueryError as exc:
        fail(f"--plot: {exc.message}")
    net = open_network(network)
    moment = parse_depart(depart)
    try:
        pairs = read_od_pairs(od if od is not None else default_od_path(network), net)
        chosen = compose(*(load_scenario(file, net) for file in scenario))
        result = compare(
            net,
            chosen,
            pairs,
            depart=moment,
            cargo=Cargo(containers=containers, size_ft=size),
            alternatives=alternatives,
            samples=samples,
            seed=seed,
            workers=workers,
            scheduler=scheduler,
            spec=NetworkSpec(str(network) if network is not None else None),
        )
        if plot is not None:
            from corridor.plots.scenario_deltas import draw_scenario_deltas

            draw_scenario_deltas(result, plot)
    except QueryError as exc:
        fail(f"{_FLAGS.get(exc.field, exc.field)}: {exc.message}")
    except CorridorError as exc:
        fail(one_line(exc))
    if fmt is OutputFormat.json:
        print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        _print(result, all_routes)


def _table(title: str, columns: tuple[tuple[str, JustifyMethod, int], ...]) -> Table:
    """A table in the style of `route`; width > 0 is a minimum, < 0 a maximum (ellipsis)."""
    table = Table(title=title, title_justify="left", show_edge=False, header_style="bold")
    for name, justify, width in columns:
        table.add_column(
            name,
            justify=justify,
            no_wrap=True,
            overflow="ellipsis",
            min_width=width if width > 0 else None,
            max_width=-width if width < 0 else None,
        )
    return table


def _num(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def _signed(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "-"
    if round(value, digits) == 0:
        return "0"
    return f"{value:+,.{digits}f}"


def _arrow(before: str, after: str) -> str:
    return before if before == after else f"{before} → {after}"


def _days(route: RouteFigures | None) -> float | None:
    return None if route is None else route.days


def _cost(route: RouteFigures | None) -> float | None:
    return None if route is None else route.cost_usd


def _modes(route: RouteFigures | None) -> str:
    return "-" if route is None else "+".join(route.modes)


def _via(before: RouteFigures | None, after: RouteFigures | None) -> str:
    """The corridor; for a route on both sides, what it takes (+) and leaves (−) instead."""
    if before is None or after is None:
        route = after or before
        return "-" if route is None else (", ".join(route.via) or "(no border)")
    gone = [v for v in before.via if v not in after.via]
    new = [v for v in after.via if v not in before.via]
    return " ".join([*(f"+{v}" for v in new), *(f"−{v}" for v in gone)]) or "same"


def _pareto(route: RouteFigures | None) -> str:
    return "-" if route is None else ("Pareto" if route.pareto else "alt.")


def _print(result: Comparison, all_routes: bool) -> None:
    s = result.settings
    out.print(
        f"[bold]{escape(result.scenario)}[/bold]: {escape(result.description or 'no description')}\n"
        f"network {result.network}  ·  departs {s.depart:%Y-%m-%d %H:%M} UTC  ·  "
        f"{s.cargo.containers} × {s.cargo.size_ft}'  ·  {len(result.ods)} OD pairs"
    )
    summary = _table(
        "per OD pair: scenario − baseline",
        (
            ("OD pair", "left", 0),
            ("fastest d", "right", 0),
            ("Δ d", "right", 5),
            ("Δ P90 d", "right", 0),
            ("cheapest USD", "right", 0),
            ("Δ USD", "right", 6),
            ("Δ CO2e kg", "right", 0),
            ("cheapest by", "left", 0),
            ("routes", "left", 0),
        ),
    )
    for od in result.ods:
        before, after = od.before, od.after
        b_fast, a_fast = before.fastest, after.fastest
        b_cheap, a_cheap = before.cheapest, after.cheapest
        d = od.delta()
        counts = {k: sum(r.status == k for r in od.routes) for k in ("rerouted", "vanished")}
        counts["appeared"] = sum(r.status == "appeared" for r in od.routes)
        routes = (
            ", ".join(f"{n} {k}" for k, n in counts.items() if n) or "same"
            if after.routes or not before.routes
            else f"cut: {after.error}"
        )
        summary.add_row(
            _label(od.pair.origin, od.pair.destination, od.pair.commodity),
            _arrow(_num(_days(b_fast)), _num(_days(a_fast))),
            _signed(d["days"]),
            _signed(d["p90_days"]),
            _arrow(_num(_cost(b_cheap), 0), _num(_cost(a_cheap), 0)),
            _signed(d["cost_usd"], 0),
            _signed(d["co2e_kg"], 0),
            _arrow(_modes(b_cheap), _modes(a_cheap)),
            routes,
        )
    out.print(summary)

    detail = _table(
        "routes that change"
        + ("" if all_routes else " (Pareto on either side; --all-routes for every route)"),
        (
            ("OD pair", "left", 0),
            ("change", "left", 0),
            ("modes", "left", 0),
            ("via", "left", -38),
            ("days", "right", 0),
            ("Δ d", "right", 5),
            ("Δ P90 d", "right", 0),
            ("Δ USD", "right", 6),
            ("Δ CO2e kg", "right", 0),
            ("status", "left", 0),
        ),
    )
    rows = 0
    for od in result.ods:
        for change in od.routes:
            pareto = any(r is not None and r.pareto for r in (change.before, change.after))
            if not (all_routes or (change.changed() and (pareto or change.status == "rerouted"))):
                continue
            rows += 1
            detail.add_row(
                *_route_row(od.pair.origin, od.pair.destination, od.pair.commodity, change)
            )
    out.print(detail if rows else "no Pareto route changes")
    samples = f"P90 from {s.samples:,} Monte Carlo samples per route" if s.samples else "no P90"
    out.print(
        "Δ = scenario − baseline, each an exact optimum. fastest/Δ d: the fastest route; Δ P90: "
        "the least P90 of both sides' fastest and most reliable routes, one seed; USD: the "
        f"cheapest; CO2e: the lowest. {samples}. 'same': the same links, crossings and "
        "transfers; 'rerouted': the best route of the same modes and countries in the scenario."
    )


def _label(origin: str, destination: str, commodity: str) -> str:
    tail = "" if commodity == "general" else f" ({commodity})"
    return f"{origin}→{destination}{tail}"


def _route_row(origin: str, destination: str, commodity: str, change: RouteChange) -> list[str]:
    b, a = change.before, change.after
    d = change.delta()
    return [
        _label(origin, destination, commodity),
        change.status,
        "+".join(change.modes),
        _via(b, a),
        _arrow(_num(_days(b)), _num(_days(a))),
        _signed(d["days"]),
        _signed(d["p90_days"]),
        _signed(d["cost_usd"], 0),
        _signed(d["co2e_kg"], 0),
        _arrow(_pareto(b), _pareto(a)),
    ]
