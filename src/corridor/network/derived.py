"""`per_network`: what is computed from one network, kept on that network and freed with it.

Searches, closure indexes and element names are costly to build and depend on nothing but the
network object. A module-level `lru_cache` keyed by the network would keep every network it
ever saw alive until evicted, so a server that opens one network per scenario job would hold a
dozen; a store on the network itself lives exactly as long as the network does.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, TypeVar, cast

if TYPE_CHECKING:
    from corridor.network.model import Network

T = TypeVar("T")


def per_network(build: Callable[[Network], T]) -> Callable[[Network], T]:
    """Decorate `build(network)` so that it runs once per network object.

    The result is kept in the network's own `derived` store under the function itself, so it
    is freed with the network. Two threads asking at once may both build; the first
    result stored is the one every caller gets.

    >>> from corridor import load_network
    >>> @per_network
    ... def size(network):
    ...     return object()
    >>> net = load_network()
    >>> size(net) is size(net)
    True
    """

    @wraps(build)
    def kept(network: Network) -> T:
        store = network.derived
        if build not in store:
            store.setdefault(build, build(network))
        return cast(T, store[build])

    return kept
