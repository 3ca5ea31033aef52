"""How much of a network package is sourced and how much estimated, per table and figure."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from corridor.network.model import Network


@dataclass(frozen=True)
class SourceCount:
    """`sourced` of `total` figures of one kind in one table have a source."""

    table: str
    figure: str
    sourced: int
    total: int

    @property
    def estimated(self) -> int:
        return self.total - self.sourced

    @property
    def share(self) -> float:
        return self.sourced / self.total if self.total else 1.0

    def __str__(self) -> str:
        return f"{self.table}: {self.figure} {self.sourced}/{self.total} sourced ({self.share:.0%})"


def source_counts(network: Network) -> list[SourceCount]:
    """Per table: node coordinates by `coord_source`; link distances by `distance_source`
    (`geometry` counts where the link has a shipped polyline); link paths by whether a polyline
    from a dataset or traced waypoints is shipped; every table's rows by their `estimate` flag.

    >>> from corridor.network.loader import load_network
    >>> str(source_counts(load_network())[0]).startswith("nodes: coordinates")
    True
    """
    links = network.links

    def distance_sourced(link_id: str, sources: tuple[str, ...]) -> bool:
        if sources == ("geometry",):
            return link_id in network.geometry
        return bool(sources)

    counts = [
        SourceCount(
            "nodes",
            "coordinates",
            sum(1 for n in network.nodes if n.coord_source),
            len(network.nodes),
        ),
        SourceCount(
            "links",
            "distances",
            sum(1 for lk in links if distance_sourced(lk.link_id, lk.distance_source)),
            len(links),
        ),
        SourceCount(
            "links", "paths", sum(1 for lk in links if lk.link_id in network.geometry), len(links)
        ),
    ]
    tables: dict[str, tuple[Any, ...]] = {
        "nodes": network.nodes,
        "links": links,
        "transfers": network.transfers,
        "crossings": network.crossings,
        "services": network.services,
        "commodities": network.commodities,
        "emission_factors": network.emission_factors,
    }
    for name, rows in tables.items():
        sourced = sum(1 for r in rows if not r.provenance.estimate)
        counts.append(SourceCount(name, "rows", sourced, len(rows)))
    return counts


__all__ = ["SourceCount", "source_counts"]
