"""Corridor alternatives: the best route of each corridor the shown routes do not cover.

A corridor is the sequence of border crossings and sea passages a route uses (`corridor_of`).
One extra search (`pareto.corridor_paths`) keeps, at every vertex, the best label of each
corridor prefix (at most `PER_VERTEX` of them), so its destination bag holds the best route of
each corridor it reached: bounded work, where the former planner replanned up to 24 times.
"""

from __future__ import annotations

from collections.abc import Sequence
from weakref import WeakKeyDictionary

import numpy as np
import numpy.typing as npt

from corridor.network.expanded import BORDER, MOVE
from corridor.network.model import Network
from corridor.routing.legs import countries_of
from corridor.routing.pareto import LabelPath, SearchSpace, Signatures, corridor_paths

U64 = npt.NDArray[np.uint64]
PER_VERTEX = 8  # corridor prefixes kept per vertex (16 with new country sequences; kernel)
_BASE = 1_000_003
_MASK = (1 << 64) - 1
# a network's signatures, made on its first query: they depend on the (immutable) network alone
_SIGNATURES: WeakKeyDictionary[Network, Signatures] = WeakKeyDictionary()


def network_signatures(network: Network) -> Signatures:
    """`edge_signatures(network)`, computed once per network (it is immutable) and kept while
    the network lives. Callers must not write to the arrays (left writable: numba compiles
    read-only arrays as another type)."""
    found = _SIGNATURES.get(network)
    if found is None:
        found = _SIGNATURES[network] = edge_signatures(network)
    return found


def edge_signatures(network: Network) -> Signatures:
    """Per edge, (multiplier, addend) such that signature' = signature * mul + add (mod 2^64).

    Corridor signature: each element (a crossing id, or `passage:NAME`) gets a code; an edge
    folds in the codes of the elements it passes, in order. Country signature: a move into
    another country folds in that country's code. Other edges leave a signature unchanged.
    """
    g = network.graph
    crossing_of = [d.crossing_id for d in g.crossing_directions]
    border = np.flatnonzero(g.kind == BORDER)
    with_passages = {i: link.passages for i, link in enumerate(network.links) if link.passages}
    moves = np.flatnonzero((g.kind == MOVE) & np.isin(g.ref, list(with_passages)))
    per_edge: dict[int, list[str]] = {
        int(e): [crossing_of[d]]
        for e, d in zip(border.tolist(), g.crossdir[border].tolist(), strict=True)
    }
    for edge, link in zip(moves.tolist(), g.ref[moves].tolist(), strict=True):
        per_edge[edge] = [f"passage:{p}" for p in with_passages[link]]
    codes = {
        name: i + 1 for i, name in enumerate(sorted({x for v in per_edge.values() for x in v}))
    }
    mul, add = _fold(len(g.dst), per_edge, codes)
    names = {c: i + 1 for i, c in enumerate(sorted({n.country for n in network.nodes}))}
    code = np.array([names[n.country] for n in network.nodes], dtype=np.uint64)
    into = (g.kind == MOVE) & (code[g.src_node] != code[g.dst_node])
    country_mul = np.where(into, np.uint64(_BASE), np.uint64(1)).astype(np.uint64)
    country_add = np.where(into, code[g.dst_node], np.uint64(0)).astype(np.uint64)
    return mul, add, country_mul, country_add


def _fold(n_edges: int, per_edge: dict[int, list[str]], codes: dict[str, int]) -> tuple[U64, U64]:
    mul = np.ones(n_edges, dtype=np.uint64)
    add = np.zeros(n_edges, dtype=np.uint64)
    for edge, names in per_edge.items():
        m, a = 1, 0
        for name in names:
            m = (m * _BASE) & _MASK
            a = (a * _BASE + codes[name]) & _MASK
        mul[edge], add[edge] = m, a
    return mul, add


def signature_of(signatures: Signatures, edges: Sequence[int]) -> int:
    """The corridor signature of a path, as the search folds it."""
    mul, add = signatures[0], signatures[1]
    h = 0
    for e in edges:
        h = (h * int(mul[e]) + int(add[e])) & _MASK
    return h


def _nodes(network: Network, edges: Sequence[int]) -> list[int]:
    """The nodes a path passes, in order, each stay once (edges join head to tail)."""
    g = network.graph
    if not edges:
        return []
    heads: list[int] = g.dst_node[np.asarray(edges, dtype=np.int64)].tolist()
    out = [int(g.src_node[edges[0]])]
    for node in heads:  # a plain loop: cheaper than numpy's masks on paths this short
        if node != out[-1]:
            out.append(node)
    return out


def _revisits(nodes: Sequence[int]) -> bool:
    """Whether the path leaves a node and later comes back to it."""
    return len(set(nodes)) < len(nodes)


def _countries(network: Network, nodes: Sequence[int]) -> tuple[str, ...]:
    """Countries in order of passage, as `legs.countries_of` gives them."""
    out: list[str] = []
    for node in nodes:
        country = network.nodes[node].country
        if not out or out[-1] != country:
            out.append(country)
    return tuple(out)


def _reentered(countries: Sequence[str]) -> set[str]:
    """The countries a sequence enters more than once."""
    return {c for i, c in enumerate(countries) if c in countries[:i]}


def corridor_candidates(
    network: Network,
    space: SearchSpace,
    sources: Sequence[int],
    targets: Sequence[int],
    start: float,
    criteria: Sequence[int],
    shown: Sequence[LabelPath],
    count: int,
    max_transfers: int | None = None,
    deadline: float | None = None,
) -> list[LabelPath]:
    """Up to `count` * 3 corridors' best paths, corridors through new countries first.

    Order: by the first criterion, except that a corridor through a country sequence no shown
    route (or earlier candidate) passes comes before another variant of a known sequence, and
    a corridor that leaves a country and comes back comes last. A path through a node twice is
    dropped, and so is one re-entering a country that no shown route re-enters.
    """
    signatures = network_signatures(network)
    covered = [signature_of(signatures, p.edges) for p in shown]
    found = corridor_paths(
        space, sources, targets, start, criteria, signatures, covered, max_transfers,
        per_vertex=PER_VERTEX, wanted=3 * count + len(shown), deadline=deadline,
    )  # fmt: skip
    first = int(criteria[0])
    # a path through a place twice (out across a border and back) is no corridor of its own
    nodes = [_nodes(network, p.edges) for p in found]
    simple = [(p, n) for p, n in zip(found, nodes, strict=True) if not _revisits(n)]
    simple.sort(key=lambda pn: (pn[0].figures()[first], *pn[0].figures()[:3], pn[0].edges))
    best = [p for p, _ in simple]
    countries = [_countries(network, n) for _, n in simple]
    seen = {countries_of(network, p.edges) for p in shown}
    # a corridor that leaves a country and comes back is offered only where a shown route does
    # the same (geography forces it, e.g. the Trans-Siberian through Petropavl in Kazakhstan)
    forced = {c for p in shown for c in _reentered(countries_of(network, p.edges))}
    keep = [i for i, c in enumerate(countries) if _reentered(c) <= forced]
    best, countries = [best[i] for i in keep], [countries[i] for i in keep]
    detour = [len(set(c)) < len(c) for c in countries]
    left = list(range(len(best)))
    chosen: list[LabelPath] = []
    while left and len(chosen) < 3 * count:
        # min keeps the first of equal rank: the best by the first criterion
        pick = min(left, key=lambda i: 2 * detour[i] + (countries[i] in seen))
        left.remove(pick)
        chosen.append(best[pick])
        seen.add(countries[pick])
    return chosen
