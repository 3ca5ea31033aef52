"""Decomposing one OD pair's edge flows into the routes it uses (flow decomposition).

Walk from a vertex with injected flow along edges that still carry flow until a vertex that absorbs
flow; send the bottleneck amount down that path and subtract it. A walk that revisits a vertex has
found a cycle (possible through zero-cost edges); the cycle's flow is cancelled, which changes no
cost, and the walk goes on. Every step zeroes an edge, an injection or an absorption, so it ends.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import numpy.typing as npt

from corridor.assignment.costs import EdgeCosts
from corridor.assignment.result import PathFlow
from corridor.network.expanded import BORDER, MOVE
from corridor.network.model import Network

FloatArray = npt.NDArray[np.float64]


def decompose(
    network: Network,
    flow: FloatArray,
    inject: Mapping[int, float],
    absorb: Mapping[int, float],
    *,
    tolerance: float = 1e-7,
) -> list[tuple[list[int], float]]:
    """Paths (lists of graph edges) and their flows; `flow` is indexed by graph edge."""
    g = network.graph
    rest = np.where(flow > tolerance, flow, 0.0)
    inj = {v: a for v, a in inject.items() if a > tolerance}
    out = {v: a for v, a in absorb.items() if a > tolerance}
    paths: list[tuple[list[int], float]] = []
    while inj:
        start = max(inj, key=lambda v: (inj[v], -v))
        edges: list[int] = []
        seen = {start: 0}
        v = start
        while out.get(v, 0.0) <= tolerance:
            lo, hi = int(g.indptr[v]), int(g.indptr[v + 1])
            if hi == lo or rest[lo:hi].max() <= tolerance:
                break  # numerical residue with nowhere to go
            e = lo + int(np.argmax(rest[lo:hi]))
            edges.append(e)
            v = int(g.dst[e])
            if v in seen:  # cancel the cycle and resume from its entry
                cycle = edges[seen[v] :]
                rest[cycle] -= min(rest[c] for c in cycle)
                rest[rest <= tolerance] = 0.0
                del edges[seen[v] :]
                seen = {k: i for k, i in seen.items() if i <= seen[v]}
                continue
            seen[v] = len(edges)
        if out.get(v, 0.0) <= tolerance:
            del inj[start]
            continue
        amount = min([inj[start], out[v], *(rest[e] for e in edges)])
        for e in edges:
            rest[e] -= amount
        rest[rest <= tolerance] = 0.0
        for side, key in ((inj, start), (out, v)):
            side[key] -= amount
            if side[key] <= tolerance:
                del side[key]
        paths.append((edges, amount))
    return paths


def describe(network: Network, edges: list[int], amount: float, costs: EdgeCosts) -> PathFlow:
    """The path's nodes, modes, crossings and per-TEU figures."""
    g = network.graph
    nodes: list[str] = []
    modes: list[str] = []
    via: list[str] = []
    for e in edges:
        if g.kind[e] == BORDER:
            via.append(g.crossing_directions[int(g.crossdir[e])].name)
        if g.kind[e] != MOVE:
            continue
        link = network.links[int(g.ref[e])]
        a, b = (link.to_node, link.from_node) if g.reverse[e] else (link.from_node, link.to_node)
        if not nodes:
            nodes.append(a)
        nodes.append(b)
        if not modes or modes[-1] != link.mode:
            modes.append(link.mode)
    idx = np.array(edges, dtype=np.int64)
    return PathFlow(
        teu=amount,
        nodes=tuple(nodes),
        modes=tuple(modes),
        via=tuple(via),
        hours=float(costs.hours[idx].sum()),
        usd_per_teu=float(costs.usd[idx].sum()),
        generalized_usd_per_teu=float(costs.generalized[idx].sum()),
    )


def merge(paths: list[PathFlow]) -> tuple[PathFlow, ...]:
    """Paths with the same nodes, modes and crossings as one, largest flow first."""
    merged: dict[tuple[tuple[str, ...], ...], PathFlow] = {}
    for p in paths:
        key = (p.nodes, p.modes, p.via)
        if key in merged:
            q = merged[key]
            total = q.teu + p.teu
            merged[key] = PathFlow(
                total,
                p.nodes,
                p.modes,
                p.via,
                (q.hours * q.teu + p.hours * p.teu) / total,
                (q.usd_per_teu * q.teu + p.usd_per_teu * p.teu) / total,
                (q.generalized_usd_per_teu * q.teu + p.generalized_usd_per_teu * p.teu) / total,
            )
        else:
            merged[key] = p
    return tuple(sorted(merged.values(), key=lambda p: (-p.teu, p.nodes)))
