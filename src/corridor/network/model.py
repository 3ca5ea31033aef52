"""The immutable `Network`: validated records plus their compiled expanded graph."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from corridor.network.expanded import ExpandedGraph, compile_graph
from corridor.network.geometry import LinkGeometry
from corridor.network.places import PlaceIndex, place_keys
from corridor.network.records import (
    Commodity,
    CrossingRule,
    EmissionFactor,
    Link,
    Manifest,
    Node,
    Service,
    Transfer,
)


@dataclass(frozen=True, eq=False)
class Network:
    """A loaded network package. Build it with `corridor.load_network`; never mutate it.

    Scenario tools derive new networks with `dataclasses.replace`-style constructors instead.
    """

    manifest: Manifest
    nodes: tuple[Node, ...]
    links: tuple[Link, ...]
    transfers: tuple[Transfer, ...]
    crossings: tuple[CrossingRule, ...]
    services: tuple[Service, ...]
    commodities: tuple[Commodity, ...]
    emission_factors: tuple[EmissionFactor, ...]
    # link id -> its shipped polyline (geometry*.csv); links without one are drawn straight
    geometry: Mapping[str, LinkGeometry] = field(default_factory=lambda: MappingProxyType({}))
    node_index: Mapping[str, int] = field(init=False, repr=False)
    link_index: Mapping[str, int] = field(init=False, repr=False)
    commodity_index: Mapping[str, int] = field(init=False, repr=False)
    graph: ExpandedGraph = field(init=False, repr=False)
    place_keys: tuple[tuple[str, ...], ...] = field(init=False, repr=False)
    places: PlaceIndex = field(init=False, repr=False)
    # what `network.derived.per_network` functions built from this network, freed with it
    derived: dict[object, object] = field(init=False, repr=False, default_factory=dict)

    def __post_init__(self) -> None:
        def index(ids: list[str]) -> Mapping[str, int]:
            return MappingProxyType({key: i for i, key in enumerate(ids)})

        # Derived, read-only views computed once; object.__setattr__ is the frozen-dataclass idiom.
        object.__setattr__(self, "node_index", index([n.node_id for n in self.nodes]))
        object.__setattr__(self, "link_index", index([lk.link_id for lk in self.links]))
        object.__setattr__(self, "commodity_index", index([c.commodity for c in self.commodities]))
        object.__setattr__(self, "graph", compile_graph(self))
        object.__setattr__(self, "place_keys", tuple(place_keys(n) for n in self.nodes))
        object.__setattr__(self, "places", PlaceIndex.build(self.nodes))

    def __repr__(self) -> str:
        return (
            f"Network({self.name} {self.version}: {len(self.nodes)} nodes, {len(self.links)} "
            f"links, {len(self.crossing_ids)} crossings, {len(self.services)} services, "
            f"{len(self.commodities)} commodities)"
        )

    @property
    def name(self) -> str:
        return self.manifest.name

    @property
    def version(self) -> str:
        return self.manifest.version

    def node(self, node_id: str) -> Node:
        return self.nodes[self.node_index[node_id]]

    def link(self, link_id: str) -> Link:
        return self.links[self.link_index[link_id]]

    def commodity(self, commodity: str) -> Commodity:
        return self.commodities[self.commodity_index[commodity]]

    @property
    def crossing_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.crossing_id for c in self.crossings))

    @property
    def countries(self) -> tuple[str, ...]:
        return tuple(sorted({n.country for n in self.nodes}))
