"""The corridor alternatives' per-network memo: the same signatures as computed afresh, made once
per network and never shared between networks."""

from __future__ import annotations

from pathlib import Path

import numpy as np

import corridor
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
