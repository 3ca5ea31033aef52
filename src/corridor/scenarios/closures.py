"""Which expanded-graph edges closing each element removes, for every element at once.

`optima.element_edges` answers for one element by scanning the whole graph; criticality needs
the answer for thousands of elements, and the reverse question (which elements a route
touches). `ClosureIndex` holds every element's edges as one CSR table, built once per network
with a few sorts: per link its MOVE and BORDER edges, per node the edges at its vertices; an
element is a link (`link`), the links a crossing's rows name (`crossing`), the crossing links
between two countries (`border`, `AA-BB`) or a node (`hub`), as `element_edges` defines them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from corridor.network.expanded import BORDER, MOVE
from corridor.network.model import Network

I64 = npt.NDArray[np.int64]
Element = tuple[str, str]


@dataclass(frozen=True, eq=False)
class ClosureIndex:
    """Every element's banned edges: row i of (ptr, edges) belongs to elements[i]."""

    elements: tuple[Element, ...]
    row: Mapping[Element, int]
    ptr: I64
    edges: I64  # sorted within each row
    owner: I64  # the row of each entry of `edges`
    n_edges: int

    def edges_of(self, element: Element) -> I64:
        """The edges closing `element` removes (sorted). KeyError for an unknown element."""
        i = self.row[element]
        return self.edges[self.ptr[i] : self.ptr[i + 1]]

    def touched(self, path_edges: Sequence[int] | I64) -> set[Element]:
        """The elements whose closure removes at least one of `path_edges`."""
        on_path = np.zeros(self.n_edges, dtype=bool)
        on_path[np.asarray(path_edges, dtype=np.int64)] = True
        rows = np.unique(self.owner[on_path[self.edges]])
        return {self.elements[int(i)] for i in rows}


def _csr(keys: I64, values: I64, n_keys: int) -> tuple[I64, I64]:
    """Group `values` by `keys` in [0, n_keys): (ptr, values sorted by key, then value)."""
    order = np.lexsort((values, keys))
    ptr = np.zeros(n_keys + 1, dtype=np.int64)
    np.cumsum(np.bincount(keys, minlength=n_keys), out=ptr[1:])
    return ptr, values[order]


def _link_table(network: Network) -> tuple[I64, I64]:
    """Per link index, its MOVE edges and the BORDER edges in front of them."""
    g = network.graph
    border_link = np.array([d.link for d in g.crossing_directions] + [-1], dtype=np.int64)
    kind = np.asarray(g.kind)
    link_of = np.where(
        kind == BORDER,
        border_link[np.asarray(g.crossdir, dtype=np.int64)],
        np.where(kind == MOVE, np.asarray(g.ref, dtype=np.int64), -1),
    )
    edges = np.flatnonzero(link_of >= 0).astype(np.int64)
    return _csr(link_of[edges], edges, len(network.links))


def _node_table(network: Network) -> tuple[I64, I64]:
    """Per node index, the edges that start or end at one of its vertices (each once)."""
    g = network.graph
    node = np.asarray(g.vertex_node, dtype=np.int64)
    ids = np.arange(g.n_edges, dtype=np.int64)
    keys = np.concatenate([node[g.src], node[g.dst]])
    values = np.concatenate([ids, ids])
    unique = np.unique(keys * g.n_edges + values)
    return _csr(unique // g.n_edges, unique % g.n_edges, len(network.nodes))


def _links_of(network: Network, kind: str, ident: str, groups: dict[str, set[int]]) -> set[int]:
    if kind == "link":
        return {network.link_index[ident]}
    if kind in ("crossing", "border"):
        return groups.get(f"{kind}:{ident}", set())
    raise ValueError(f"unknown element kind {kind!r}")


def _crossing_groups(network: Network) -> dict[str, set[int]]:
    """Link indices per `crossing:ID` and per `border:AA-BB` (countries of the link's ends)."""
    groups: dict[str, set[int]] = {}
    for c in network.crossings:
        li = network.link_index[c.link_id]
        lk = network.links[li]
        pair = sorted((network.node(lk.from_node).country, network.node(lk.to_node).country))
        groups.setdefault(f"crossing:{c.crossing_id}", set()).add(li)
        groups.setdefault(f"border:{'-'.join(pair)}", set()).add(li)
    return groups


def closure_index(network: Network, elements: Sequence[Element]) -> ClosureIndex:
    """The banned edges of each of `elements` (kinds link, crossing, border, hub)."""
    link_ptr, link_edges = _link_table(network)
    node_ptr, node_edges = _node_table(network)
    groups = _crossing_groups(network)
    parts: list[I64] = []
    for kind, ident in elements:
        if kind == "hub":
            i = network.node_index[ident]
            parts.append(node_edges[node_ptr[i] : node_ptr[i + 1]])
            continue
        links = sorted(_links_of(network, kind, ident, groups))
        found = [link_edges[link_ptr[li] : link_ptr[li + 1]] for li in links]
        if len(found) == 1:
            parts.append(found[0])  # one link's edges: sorted and distinct already
        else:
            parts.append(np.unique(np.concatenate(found)) if found else np.zeros(0, np.int64))
    ptr = np.zeros(len(parts) + 1, dtype=np.int64)
    np.cumsum([len(p) for p in parts], out=ptr[1:])
    edges = np.concatenate(parts).astype(np.int64) if parts else np.zeros(0, np.int64)
    return ClosureIndex(
        elements=tuple(elements),
        row={e: i for i, e in enumerate(elements)},
        ptr=ptr,
        edges=edges,
        owner=np.repeat(np.arange(len(parts), dtype=np.int64), np.diff(ptr)),
        n_edges=network.graph.n_edges,
    )
