"""Planning for the API: a bounded thread pool, a per-query time budget and a result cache.

The planner is pure Python and numpy, so it runs in worker threads and the event loop stays
free. A query that outlives its budget (queueing included) gets a 503 problem: still queued, it
is dropped; already planning, its thread finishes in the background and caches the result. A
query the queue would delay past its budget, or beyond `max_pending_queries`, is refused at
once with `Retry-After`, so slow queries cannot pile up without bound. Answers are cached by
the normalized query, as the encoded bodies, in a least-recently-used cache bounded in bytes
(`result_cache_bytes`) and in entries (`result_cache_size`): the network is immutable, so the
same query always gives the same answer, and a hit returns the very bytes the miss produced.
"""

from __future__ import annotations

import asyncio
import dataclasses
import math
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime

from corridor.api.cache import ByteLRU
from corridor.api.encoding import to_json
from corridor.api.problems import ApiProblem, from_corridor_error
from corridor.api.schemas import RouteRequest
from corridor.api.settings import Settings
from corridor.errors import CorridorError
from corridor.network.geojson import routes_geojson
from corridor.network.model import Network
from corridor.reliability.assess import assess
from corridor.reliability.summary import histogram, reliability_summary
from corridor.routing.query import Query
from corridor.routing.understood import plan_understood as plan  # checks and echoes the query

# a query and the reliability it asks for: (samples or None, seed, deadline)
CacheKey = tuple[Query, int | None, int, datetime | None]


class RoutePlanner:
    """Plans route requests into the CLI's JSON (plus GeoJSON), as UTF-8 bytes."""

    def __init__(self, network: Network, settings: Settings) -> None:
        self._network = network
        self._settings = settings
        self._executor: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()
        self._pending = 0
        self._cache: ByteLRU[CacheKey] = ByteLRU(
            settings.result_cache_bytes, settings.result_cache_size
        )
        self._cpu_s = 0.0  # moving mean of a query's CPU time: the queue's drain rate

    async def plan_json(self, request: RouteRequest, *, prefix: str = "") -> bytes:
        """The response body for `request`; raises ApiProblem for every user-caused failure."""
        places = request.places()
        try:
            query = request.to_query()
        except CorridorError as exc:
            raise from_corridor_error(exc, prefix=prefix, places=places) from None
        # "now" is fixed to the minute here, so the cache key and the answer agree
        query = dataclasses.replace(query, depart=query.departure())
        key: CacheKey = (query, request.reliability_samples(), request.seed, request.deadline)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        with self._lock:
            # the threads share one interpreter: the queue drains at about one query's CPU time
            # each, so a query that would wait past its budget is shed at once (docs/api.md)
            wait = self._pending * self._cpu_s
            if self._pending and wait + self._cpu_s > self._settings.query_timeout_s:
                raise ApiProblem(
                    503,
                    "busy",
                    "Server busy",
                    f"the queue would delay this query about {wait:.1f} s, past its time budget",
                    headers={"Retry-After": str(max(1, math.ceil(wait)))},
                )
            if self._pending >= self._settings.max_pending_queries:
                raise ApiProblem(
                    503,
                    "busy",
                    "Server busy",
                    "too many route queries in progress; retry in a moment",
                    headers={"Retry-After": "1"},
                )
            self._pending += 1
            if self._executor is None:  # first use, or used again after a shutdown
                self._executor = ThreadPoolExecutor(
                    self._settings.plan_threads, thread_name_prefix="corridor-plan"
                )
            future: Future[bytes | CorridorError] = self._executor.submit(self._compute, key)
        future.add_done_callback(self._release)
        budget = self._settings.query_timeout_s
        try:
            outcome = await asyncio.wait_for(asyncio.wrap_future(future), timeout=budget)
        except TimeoutError:
            raise ApiProblem(
                503,
                "time-budget",
                "Query took too long",
                f"the query needed more than its time budget of {budget:g} s; narrow it "
                "(fewer alternatives, all_routes false, or more constraints)",
            ) from None
        if isinstance(outcome, CorridorError):
            raise from_corridor_error(outcome, prefix=prefix, places=places)
        return outcome

    def _release(self, _future: Future[bytes | CorridorError]) -> None:
        with self._lock:
            self._pending -= 1

    def _compute(self, key: CacheKey) -> bytes | CorridorError:
        """The answer, or the user's error returned rather than raised, without its traceback.

        Raised across the thread, the error's traceback would hold the search's frames (its
        graphs and arrays) in a reference cycle with the two futures, which only a full garbage
        collection frees: under load such cycles outlived thousands of queries (docs/soak.md).
        """
        started = time.thread_time()
        try:
            return self._answer(key)
        except CorridorError as exc:
            return _detached(exc)
        finally:
            spent = time.thread_time() - started
            with self._lock:
                self._cpu_s = spent if self._cpu_s == 0 else 0.8 * self._cpu_s + 0.2 * spent

    def _answer(self, key: CacheKey) -> bytes:
        query, samples, seed, deadline = key
        # the search stops itself at the budget, so a timed-out query frees its thread
        budget = self._settings.query_timeout_s
        if query.time_limit is None or query.time_limit > budget:
            query = dataclasses.replace(query, time_limit=budget)
        result = plan(self._network, query)
        truncated = len(result.routes) > self._settings.max_routes
        if truncated:
            result = dataclasses.replace(result, routes=result.routes[: self._settings.max_routes])
        assessment = None
        if samples is not None:
            assessment = assess(
                self._network, result, samples=samples, seed=seed, deadline=deadline
            )
            result = assessment.result
        body = result.to_dict()
        if assessment is not None:
            body["reliability"] = reliability_summary(assessment)
            for route, distribution in zip(body["routes"], assessment.distributions, strict=True):
                route["distribution"] = histogram(distribution)
        body["geojson"] = routes_geojson(self._network, result)
        if truncated:
            body["truncated"] = True
        content = to_json(body)
        self._cache.put(key, content)
        return content

    @property
    def cache(self) -> ByteLRU[CacheKey]:
        """The result cache (read its size with `used_bytes` and `len`)."""
        return self._cache

    def shutdown(self) -> None:
        """Cancel queued queries; a later query starts a new pool."""
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)


def _detached(error: CorridorError) -> CorridorError:
    """`error` and the errors chained to it, without the tracebacks that hold their frames."""
    chain: list[BaseException] = []
    link: BaseException | None = error
    while link is not None and not any(link is seen for seen in chain):
        chain.append(link)
        link.__traceback__ = None
        link = link.__cause__ or link.__context__
    return error
