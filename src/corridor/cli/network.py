"""`corridor places`, `validate` and `network`: look at a network package."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from corridor.cli.app import NetworkOption, app, fail, open_network, out
from corridor.errors import NetworkValidationError
from corridor.network.geojson import network_geojson
from corridor.network.geometry import geometry_warnings
from corridor.network.loader import load_network
from corridor.network.model import Network
from corridor.network.places import GOOD_MATCH, find_places
from corridor.network.sourcing import source_counts


class NetworkFormat(StrEnum):
    summary = "summary"
    geojson = "geojson"


@app.command()
def places(
    query: Annotated[str, typer.Argument(help="Part of a name, an alias or a node id.")],
    limit: Annotated[int, typer.Option(min=1, max=100, help="Most places to list.")] = 10,
    network: NetworkOption = None,
) -> None:
    """Find nodes by name (fuzzy, case- and accent-insensitive).

    Exits 1 when nothing matches well enough for `route` to take it (best score below 86),
    naming the nearest places; a country's name lists that country's nodes.
    """
    net = open_network(network)
    iso = net.places.country_of(query)
    if iso is not None:
        hubs = ", ".join(f"{n.name} ({n.node_id})" for n in net.places.hubs_in(iso, 8))
        fail(f"{query!r} is a country ({iso}), not a place; its nodes: {hubs or 'none'}", code=1)
    matches = find_places(net, query, limit=limit)
    if not matches or matches[0].score < GOOD_MATCH:
        near = ", ".join(f"{m.node.name} ({m.node.node_id}, {m.score:.0f})" for m in matches[:3])
        fail(
            f"no good match for {query!r}" + (f"; nearest: {near}" if near else ""),
            code=1,
        )
    table = Table(show_edge=False, header_style="bold")
    for name in ("node", "name", "country", "kind", "matched", "score"):
        table.add_column(name)
    for m in matches:
        table.add_row(
            m.node.node_id, m.node.name, m.node.country, m.node.kind, m.how, f"{m.score:.0f}"
        )
    out.print(table)


@app.command()
def validate(
    path: Annotated[Path, typer.Argument(help="Network package folder.")],
) -> None:
    """Check a network package and print every problem (exit 2 if any).

    Warnings (figures that load but look wrong, e.g. a link shorter than the great circle between
    its ends, or a stated distance 15% away from its geometry's length) are printed to stderr
    and leave the exit code at 0."""
    try:
        net = load_network(path)
    except NetworkValidationError as exc:
        for p in exc.problems:
            sys.stderr.write(f"{path}: {p}\n")
        sys.stderr.write(f"corridor: {len(exc.problems)} problem(s) in {path}\n")
        raise typer.Exit(2) from None
    warnings = geometry_warnings(net)
    for w in warnings:
        sys.stderr.write(f"{path}: warning: {w}\n")
    out.print(
        f"{path}: OK — {net.name} {net.version}: {len(net.nodes)} nodes, "
        f"{len(net.links)} links, {len(net.crossing_ids)} crossings, "
        f"{len(net.services)} services" + (f"; {len(warnings)} warning(s)" if warnings else "")
    )


@app.command("network")
def network_command(
    fmt: Annotated[NetworkFormat, typer.Option("--format", help="Output format.")] = (
        NetworkFormat.summary
    ),
    network: NetworkOption = None,
) -> None:
    """Describe the network: a summary, or GeoJSON of its nodes and links."""
    net = open_network(network)
    if fmt is NetworkFormat.geojson:
        print(json.dumps(network_geojson(net), ensure_ascii=False))
        return
    _print_summary(net)


def _print_summary(net: Network) -> None:
    m = net.manifest
    out.print(f"[bold]{m.name} {m.version}[/] — {m.description}")
    out.print(f"prices in {m.currency} of {m.reference_year}; {len(m.sources)} sources")
    table = Table(show_edge=False, header_style="bold")
    for name in ("table", "figures", "sourced", "estimated", "share sourced"):
        table.add_column(name, justify="left" if name in ("table", "figures") else "right")
    for c in source_counts(net):
        table.add_row(c.table, c.figure, str(c.sourced), str(c.estimated), f"{c.share:.0%}")
    out.print(table)
    modes: dict[str, float] = {}
    for link in net.links:
        modes[link.mode] = modes.get(link.mode, 0.0) + link.distance_km
    out.print("link km by mode: " + ", ".join(f"{k} {v:,.0f}" for k, v in sorted(modes.items())))
    out.print("countries: " + " ".join(net.countries))
    out.print(f"expanded graph: {net.graph.n_vertices} vertices, {net.graph.n_edges} edges")
