"""A least-recently-used map of encoded answers, bounded in bytes as well as in entries.

Route answers vary from a few kilobytes to two megabytes (alternatives, reliability histograms,
GeoJSON), so a cap on entries alone bounds memory only as tightly as the largest answer allows.
`ByteLRU` charges every entry its body's length plus `ENTRY_OVERHEAD` (its key, the map's
bookkeeping, a mapped body's last partial page) and evicts the least recently used entries
until the total fits the budget; a body larger than the whole budget is not kept at all.

The values are the encoded response bodies, so a hit is answered with the same bytes a miss
produced. Bodies of `MAP_MIN_BYTES` or more are kept in an anonymous memory map of their own:
evicting one unmaps its pages at once. Kept as `bytes` in the allocator's heap, long-lived
bodies of every size interleave with a query's short-lived arrays, and the freed holes they
leave could not be given back, so the process grew after the cache was full (docs/soak.md).

>>> cache: ByteLRU[str] = ByteLRU(max_bytes=2 * ENTRY_OVERHEAD + 10, max_entries=10)
>>> cache.put("a", b"12345"), cache.put("b", b"12345"), cache.get("a")
(True, True, b'12345')
>>> cache.put("c", b"1"), cache.get("b"), sorted(cache.recency())
(True, None, ['a', 'c'])
"""

from __future__ import annotations

import mmap
import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)

# charged per entry on top of its body: a route query key (a frozen dataclass with a few short
# strings and tuples, about 1 KB with its objects) and the ordered map's node
ENTRY_OVERHEAD = 2048
# bodies this large are kept in an anonymous memory map of their own, outside the allocator's heap
MAP_MIN_BYTES = 64 * 1024
Stored = bytes | mmap.mmap


class ByteLRU(Generic[K]):
    """Thread-safe LRU of `bytes` values: at most `max_entries` entries and `max_bytes` in all,
    each entry charged `len(value) + entry_overhead` (`cost`). A budget of 0 keeps nothing."""

    def __init__(
        self, max_bytes: int, max_entries: int, *, entry_overhead: int = ENTRY_OVERHEAD
    ) -> None:
        if min(max_bytes, max_entries, entry_overhead) < 0:
            raise ValueError("cache limits must be at least 0")
        self.max_bytes = max_bytes
        self.max_entries = max_entries
        self.entry_overhead = entry_overhead
        self._entries: OrderedDict[K, Stored] = OrderedDict()
        self._used = 0
        self._lock = threading.Lock()

    def cost(self, value: bytes | mmap.mmap) -> int:
        """What an entry with this value is charged against the budget."""
        return len(value) + self.entry_overhead

    def get(self, key: K) -> bytes | None:
        """The value kept for `key` (now the most recently used), or None."""
        with self._lock:
            stored = self._entries.get(key)
            if stored is None:
                return None
            self._entries.move_to_end(key)
            return stored if isinstance(stored, bytes) else stored[:]

    def put(self, key: K, value: bytes) -> bool:
        """Keep `value` for `key` as the most recently used entry, evicting the least recently
        used ones until both limits hold; False (nothing kept) when it alone exceeds them."""
        cost = self.cost(value)
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._drop(old)
            if cost > self.max_bytes or self.max_entries == 0:
                return False
            while self._entries and (
                self._used + cost > self.max_bytes or len(self._entries) >= self.max_entries
            ):
                self._drop(self._entries.popitem(last=False)[1])
            self._entries[key] = _store(value)
            self._used += cost
            return True

    def _drop(self, stored: Stored) -> None:
        self._used -= self.cost(stored)
        if isinstance(stored, mmap.mmap):
            stored.close()  # its pages go back to the system now

    @property
    def used_bytes(self) -> int:
        """The entries' total charge: never more than `max_bytes`."""
        with self._lock:
            return self._used

    def recency(self) -> list[K]:
        """The keys held, least recently used first."""
        with self._lock:
            return list(self._entries)

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)


def _store(value: bytes) -> Stored:
    """`value` as kept: a large body is copied into an anonymous map of its own."""
    if len(value) < MAP_MIN_BYTES:
        return value
    mapped = mmap.mmap(-1, len(value))
    mapped.write(value)
    return mapped
