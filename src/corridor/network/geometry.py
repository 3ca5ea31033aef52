"""Link geometry: the polylines of a package's `geometry*.csv` files, decoded and checked.

A link's polyline runs from its `from_node` to its `to_node` as (lon, lat) pairs. Links without
one are drawn as a straight line between their end nodes. The files are optional; a package may
split them by licence (`geometry.csv`, `geometry_osm.csv`, ...), each row naming its sources.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from corridor.errors import Problem
from corridor.network.tables import Column, choice, identifier, listing, read_table, text

if TYPE_CHECKING:
    from corridor.network.model import Network
    from corridor.network.records import Link

EARTH_RADIUS_KM = 6371.0088
PRECISION = 1e5  # encoded polylines carry 5 decimals (about 1 m)
METHODS = ("dataset", "waypoints")
SHORT_TOLERANCE = 0.99  # a stated distance below 99% of the great circle is too short
MISMATCH_SHARE = 0.15  # a stated distance this far from the geometry's length is suspect
ENDPOINT_KM = 25.0  # a polyline ending farther than this from its node is stale

Point = tuple[float, float]  # (lon, lat)


@dataclass(frozen=True)
class LinkGeometry:
    """A link's drawn path: (lon, lat) points from `from_node` to `to_node`."""

    link_id: str
    method: str  # "dataset": routed on a named dataset; "waypoints": through hand-traced points
    sources: tuple[str, ...]
    coords: tuple[Point, ...]
    note: str = ""

    @property
    def length_km(self) -> float:
        return path_length_km(self.coords)


def great_circle_km(a: Point, b: Point) -> float:
    """Haversine distance between two (lon, lat) points in km.

    >>> round(great_circle_km((0.0, 0.0), (1.0, 0.0)), 1)
    111.2
    """
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def path_length_km(coords: Sequence[Point]) -> float:
    """Length of a polyline along great circles between its points."""
    return sum(great_circle_km(coords[i], coords[i + 1]) for i in range(len(coords) - 1))


def encode_polyline(coords: Iterable[Point]) -> str:
    """Google's encoded polyline format (lat before lon, 5 decimals) of (lon, lat) points.

    >>> encode_polyline([(-120.2, 38.5), (-120.95, 40.7), (-126.453, 43.252)])
    '_p~iF~ps|U_ulLnnqC_mqNvxq`@'
    """
    out: list[str] = []
    last = (0, 0)
    for lon, lat in coords:
        here = (round(lat * PRECISION), round(lon * PRECISION))
        for value in (here[0] - last[0], here[1] - last[1]):
            value = ~(value << 1) if value < 0 else value << 1
            while value >= 0x20:
                out.append(chr((0x20 | (value & 0x1F)) + 63))
                value >>= 5
            out.append(chr(value + 63))
        last = here
    return "".join(out)


def decode_polyline(cell: str) -> tuple[Point, ...]:
    """(lon, lat) points of an encoded polyline; `ValueError` says what was expected.

    >>> decode_polyline('_p~iF~ps|U_ulLnnqC_mqNvxq`@')
    ((-120.2, 38.5), (-120.95, 40.7), (-126.453, 43.252))
    """
    values: list[int] = []
    shift = result = 0
    for char in cell:
        byte = ord(char) - 63
        if not 0 <= byte < 64:
            raise ValueError(f"an encoded polyline (character {char!r} is not allowed)")
        result |= (byte & 0x1F) << shift
        shift += 5
        if byte < 0x20:
            values.append(~(result >> 1) if result & 1 else result >> 1)
            shift = result = 0
    if shift or len(values) % 2:
        raise ValueError("an encoded polyline (it ends in the middle of a coordinate)")
    lat = lon = 0
    points: list[Point] = []
    for i in range(0, len(values), 2):
        lat, lon = lat + values[i], lon + values[i + 1]
        points.append((lon / PRECISION, lat / PRECISION))
    if len(points) < 2:
        raise ValueError("an encoded polyline of at least two points")
    for lon_, lat_ in points:
        if not (-90.0 <= lat_ <= 90.0 and -180.0 <= lon_ <= 180.0):
            raise ValueError(
                f"coordinates within -90..90, -180..180 (a point is at {lat_}, {lon_})"
            )
    return tuple(points)


GEOMETRY = {
    "link_id": Column(identifier),
    "method": Column(choice(*METHODS)),
    "source": Column(listing(identifier)),
    "polyline": Column(decode_polyline),
    "note": Column(text, required=False, default=""),
}


def geometry_files(folder: Path) -> list[Path]:
    """The package's geometry files: `geometry.csv` and any `geometry_NAME.csv`, sorted."""
    return sorted(p for p in folder.glob("geometry*.csv") if p.is_file())


def read_geometry(
    folder: Path,
    links: Mapping[str, Link],
    source_ids: set[str] | None,
    problems: list[Problem],
) -> dict[str, LinkGeometry]:
    """Every geometry row of the package, checked against its links and declared sources."""
    out: dict[str, LinkGeometry] = {}
    where: dict[str, str] = {}
    for path in geometry_files(folder):
        for row in read_table(path, GEOMETRY, problems):
            v, n = row.values, row.number
            lid = v["link_id"]
            ok = True
            if lid not in links:
                problems.append(
                    Problem(
                        path.name, n, "link_id", lid, "unknown link id; expected an id of links.csv"
                    )
                )
                ok = False
            elif lid in where:
                problems.append(
                    Problem(
                        path.name, n, "link_id", lid, f"link already has a geometry in {where[lid]}"
                    )
                )
                ok = False
            for sid in v["source"]:
                if source_ids is not None and sid not in source_ids:
                    problems.append(
                        Problem(
                            path.name,
                            n,
                            "source",
                            sid,
                            "unknown source id; declare it in manifest.toml [[sources]]",
                        )
                    )
                    ok = False
            if ok:
                where[lid] = f"{path.name} row {n}"
                out[lid] = LinkGeometry(
                    lid, v["method"], tuple(v["source"]), v["polyline"], v["note"]
                )
    return out


def link_path(network: Network, link: Link, *, reverse: bool = False) -> list[Point]:
    """The link's polyline (or the straight line between its nodes), optionally reversed."""
    shape = network.geometry.get(link.link_id)
    if shape is not None:
        points = list(shape.coords)
    else:
        a, b = network.node(link.from_node), network.node(link.to_node)
        points = [(a.lon, a.lat), (b.lon, b.lat)]
    return points[::-1] if reverse else points


def link_length_km(network: Network, link: Link) -> float:
    """The length of what is drawn for the link: its polyline, or the great circle."""
    return path_length_km(link_path(network, link))


def geometry_warnings(network: Network) -> list[Problem]:
    """Figures that load but look wrong: links shorter than the great circle between their ends,
    stated distances far from the geometry's length, polylines that no longer end at their nodes."""
    warnings: list[Problem] = []
    for link in network.links:
        a, b = network.node(link.from_node), network.node(link.to_node)
        ends = ((a.lon, a.lat), (b.lon, b.lat))
        crow = great_circle_km(*ends)
        if link.distance_km < SHORT_TOLERANCE * crow:
            warnings.append(
                Problem(
                    "links.csv",
                    None,
                    "distance_km",
                    f"{link.distance_km:g}",
                    f"link {link.link_id} is shorter than the great circle between its ends "
                    f"({crow:,.0f} km); check the distance or the node coordinates",
                )
            )
        shape = network.geometry.get(link.link_id)
        if shape is None:
            continue
        length = shape.length_km
        if abs(link.distance_km - length) > MISMATCH_SHARE * length:
            warnings.append(
                Problem(
                    "links.csv",
                    None,
                    "distance_km",
                    f"{link.distance_km:g}",
                    f"link {link.link_id}: the stated distance differs from its geometry's "
                    f"length ({length:,.0f} km, {shape.method} from {';'.join(shape.sources)}) "
                    f"by {abs(link.distance_km - length) / length:.0%}",
                )
            )
        for end, node in ((shape.coords[0], a), (shape.coords[-1], b)):
            gap = great_circle_km(end, (node.lon, node.lat))
            if gap > ENDPOINT_KM:
                warnings.append(
                    Problem(
                        "geometry",
                        None,
                        "polyline",
                        link.link_id,
                        f"the polyline ends {gap:,.0f} km from node {node.node_id}; "
                        "re-run scripts/build_geometry.py",
                    )
                )
    return warnings


__all__ = [
    "GEOMETRY",
    "LinkGeometry",
    "decode_polyline",
    "encode_polyline",
    "geometry_files",
    "geometry_warnings",
    "great_circle_km",
    "link_length_km",
    "link_path",
    "path_length_km",
    "read_geometry",
]
