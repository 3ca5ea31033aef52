"""The route-result cache: bounded in bytes and entries, least recently used evicted first, and
a hit answers with the same bytes as planning afresh."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import corridor
from corridor.api.cache import ByteLRU
from corridor.api.planning import RoutePlanner
from corridor.api.schemas import RouteRequest
from corridor.api.settings import Settings
from corridor.errors import CorridorError

OVERHEAD = 10  # what the tests charge per entry (the server's default is larger)

# (op, key, size): op "put" or "get"; sizes in units, scaled to bytes per run so that some runs
# keep small bodies as bytes and others large ones in their own memory maps
OPS = st.lists(
    st.tuples(st.sampled_from(("put", "get")), st.integers(0, 7), st.integers(0, 300)),
    max_size=60,
)


def _body(key: int, version: int, size: int) -> bytes:
    return (f"<{key}.{version}>".encode() * (size // 4 + 1))[:size]


class ReferenceLRU:
    """The behaviour asked of the cache, written plainly: a list in recency order."""

    def __init__(self, max_bytes: int, max_entries: int) -> None:
        self.max_bytes, self.max_entries = max_bytes, max_entries
        self.items: list[tuple[int, bytes]] = []

    def charge(self) -> int:
        return sum(len(v) + OVERHEAD for _, v in self.items)

    def get(self, key: int) -> bytes | None:
        for i, (k, v) in enumerate(self.items):
            if k == key:
                self.items.append(self.items.pop(i))
                return v
        return None

    def put(self, key: int, value: bytes) -> bool:
        self.items = [(k, v) for k, v in self.items if k != key]
        if len(value) + OVERHEAD > self.max_bytes or self.max_entries == 0:
            return False
        while self.items and (
            self.charge() + len(value) + OVERHEAD > self.max_bytes
            or len(self.items) >= self.max_entries
        ):
            self.items.pop(0)
        self.items.append((key, value))
        return True


@settings(max_examples=150, deadline=None)
@given(
    ops=OPS,
    unit=st.sampled_from((1, 1024)),
    budget_units=st.integers(0, 1500),
    max_entries=st.integers(0, 6),
)
def test_the_cache_keeps_within_its_byte_budget_and_evicts_the_least_recently_used(
    ops: list[tuple[str, int, int]], unit: int, budget_units: int, max_entries: int
) -> None:
    budget = budget_units * unit
    cache: ByteLRU[int] = ByteLRU(budget, max_entries, entry_overhead=OVERHEAD)
    model = ReferenceLRU(budget, max_entries)
    for version, (op, key, size) in enumerate(ops):
        if op == "put":
            body = _body(key, version, size * unit)
            assert cache.put(key, body) == model.put(key, body)
        else:
            assert cache.get(key) == model.get(key)
        assert cache.recency() == [k for k, _ in model.items]
        held = [(k, cache.get(k)) for k in cache.recency()]  # every body reads back whole
        assert held == model.items
        for k, _ in held:  # the reads above reordered the cache: restore the model's order
            model.get(k)
        assert sum(len(v) + OVERHEAD for _, v in model.items) <= budget
        assert cache.used_bytes == model.charge() <= budget
        assert len(cache) <= max_entries


def test_a_body_over_the_whole_budget_is_not_kept_and_evicts_nothing_else() -> None:
    cache: ByteLRU[str] = ByteLRU(200_000, 10, entry_overhead=OVERHEAD)
    small = b"x" * 1_000
    assert cache.put("small", small)
    assert not cache.put("huge", b"y" * 200_000)
    assert cache.get("huge") is None
    assert cache.get("small") == small


def test_a_large_body_reads_back_byte_equal_after_other_entries_come_and_go() -> None:
    cache: ByteLRU[int] = ByteLRU(10_000_000, 100, entry_overhead=OVERHEAD)
    bodies = {i: bytes(range(256)) * (300 * (i + 1)) for i in range(5)}  # 77 KB to 384 KB
    for key, body in bodies.items():
        cache.put(key, body)
    cache.put(2, b"replaced")
    assert cache.get(2) == b"replaced"
    for key in (0, 1, 3, 4):
        assert cache.get(key) == bodies[key]


@pytest.mark.parametrize(
    "field,value",
    [
        ("result_cache_bytes", -1),
        ("result_cache_bytes", 4097 * 1024 * 1024),
        ("result_cache_bytes", 1.5),
        ("result_cache_bytes", True),
        ("result_cache_bytes", "64"),
        ("result_cache_size", -1),
        ("result_cache_size", 100_001),
    ],
)
def test_cache_settings_outside_their_documented_range_are_refused_by_name(
    field: str, value: Any
) -> None:
    with pytest.raises(CorridorError, match=field):
        Settings(**{field: value})


@pytest.mark.parametrize(
    "field,value",
    [
        ("result_cache_bytes", 0),
        ("result_cache_bytes", 4096 * 1024 * 1024),
        ("result_cache_size", 0),
        ("result_cache_size", 100_000),
    ],
)
def test_cache_settings_at_the_ends_of_their_range_are_taken(field: str, value: int) -> None:
    assert getattr(Settings(**{field: value}), field) == value


def _plan(planner: RoutePlanner, body: dict[str, Any]) -> bytes:
    return asyncio.run(planner.plan_json(RouteRequest.model_validate(body)))


QUERIES = [
    {
        "origin": origin,
        "destination": "Duisburg",
        "depart": "2026-12-01T00:00:00Z",
        "alternatives": 4,
        "samples": 1000,
    }
    for origin in ("Xi'an", "Almaty", "Chongqing", "Urumqi")
]


def test_a_cached_answer_is_byte_equal_to_planning_afresh(eurasia: corridor.Network) -> None:
    cached = RoutePlanner(eurasia, Settings())
    uncached = RoutePlanner(eurasia, Settings(result_cache_size=0))
    try:
        first = _plan(cached, QUERIES[0])
        assert len(first) > 64 * 1024  # large enough to be kept in a memory map of its own
        assert len(cached.cache) == 1
        again = _plan(cached, QUERIES[0])
        assert len(cached.cache) == 1  # a hit: nothing new was planned or kept
        assert again == first == _plan(uncached, QUERIES[0])
        assert len(uncached.cache) == 0
    finally:
        cached.shutdown()
        uncached.shutdown()


def test_the_planner_keeps_its_answers_within_the_byte_budget(eurasia: corridor.Network) -> None:
    fresh = RoutePlanner(eurasia, Settings(result_cache_size=0))
    try:
        sizes = [len(_plan(fresh, q)) for q in QUERIES]
    finally:
        fresh.shutdown()
    budget = sum(sorted(sizes)[-2:]) + 8192  # room for two of the answers, not for four
    planner = RoutePlanner(eurasia, Settings(result_cache_bytes=budget))
    try:
        bodies = [_plan(planner, q) for q in QUERIES]
        assert [len(b) for b in bodies] == sizes
        held = [planner.cache.get(key) for key in planner.cache.recency()]
        assert sum(len(b or b"") for b in held) <= planner.cache.used_bytes <= budget
        assert 1 <= len(held) <= 2
        assert held[-1] == bodies[-1]  # the latest answer is the one most recently used
    finally:
        planner.shutdown()
