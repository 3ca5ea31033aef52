"""The corridor alternatives' per-network memo: the same signatures as computed afresh, made once
per network and never shared between networks."""

from __future__ import annotations

from pathlib import Path

import numpy as np

import corridor
from corridor.network.expanded import BORDER, MOVE
from corridor.routing.alternatives import edge_signatures, network_signatures


def test_a_networks_signatures_are_made_once_and_equal_a_fresh_computation(
    eurasia: corridor.Network,
) -> None:
    first = network_signatures(eurasia)
    assert network_signatures(eurasia) is first  # kept, not recomputed
    for kept, fresh in zip(first, edge_signatures(eurasia), strict=True):
        assert np.array_equal(kept, fresh)


def test_each_network_gets_its_own_signatures(eurasia: corridor.Network, tiny_copy: Path) -> None:
    network_signatures(eurasia)
    tiny = corridor.load_network(tiny_copy)
    mine = network_signatures(tiny)
    assert mine[0].shape[0] == len(tiny.graph.dst) != len(eurasia.graph.dst)
    for kept, fresh in zip(mine, edge_signatures(tiny), strict=True):
        assert np.array_equal(kept, fresh)


def test_only_crossings_passages_and_moves_into_a_country_change_a_signature(
    eurasia: corridor.Network,
) -> None:
    g = eurasia.graph
    mul, add, country_mul, country_add = edge_signatures(eurasia)
    country = [n.country for n in eurasia.nodes]
    added: dict[str, set[int]] = {}
    for e in range(len(g.dst)):
        link = eurasia.links[int(g.ref[e])] if g.kind[e] == MOVE else None
        into = link is not None and country[g.src_node[e]] != country[g.dst_node[e]]
        if into:
            assert country_mul[e] != 1
            added.setdefault(country[g.dst_node[e]], set()).add(int(country_add[e]))
        else:
            assert (country_mul[e], country_add[e]) == (1, 0), e
        passes = g.kind[e] == BORDER or (link is not None and link.passages)
        assert ((mul[e], add[e]) != (1, 0)) == bool(passes), e
    assert all(len(codes) == 1 for codes in added.values())  # one code per country
    assert len({next(iter(c)) for c in added.values()}) == len(added)  # distinct codes
