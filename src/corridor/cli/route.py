"""`corridor route`: plan one shipment and print its Pareto routes and corridor alternatives."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from corridor.cli.app import NetworkOption, app, fail, open_network, out, parse_depart
from corridor.cli.tables import fitted_table, legs_table, route_cells, understood_lines, via_list
from corridor.errors import CorridorError, NoRouteError, QueryError
from corridor.network.geojson import routes_geojson
from corridor.network.model import Network
from corridor.plots.canvas import check_plot_path
from corridor.reliability.assess import Assessment, assess
from corridor.reliability.summary import reliability_summary
from corridor.routing.query import Cargo, Constraints, Query
from corridor.routing.result import PlanResult
from corridor.routing.understood import plan_understood


class RouteFormat(StrEnum):
    table = "table"
    json = "json"
    geojson = "geojson"


_FLAGS = {
    "origin": "ORIGIN",
    "destination": "DESTINATION",
    "cargo.containers": "--containers",
    "cargo.size_ft": "--size",
    "cargo.tonnes": "--tonnes",
    "constraints.avoid_countries": "--avoid-country",
    "constraints.avoid_modes": "--avoid-mode",
    "constraints.avoid": "--avoid",
    "constraints.max_transfers": "--max-transfers",
    "samples": "--samples",
    "deadline": "--deadline",
    "plot": "--plot",
    "epsilon": "--epsilon",
    "time_limit": "--time-limit",
}
DEFAULT_SAMPLES = 10_000  # when a deadline or the p90 criterion asks for figures without --samples


def _split(values: list[str] | None) -> list[str]:
    return [part for v in values or [] for part in v.replace(",", " ").split()]


@app.command()
def route(
    origin: Annotated[str, typer.Argument(help="Origin: node id or place name.")],
    destination: Annotated[str, typer.Argument(help="Destination: node id or place name.")],
    depart: Annotated[str | None, typer.Option(help="Departure, UTC (default: now).")] = None,
    containers: Annotated[int, typer.Option(min=1, help="Number of containers.")] = 1,
    size: Annotated[int, typer.Option(help="Container size in feet: 20 or 40.")] = 40,
    tonnes: Annotated[float | None, typer.Option(help="Total cargo mass, tonnes.")] = None,
    commodity: Annotated[
        str, typer.Option(help="general, agri, reefer, crude_oil or natural_gas.")
    ] = "general",
    avoid_country: Annotated[
        list[str] | None, typer.Option("--avoid-country", help="ISO2 country to avoid.")
    ] = None,
    avoid_mode: Annotated[
        list[str] | None, typer.Option("--avoid-mode", help="Mode to avoid: rail, road, ...")
    ] = None,
    avoid: Annotated[
        list[str] | None, typer.Option("--avoid", help="Node id, place or crossing id to avoid.")
    ] = None,
    max_transfers: Annotated[
        int | None, typer.Option("--max-transfers", min=0, help="Most transshipments.")
    ] = None,
    criteria: Annotated[str, typer.Option(help="Pareto criteria: time,cost,co2e.")] = (
        "time,cost,co2e"
    ),
    alternatives: Annotated[
        int, typer.Option(min=0, max=20, help="Other corridors to show besides the Pareto set.")
    ] = 3,
    fmt: Annotated[RouteFormat, typer.Option("--format", help="Output format.")] = (
        RouteFormat.table
    ),
    legs: Annotated[bool, typer.Option("--legs", help="Show every leg (table format).")] = False,
    all_routes: Annotated[
        bool, typer.Option("--all-routes", help="Keep near-ties (within 12 h and 5%).")
    ] = False,
    epsilon: Annotated[
        float | None,
        typer.Option(
            min=0.0,
            max=1.0,
            help="Search tolerance: drop routes within this fraction of a found one on every "
            "criterion (default: exact where that is cheap, else 0.05; exact with --all-routes)."
            " Each criterion's optimum stays exact.",
        ),
    ] = None,
    time_limit: Annotated[
        float | None,
        typer.Option("--time-limit", min=0.001, help="Stop the search after SECONDS."),
    ] = None,
    deadline: Annotated[
        str | None,
        typer.Option(help="Due date, UTC: adds each route's probability of arriving by then."),
    ] = None,
    samples: Annotated[
        int | None,
        typer.Option(help="Monte Carlo samples: adds P50/P90/P95 transit times to each route."),
    ] = None,
    seed: Annotated[
        int, typer.Option(help="Seed of the Monte Carlo (same seed, same figures).")
    ] = 0,
    plot: Annotated[
        Path | None,
        typer.Option(help="Draw the Pareto front (and the distributions) to a .png/.svg/.pdf."),
    ] = None,
    network: NetworkOption = None,
) -> None:
    """Plan routes: the Pareto set over time, cost and CO2e, plus corridor alternatives.

    With --samples or --deadline (or the p90 criterion) each route gets simulated P50, P90
    and P95 transit times and, with a deadline, its probability of arriving on time.
    """
    if size not in (20, 40):
        fail(f"--size: expected 20 or 40, got {size}")
    due = parse_depart(deadline, "--deadline")
    try:
        if plot is not None:
            check_plot_path(plot)
    except QueryError as exc:
        fail(f"--plot: {exc.message}")
    net = open_network(network)
    assessment: Assessment | None = None
    try:
        query = Query(
            origin=origin,
            destination=destination,
            depart=parse_depart(depart),
            cargo=Cargo(containers=containers, size_ft=size, tonnes=tonnes),
            commodity=commodity,
            constraints=Constraints(
                avoid_countries=_split(avoid_country),
                avoid_modes=_split(avoid_mode),
                avoid=_split(avoid),
                max_transfers=max_transfers,
            ),
            criteria=tuple(c for c in criteria.split(",") if c.strip()),
            alternatives=alternatives,
            thin=not all_routes,
            epsilon=epsilon,
            time_limit=time_limit,
        )
        result = plan_understood(net, query)
        if samples is not None or due is not None or "p90" in query.criteria:
            assessment = assess(
                net,
                result,
                samples=DEFAULT_SAMPLES if samples is None else samples,
                seed=seed,
                deadline=due,
            )
            result = assessment.result
        if plot is not None:
            from corridor.plots.pareto_front import save_route_picture

            o, d = net.node(result.origin), net.node(result.destination)
            save_route_picture(
                result,
                plot,
                assessment.distributions if assessment else None,
                assessment.deadline_hours if assessment else None,
                title=f"{o.name} → {d.name}, {result.commodity}, "
                f"departs {result.depart:%Y-%m-%d %H:%M} UTC",
            )
    except NoRouteError as exc:
        fail(str(exc), code=1)
    except QueryError as exc:
        fail(f"{_FLAGS.get(exc.field, exc.field)}: {exc.message}")
    except CorridorError as exc:
        fail(str(exc))
    if fmt is RouteFormat.json:
        data = result.to_dict()
        if assessment is not None:
            data["reliability"] = reliability_summary(assessment)
        print(json.dumps(data, indent=2, ensure_ascii=False))
    elif fmt is RouteFormat.geojson:
        print(json.dumps(routes_geojson(net, result), ensure_ascii=False))
    else:
        _print_routes(net, result, legs, assessment)


def _print_routes(
    net: Network, result: PlanResult, show_legs: bool, assessment: Assessment | None = None
) -> None:
    o, d = net.node(result.origin), net.node(result.destination)
    out.print(
        f"[bold]{o.name}[/] → [bold]{d.name}[/]  ·  {result.commodity}, {result.tonnes:,.0f} t  ·  "
        f"departs {result.depart:%Y-%m-%d %H:%M} UTC",
        markup=True,
    )
    for line in understood_lines(result):
        out.print(line, markup=False)
    names = {c.crossing_id: c.name for c in net.crossings}
    vias = [
        [names.get(c, c.removeprefix("passage:").replace("_", " ")) for c in r.corridor]
        for r in result.routes
    ]
    rows = [route_cells(i, r, assessment) for i, r in enumerate(result.routes, start=1)]
    for row, via in zip(rows, vias, strict=True):
        row["via"] = ", ".join(via) or "-"
    table, folded = fitted_table(rows, out.width)
    out.print(table)
    if folded:
        out.print("via (crossings and sea passages, in order):", markup=False)
        out.print(via_list(vias))
    out.print(
        "CO2e is well-to-wheel (ISO 14083, GLEC defaults); 'alt.<N' routes are the best of "
        "other corridors, each dominated by Pareto route N.",
        markup=False,
    )
    if assessment is not None and assessment.distributions:
        first = assessment.distributions[0]
        due = assessment.deadline
        out.print(
            f"P50/P90: simulated transit days, {first.samples:,} Monte Carlo samples per route "
            f"(seed {first.seed}); 'days' uses median times"
            + (f"; on time: arriving by {due:%Y-%m-%d %H:%M} UTC." if due else "."),
            markup=False,
        )
    if show_legs:
        for i, r in enumerate(result.routes, start=1):
            out.print(legs_table(i, r, out.width))
