"""`per_network` builds once per network object and frees its result with the network."""

from __future__ import annotations

import gc
import weakref
from dataclasses import replace

from corridor.network.derived import per_network
from corridor.network.model import Network


class _Built:
    """A weakly referable result."""


def test_a_derived_value_is_built_once_per_network(eurasia: Network) -> None:
    calls: list[Network] = []

    @per_network
    def build(network: Network) -> _Built:
        calls.append(network)
        return _Built()

    other = replace(eurasia)
    assert build(eurasia) is build(eurasia)
    assert build(other) is not build(eurasia)
    assert [id(n) for n in calls] == [id(eurasia), id(other)]


def test_two_functions_keep_their_own_values(eurasia: Network) -> None:
    first = per_network(lambda network: "first")
    second = per_network(lambda network: "second")
    assert (first(eurasia), second(eurasia)) == ("first", "second")


def test_a_derived_value_is_freed_with_its_network(eurasia: Network) -> None:
    @per_network
    def build(network: Network) -> _Built:
        return _Built()

    network = replace(eurasia)
    value = weakref.ref(build(network))
    gone = weakref.ref(network)
    del network
    gc.collect()
    assert gone() is None
    assert value() is None
