"""`corridor route`: plan one shipment and print its Pareto routes and corridor alternatives."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer
from rich.table import Table

from corridor.cli.app import NetworkOption, app, fail, open_network, out, parse_depart
from corridor.errors import CorridorError, NoRouteError, QueryError
from corridor.network.geojson import routes_geojson
from corridor.network.model import Network
from corridor.routing.planner import plan
from corridor.routing.query import Cargo, Constraints, Query
from corridor.routing.result import PlanResult


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
}


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
    network: NetworkOption = None,
) -> None:
    """Plan routes: the Pareto set over time, cost and CO2e, plus corridor alternatives."""
    if size not in (20, 40):
        fail(f"--size: expected 20 or 40, got {size}")
    net = open_network(network)
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
        )
        result = plan(net, query)
    except NoRouteError as exc:
        fail(str(exc), code=1)
    except QueryError as exc:
        fail(f"{_FLAGS.get(exc.field, exc.field)}: {exc.message}")
    except CorridorError as exc:
        fail(str(exc))
    if fmt is RouteFormat.json:
        print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    elif fmt is RouteFormat.geojson:
        print(json.dumps(routes_geojson(net, result), ensure_ascii=False))
    else:
        _print_routes(net, result, legs)


def _print_routes(net: Network, result: PlanResult, show_legs: bool) -> None:
    o, d = net.node(result.origin), net.node(result.destination)
    out.print(
        f"[bold]{o.name}[/] → [bold]{d.name}[/]  ·  {result.commodity}, {result.tonnes:,.0f} t  ·  "
        f"departs {result.depart:%Y-%m-%d %H:%M} UTC  ·  network {result.network}"
    )
    names = {c.crossing_id: c.name for c in net.crossings}
    table = Table(show_edge=False, header_style="bold")
    # (header, justify, min width); the last two columns give way with an ellipsis
    columns = (
        ("#", "right", 2),
        ("", "left", 6),
        ("days", "right", 5),
        ("arrives", "left", 10),
        ("cost USD", "right", 8),
        ("CO2e t", "right", 6),
        ("km", "right", 6),
        ("xfers", "right", 5),
        ("modes", "left", 10),
        ("countries", "left", 0),
        ("via", "left", 0),
    )
    for name, justify, width in columns:
        table.add_column(
            name,
            justify=justify,  # type: ignore[arg-type]
            no_wrap=True,
            overflow="ellipsis",
            min_width=width or None,
            max_width={"countries": 30, "via": 44}.get(name),
        )
    for i, r in enumerate(result.routes, start=1):
        via = [names.get(c, c.removeprefix("passage:").replace("_", " ")) for c in r.corridor]
        table.add_row(
            str(i),
            "Pareto" if r.pareto else "alt.",
            f"{r.transit_days:.1f}",
            f"{r.arrive:%Y-%m-%d}",
            f"{r.cost_usd:,.0f}",
            f"{r.co2e_kg / 1000:.2f}",
            f"{r.distance_km:,.0f}",
            str(r.transfers),
            "+".join(r.modes),
            "-".join(r.countries),
            ", ".join(via) or "-",
        )
    out.print(table)
    out.print(
        "CO2e is well-to-wheel (ISO 14083, GLEC defaults); 'alt.' routes are the best of "
        "other corridors, dominated by a Pareto route."
    )
    if show_legs:
        for i, r in enumerate(result.routes, start=1):
            legs = Table(title=f"route {i}", show_edge=False, header_style="bold")
            for name in (
                "kind",
                "from",
                "to",
                "mode",
                "depart",
                "hours",
                "km",
                "USD",
                "kg CO2e",
                "detail",
            ):
                legs.add_column(name)
            for leg in r.legs:
                legs.add_row(
                    leg.kind,
                    leg.from_node,
                    leg.to_node,
                    leg.mode,
                    f"{leg.depart:%m-%d %H:%M}",
                    f"{leg.hours:.1f}",
                    f"{leg.distance_km:,.0f}",
                    f"{leg.cost_usd:,.0f}",
                    f"{leg.co2e_kg:,.0f}",
                    leg.detail,
                )
            out.print(legs)
