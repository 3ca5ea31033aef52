"""Flow decomposition and path description of the assignment, on the bundled network's graph."""

from __future__ import annotations

import itertools
from collections import defaultdict

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import corridor
from corridor.assignment.costs import edge_costs
from corridor.assignment.paths import decompose, describe
from corridor.network.expanded import MOVE

NETWORK = corridor.load_network()


def _walk(
    rng: np.random.Generator, rank: np.ndarray, steps: int, after: list[int] | None = None
) -> list[int]:
    """A random walk that only climbs `rank` (walks drawn so never form a cycle), from a random
    vertex or on from the end of the walk `after`."""
    g = NETWORK.graph
    edges = list(after or [])
    v = int(g.dst[edges[-1]]) if edges else int(rng.integers(g.n_vertices))
    for _ in range(steps):
        out = [e for e in range(g.indptr[v], g.indptr[v + 1]) if rank[g.dst[e]] > rank[v]]
        if not out:
            break
        e = int(rng.choice(out))
        edges.append(e)
        v = int(g.dst[e])
    return edges


def _tail(e: int) -> int:
    return int(np.searchsorted(NETWORK.graph.indptr, e, side="right") - 1)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), walks=st.integers(1, 6))
def test_decomposed_paths_carry_every_edge_flow_from_injections_to_absorptions(
    seed: int, walks: int
) -> None:
    g = NETWORK.graph
    rng = np.random.default_rng(seed)
    rank = rng.permutation(g.n_vertices)
    flow = np.zeros(g.n_edges)
    inject: dict[int, float] = defaultdict(float)
    absorb: dict[int, float] = defaultdict(float)
    drawn: list[list[int]] = []
    for _ in range(walks):
        # some walks go on through where an earlier one ends: flow passes an absorbing vertex
        after = drawn[int(rng.integers(len(drawn)))] if drawn and rng.random() < 0.5 else None
        edges = _walk(rng, rank, int(rng.integers(1, 12)), after)
        if not edges:
            continue
        drawn.append(edges)
        amount = float(rng.integers(1, 100))
        flow[edges] += amount
        inject[_tail(edges[0])] += amount
        absorb[int(g.dst[edges[-1]])] += amount
    paths = decompose(NETWORK, flow, inject, absorb)
    carried = np.zeros(g.n_edges)
    started: dict[int, float] = defaultdict(float)
    ended: dict[int, float] = defaultdict(float)
    for edges, amount in paths:
        assert amount > 0 and edges
        for a, b in itertools.pairwise(edges):
            assert g.dst[a] == _tail(b)  # the path is connected
        carried[edges] += amount
        started[_tail(edges[0])] += amount
        ended[int(g.dst[edges[-1]])] += amount
    assert np.allclose(carried, flow)
    # a vertex both injecting and absorbing nets out; compare what leaves and what arrives
    for v in set(inject) | set(absorb) | set(started) | set(ended):
        net_given = inject.get(v, 0.0) - absorb.get(v, 0.0)
        assert abs((started[v] - ended[v]) - net_given) < 1e-6


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_a_described_path_lists_each_run_of_one_mode_once_in_order(seed: int) -> None:
    g = NETWORK.graph
    rng = np.random.default_rng(seed)
    edges = _walk(rng, rng.permutation(g.n_vertices), 30)
    path = describe(NETWORK, edges, 1.0, edge_costs(NETWORK, "general", 0.0))
    moves = [NETWORK.links[int(g.ref[e])].mode for e in edges if g.kind[e] == MOVE]
    assert list(path.modes) == [mode for mode, _ in itertools.groupby(moves)]
    assert len(path.nodes) == (len(moves) + 1 if moves else 0)
