"""Plans as tables: pandas DataFrames of routes and legs, GeoDataFrames with their lines.

pandas and GeoPandas are optional (`pip install 'corridor[frames]'` or `'corridor[geo]'`);
without them these functions raise `OptionalDependencyError`. Lists (modes, countries,
crossings, nodes) stay lists in their cells; times are timezone-aware UTC timestamps.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from corridor.errors import OptionalDependencyError, QueryError
from corridor.network.lines import leg_line, path_line

if TYPE_CHECKING:
    import pandas as pd

    from corridor.network.model import Network
    from corridor.routing.result import PlanResult, Route

ROUTE_COLUMNS = (
    "rank", "pareto", "origin", "destination", "depart", "arrive", "transit_hours",
    "transit_days", "p50_hours", "p90_hours", "p95_hours", "on_time_probability", "cost_usd",
    "co2e_wtw_kg", "co2e_ttw_kg", "distance_km", "transfers", "modes", "countries", "crossings",
    "nodes", "commodity",
)  # fmt: skip


def _pandas() -> Any:
    try:
        import pandas
    except ImportError:
        raise OptionalDependencyError("pandas", "frames", "a DataFrame") from None
    return pandas


def _route_row(result: PlanResult, rank: int, r: Route) -> dict[str, Any]:
    return {
        "rank": rank,
        "pareto": r.pareto,
        "origin": result.origin,
        "destination": result.destination,
        "depart": r.depart,
        "arrive": r.arrive,
        "transit_hours": r.transit_hours,
        "transit_days": r.transit_days,
        "p50_hours": r.p50_hours,
        "p90_hours": r.p90_hours,
        "p95_hours": r.p95_hours,
        "on_time_probability": r.on_time_probability,
        "cost_usd": r.cost_usd,
        "co2e_wtw_kg": r.co2e_kg,
        "co2e_ttw_kg": r.co2e_ttw_kg,
        "distance_km": r.distance_km,
        "transfers": r.transfers,
        "modes": list(r.modes),
        "countries": list(r.countries),
        "crossings": list(r.corridor),
        "nodes": list(r.nodes),
        "commodity": r.commodity,
    }


def routes_frame(result: PlanResult) -> pd.DataFrame:
    """One row per route, in the result's order (`rank` 1 first).

    >>> import corridor
    >>> net = corridor.load_network()
    >>> frame = corridor.plan(net, "Kuryk", "Alat", depart="2026-12-01", alternatives=0).to_frame()
    >>> frame.loc[0, ["origin", "destination"]].tolist(), int(frame.loc[0, "rank"])
    (['KZ_KUR', 'AZ_ALT'], 1)
    >>> type(frame.loc[0, "modes"]).__name__
    'list'
    """
    pd = _pandas()
    rows = [_route_row(result, i, r) for i, r in enumerate(result.routes, start=1)]
    return pd.DataFrame(rows, columns=list(ROUTE_COLUMNS))


def legs_frame(result: PlanResult) -> pd.DataFrame:
    """One row per leg of every route: `rank` (the route), `leg` (1 first) and its figures."""
    pd = _pandas()
    rows = []
    for rank, route in enumerate(result.routes, start=1):
        for i, leg in enumerate(route.legs, start=1):
            rows.append(
                {
                    "rank": rank,
                    "leg": i,
                    "kind": leg.kind,
                    "from_node": leg.from_node,
                    "to_node": leg.to_node,
                    "mode": leg.mode,
                    "depart": leg.depart,
                    "arrive": leg.arrive,
                    "hours": leg.hours,
                    "distance_km": leg.distance_km,
                    "cost_usd": leg.cost_usd,
                    "co2e_wtw_kg": leg.co2e_kg,
                    "co2e_ttw_kg": leg.co2e_ttw_kg,
                    "detail": leg.detail,
                    "ref": leg.ref,
                }
            )
    columns = ["rank", "leg", "kind", "from_node", "to_node", "mode", "depart", "arrive", "hours"]
    columns += ["distance_km", "cost_usd", "co2e_wtw_kg", "co2e_ttw_kg", "detail", "ref"]
    return pd.DataFrame(rows, columns=columns)


def to_geodataframe(result: PlanResult, network: Network | None, *, legs: bool = False) -> Any:
    """Routes (or legs) as a GeoDataFrame of LineStrings in EPSG:4326.

    Each line comes from `corridor.network.lines`, the one helper that draws legs.
    """
    if network is None:
        raise QueryError(
            "network", "pass the Network the result was planned on: to_geodataframe(net)"
        )
    try:
        import geopandas
        from shapely.geometry import LineString
    except ImportError:
        raise OptionalDependencyError("geopandas", "geo", "a GeoDataFrame") from None
    if legs:
        frame = legs_frame(result)
        lines = [
            leg_line(network, leg.from_node, leg.to_node, leg.ref)
            for route in result.routes
            for leg in route.legs
        ]
    else:
        frame = routes_frame(result)
        lines = [path_line(network, r.nodes) for r in result.routes]
    geometry = [LineString(points) for points in lines]
    return geopandas.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")
