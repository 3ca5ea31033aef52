"""The batch's table of routes, and writing it to (Geo)Parquet atomically.

`SCHEMA` is one row per route: totals, simulated P50/P90/P95 transit hours, well-to-wheel and
tank-to-wheel CO2e, list columns (crossings, modes, countries, nodes: Arrow lists, not joined
strings) and the route's line as WKB in `geometry` (lon/lat, OGC:CRS84). `write_parquet` adds
GeoParquet 1.0 metadata when the table has that column, so GeoPandas reads it with
`geopandas.read_parquet`. A query that fails is one row with `error` set.
"""

from __future__ import annotations

import json
import os
import struct
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.parquet as pq

from corridor.errors import QueryError

if TYPE_CHECKING:
    from corridor.reliability.montecarlo import TransitDistribution
    from corridor.routing.result import Route

_TEXTS = pa.list_(pa.string())
SCHEMA = pa.schema(
    [
        pa.field("od_index", pa.int32(), nullable=False),
        pa.field("origin", pa.string(), nullable=False),
        pa.field("destination", pa.string(), nullable=False),
        pa.field("commodity", pa.string(), nullable=False),
        pa.field("depart", pa.timestamp("s", tz="UTC"), nullable=False),
        pa.field("scenario", pa.string(), nullable=False),
        pa.field("route_rank", pa.int16()),
        pa.field("pareto", pa.bool_()),
        pa.field("arrive", pa.timestamp("s", tz="UTC")),
        pa.field("transit_hours", pa.float64()),
        pa.field("p50_hours", pa.float64()),
        pa.field("p90_hours", pa.float64()),
        pa.field("p95_hours", pa.float64()),
        pa.field("cost_usd", pa.float64()),
        pa.field("co2e_kg", pa.float64()),  # well-to-wheel
        pa.field("co2e_ttw_kg", pa.float64()),  # tank-to-wheel
        pa.field("distance_km", pa.float64()),
        pa.field("transfers", pa.int16()),
        pa.field("corridor", _TEXTS),
        pa.field("modes", _TEXTS),
        pa.field("countries", _TEXTS),
        pa.field("nodes", _TEXTS),
        pa.field("geometry", pa.binary()),
        pa.field("error", pa.string()),
    ]
)
"""Columns of a batch's Parquet file; `route_rank` counts from 1 within a query."""


def line_wkb(points: Sequence[tuple[float, float]]) -> bytes:
    """A LineString as little-endian WKB.

    >>> line_wkb([(0.0, 1.0), (2.0, 3.0)]).hex()[:18]
    '010200000002000000'
    """
    body = b"".join(struct.pack("<dd", x, y) for x, y in points)
    return struct.pack("<BII", 1, 2, len(points)) + body


def route_row(
    head: Mapping[str, Any],
    rank: int,
    route: Route,
    distribution: TransitDistribution | None,
    points: Sequence[tuple[float, float]],
) -> dict[str, Any]:
    """One row of `SCHEMA` for a planned route (`head`: the query's own columns)."""
    return {
        **head,
        "route_rank": rank,
        "pareto": route.pareto,
        "arrive": route.arrive,
        "transit_hours": route.transit_hours,
        "p50_hours": distribution.p50 if distribution else None,
        "p90_hours": distribution.p90 if distribution else None,
        "p95_hours": distribution.p95 if distribution else None,
        "cost_usd": route.cost_usd,
        "co2e_kg": route.co2e_kg,
        "co2e_ttw_kg": route.co2e_ttw_kg,
        "distance_km": route.distance_km,
        "transfers": route.transfers,
        "corridor": list(route.corridor),
        "modes": list(route.modes),
        "countries": list(route.countries),
        "nodes": list(route.nodes),
        "geometry": line_wkb(points),
    }


def geo_metadata() -> dict[str, str]:
    """GeoParquet 1.0 metadata for the `geometry` column (WKB LineStrings, OGC:CRS84)."""
    column = {"encoding": "WKB", "geometry_types": ["LineString"]}
    return {
        "geo": json.dumps(
            {"version": "1.0.0", "primary_column": "geometry", "columns": {"geometry": column}}
        )
    }


def check_parquet_path(path: str | Path) -> Path:
    """The path to write, or a `QueryError` on the `out` field saying what was expected."""
    target = Path(path)
    if target.suffix.lower() != ".parquet":
        raise QueryError("out", f"expected a file name ending .parquet, got {path}")
    if not target.parent.is_dir():
        raise QueryError("out", f"folder {target.parent} does not exist")
    if target.is_dir():
        raise QueryError("out", f"{target} is a folder; expected a file name")
    return target


def write_parquet(
    table: pa.Table, path: str | Path, metadata: Mapping[str, str] | None = None
) -> Path:
    """Write `table` (plus key-value `metadata`) to a temporary file beside `path`, then rename.

    The rename is atomic on one filesystem, so `path` holds either its old content or the whole
    new table; the temporary file is removed if writing fails.
    """
    target = check_parquet_path(path)
    if "geometry" in table.schema.names:
        metadata = {**geo_metadata(), **(metadata or {})}
    if metadata:
        merged = {
            **(table.schema.metadata or {}),
            **{k.encode(): v.encode() for k, v in metadata.items()},
        }
        table = table.replace_schema_metadata(merged)
    partial = target.with_name(f".{target.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.partial")
    try:
        pq.write_table(table, partial, compression="zstd")
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return target
