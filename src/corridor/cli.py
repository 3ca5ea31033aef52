"""The `corridor` command line: a thin layer over the Python API.

Exit codes: 0 success, 1 no route, 2 a user's mistake (one line on stderr, never a traceback).
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.table import Table

from corridor.errors import CorridorError, NetworkValidationError, NoRouteError, QueryError
from corridor.network.geojson import network_geojson, routes_geojson
from corridor.network.loader import load_network
from corridor.network.model import Network
from corridor.network.places import find_places
from corridor.routing.planner import plan
from corridor.routing.query import Cargo, Constraints, Query
from corridor.routing.result import PlanResult

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help="Plan freight routes across the China–Kazakhstan–Caspian–Europe network.",
)
out = Console(highlight=False, soft_wrap=False, width=160)


class RouteFormat(StrEnum):
    table = "table"
    json = "json"
    geojson = "geojson"


class NetworkFormat(StrEnum):
    summary = "summary"
    geojson = "geojson"


NetworkOption = Annotated[
    Path | None,
    typer.Option("--network", help="Network package folder (default: the bundled eurasia)."),
]


def _fail(message: str, code: int = 2) -> NoReturn:
    sys.stderr.write(f"corridor: {message}\n")
    raise typer.Exit(code)


def _network(path: Path | None) -> Network:
    try:
        return load_network(path)
    except NetworkValidationError as exc:
        first = exc.problems[0] if exc.problems else "invalid network"
        _fail(
            f"{exc.path}: {len(exc.problems)} problem(s), first: {first} "
            f"(run `corridor validate {exc.path}` for all)"
        )


def _parse_depart(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        _fail(
            f"--depart: expected a date or UTC date-time like 2026-12-01 or "
            f"2026-12-01T08:00, got {text!r}"
        )
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


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
        _fail(f"--size: expected 20 or 40, got {size}")
    net = _network(network)
    try:
        query = Query(
            origin=origin,
            destination=destination,
            depart=_parse_depart(depart),
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
        _fail(str(exc), code=1)
    except QueryError as exc:
        _fail(f"{_FLAGS.get(exc.field, exc.field)}: {exc.message}")
    except CorridorError as exc:
        _fail(str(exc))
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


@app.command()
def places(
    query: Annotated[str, typer.Argument(help="Part of a name, an alias or a node id.")],
    limit: Annotated[int, typer.Option(min=1, max=100)] = 10,
    network: NetworkOption = None,
) -> None:
    """Find nodes by name (fuzzy, case- and accent-insensitive)."""
    net = _network(network)
    matches = find_places(net, query, limit=limit)
    if not matches:
        _fail(f"no place matches {query!r}", code=1)
    table = Table(show_edge=False, header_style="bold")
    for name in ("node", "name", "country", "kind", "score"):
        table.add_column(name)
    for m in matches:
        table.add_row(m.node.node_id, m.node.name, m.node.country, m.node.kind, f"{m.score:.0f}")
    out.print(table)


@app.command()
def validate(
    path: Annotated[Path, typer.Argument(help="Network package folder.")],
) -> None:
    """Check a network package and print every problem (exit 2 if any)."""
    try:
        net = load_network(path)
    except NetworkValidationError as exc:
        for p in exc.problems:
            sys.stderr.write(f"{path}: {p}\n")
        sys.stderr.write(f"corridor: {len(exc.problems)} problem(s) in {path}\n")
        raise typer.Exit(2) from None
    out.print(
        f"{path}: OK — {net.name} {net.version}: {len(net.nodes)} nodes, "
        f"{len(net.links)} links, {len(net.crossing_ids)} crossings, "
        f"{len(net.services)} services"
    )


@app.command("network")
def network_command(
    fmt: Annotated[NetworkFormat, typer.Option("--format", help="Output format.")] = (
        NetworkFormat.summary
    ),
    network: NetworkOption = None,
) -> None:
    """Describe the network: a summary, or GeoJSON of its nodes and links."""
    net = _network(network)
    if fmt is NetworkFormat.geojson:
        print(json.dumps(network_geojson(net), ensure_ascii=False))
        return
    _print_summary(net)


def _print_summary(net: Network) -> None:
    m = net.manifest
    out.print(f"[bold]{m.name} {m.version}[/] — {m.description}")
    out.print(f"prices in {m.currency} of {m.reference_year}; {len(m.sources)} sources")
    table = Table(show_edge=False, header_style="bold")
    for name in ("table", "rows", "estimates"):
        table.add_column(name)
    groups: dict[str, Any] = {
        "nodes": net.nodes,
        "links": net.links,
        "transfers": net.transfers,
        "crossings": net.crossings,
        "services": net.services,
        "commodities": net.commodities,
        "emission_factors": net.emission_factors,
    }
    for name, rows in groups.items():
        estimates = sum(1 for r in rows if r.provenance.estimate)
        table.add_row(name, str(len(rows)), str(estimates))
    out.print(table)
    modes: dict[str, float] = {}
    for link in net.links:
        modes[link.mode] = modes.get(link.mode, 0.0) + link.distance_km
    out.print("link km by mode: " + ", ".join(f"{k} {v:,.0f}" for k, v in sorted(modes.items())))
    out.print("countries: " + " ".join(net.countries))
    out.print(f"expanded graph: {net.graph.n_vertices} vertices, {net.graph.n_edges} edges")


def main() -> None:
    """Entry point: run the app, turning usage errors into one line and exit code 2."""
    if len(sys.argv) == 1:
        sys.argv.append("--help")
    try:
        code = app(standalone_mode=False)
    except typer.Exit as exc:
        code = exc.exit_code
    except typer.Abort:
        sys.stderr.write("corridor: aborted\n")
        code = 130
    except CorridorError as exc:
        sys.stderr.write(f"corridor: {exc}\n")
        code = 2
    except Exception as exc:
        # typer's usage errors (bad option, missing argument) carry a message and exit code 2
        format_message = getattr(exc, "format_message", None)
        if format_message is None or getattr(exc, "exit_code", None) != 2:
            raise
        message = " ".join(str(format_message()).split())
        sys.stderr.write(f"corridor: {message} (see `corridor --help`)\n")
        code = 2
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
