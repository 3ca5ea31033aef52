"""`map_tasks`: run one function over many items in order, here, on local processes or on Dask.

The three ways give the same list: results come back in the order of `items`. Items travel in
chunks (a few per worker) so that thousands of small tasks do not drown in scheduling overhead.
"""

from __future__ import annotations

import importlib
import math
import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from corridor.errors import CorridorError

if TYPE_CHECKING:
    from distributed import Client

T = TypeVar("T")
R = TypeVar("R")

CHUNKS_PER_WORKER = 4
MAX_CHUNK = 256
CONNECT_TIMEOUT = "10s"  # how long to wait for a Dask scheduler before giving up
# how long a Dask run may go on with no live worker before it fails (seconds; env override)
WORKER_TIMEOUT_ENV = "CORRIDOR_DASK_WORKER_TIMEOUT"
WORKER_TIMEOUT_S = 60.0
POLL_S = 0.5
ProgressCallback = Callable[[int, int], None]


def _run_chunk(fn: Callable[[T], R], chunk: Sequence[T]) -> list[R]:
    return [fn(item) for item in chunk]


def _chunks(items: Sequence[T], workers: int) -> list[Sequence[T]]:
    size = min(MAX_CHUNK, max(1, math.ceil(len(items) / (workers * CHUNKS_PER_WORKER))))
    return [items[i : i + size] for i in range(0, len(items), size)]


@contextmanager
def _progress(
    total: int, description: str, show: bool, callback: ProgressCallback | None
) -> Iterator[Callable[[int], None]]:
    """A rich bar on stderr (when `show`) and the caller's callback, both fed `advance(n)`."""
    done = 0
    console = Console(file=sys.stderr)
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not (show and console.is_terminal),  # no stray blank line in logs and pipes
    )
    task = bar.add_task(description or "working", total=total)

    def advance(n: int) -> None:
        nonlocal done
        done += n
        bar.advance(task, n)
        if callback is not None:
            callback(done, total)

    with bar:
        yield advance


def map_tasks(
    fn: Callable[[T], R],
    items: Sequence[T],
    *,
    workers: int = 1,
    scheduler: str | Client | None = None,
    description: str = "",
    progress: bool = True,
    on_progress: ProgressCallback | None = None,
) -> list[R]:
    """`[fn(item) for item in items]`, in order, with a progress bar on stderr.

    `workers=1` runs here; `workers>1` on that many local processes (spawned, so safe from a
    threaded server); `scheduler` (a Dask address such as ``tcp://host:8786``, or a
    `distributed.Client`) runs on that cluster. `fn` must be a picklable top-level function and
    the items picklable. `on_progress(done, total)` is called as chunks finish. An exception
    raised by `fn` propagates.
    """
    items = list(items)
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise CorridorError(f"workers: expected a whole number >= 1, got {workers!r}")
    with _progress(len(items), description, progress, on_progress) as advance:
        if not items:
            return []
        if scheduler is not None:
            return _on_dask(fn, items, scheduler, advance)
        if workers == 1:
            results: list[R] = []
            for item in items:
                results.append(fn(item))
                advance(1)
            return results
        return _on_processes(fn, items, workers, advance)


def _on_processes(
    fn: Callable[[T], R], items: Sequence[T], workers: int, advance: Callable[[int], None]
) -> list[R]:
    chunks = _chunks(items, workers)
    parts: list[list[R]] = [[] for _ in chunks]
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(workers, len(chunks)), mp_context=context) as pool:
        futures = {pool.submit(_run_chunk, fn, chunk): i for i, chunk in enumerate(chunks)}
        try:
            for future in as_completed(futures):
                parts[futures[future]] = future.result()
                advance(len(chunks[futures[future]]))
        except BaseException:
            for future in futures:
                future.cancel()
            raise
    return [result for part in parts for result in part]


def worker_timeout() -> float:
    """Seconds a Dask run waits with no live worker (CORRIDOR_DASK_WORKER_TIMEOUT, default 60)."""
    raw = os.environ.get(WORKER_TIMEOUT_ENV, "")
    try:
        value = float(raw) if raw else WORKER_TIMEOUT_S
    except ValueError:
        raise CorridorError(f"{WORKER_TIMEOUT_ENV}: expected seconds, got {raw!r}") from None
    if not 0 < value <= 86_400:
        raise CorridorError(f"{WORKER_TIMEOUT_ENV}: expected 0 < seconds <= 86400, got {raw!r}")
    return value


def _gather(
    dask: Any,
    client: Any,
    futures: list[Any],
    chunks: Sequence[Sequence[T]],
    advance: Callable[[int], None],
) -> list[list[R]]:
    """Each chunk's results as its future finishes; fails once no worker has been alive for
    `worker_timeout()` seconds (a cluster whose workers all died would otherwise wait forever)."""
    index = {future.key: i for i, future in enumerate(futures)}
    parts: list[list[R]] = [[] for _ in chunks]
    pending = list(futures)
    limit, alone_since = worker_timeout(), None
    while pending:
        try:
            done, not_done = dask.wait(pending, timeout=POLL_S, return_when="FIRST_COMPLETED")
        except TimeoutError:
            done, not_done = set(), pending
        for future in done:
            i = index[future.key]
            parts[i] = future.result()
            advance(len(chunks[i]))
        pending = list(not_done)
        if not pending or client.scheduler_info().get("workers"):
            alone_since = None
            continue
        alone_since = alone_since or time.monotonic()
        if time.monotonic() - alone_since > limit:
            raise CorridorError(
                f"scheduler: no live Dask worker for {limit:g} s with {len(pending)} chunk(s) "
                f"left; start workers (dask worker ADDRESS) or raise {WORKER_TIMEOUT_ENV}"
            )
    return parts


def _on_dask(
    fn: Callable[[T], R],
    items: Sequence[T],
    scheduler: str | Client,
    advance: Callable[[int], None],
) -> list[R]:
    try:
        # imported untyped: distributed's annotations are partial
        dask: Any = importlib.import_module("distributed")
    except ImportError:
        raise CorridorError("--scheduler needs Dask: pip install 'corridor[dask]'") from None
    client: Any
    if isinstance(scheduler, str):
        try:
            client = dask.Client(scheduler, timeout=CONNECT_TIMEOUT)
        except (OSError, ValueError, TypeError) as exc:  # unreachable, or not an address
            raise CorridorError(
                f"scheduler: cannot reach a Dask scheduler at {scheduler!r} ({exc})"
            ) from None
        owned = True
    else:
        client, owned = scheduler, False
    try:
        info: dict[str, Any] = client.scheduler_info()
        slots = sum(int(w.get("nthreads", 1)) for w in info.get("workers", {}).values())
        chunks = _chunks(items, max(1, slots))
        futures = [client.submit(_run_chunk, fn, chunk, pure=False) for chunk in chunks]
        try:
            parts: list[list[R]] = _gather(dask, client, futures, chunks, advance)
        except BaseException:
            client.cancel(futures)
            raise
        return [result for part in parts for result in part]
    finally:
        if owned:
            client.close()
