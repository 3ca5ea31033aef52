# ruff: noqa: SIM109  (numba kernels: plain loops and comparisons compile best)
"""Compiled single-criterion searches, many closures of one graph in one loop.

Plain typed Python, compiled by numba on first use (`compiled`, cached on disk). One call runs
a list of tasks for one OD pair: each task is a search by one figure (a column of the space's
`columns`: median hours, cost, CO2e, P90 hours) with one set of edges banned. Clock figures
(time, P90) are time-dependent: a scheduled edge waits for its next departure
(`routing.kernel.next_departure`, the engine's own), so the search is a FIFO earliest-arrival
Dijkstra; cost and CO2e are static sums (waiting costs nothing). Both are A*-ordered by the
unbanned graph's lower bounds (admissible and consistent for every banned variant).

No array is allocated or cleared per task: `seen`, `banned` and `is_target` hold stamps, and a
mark counts only when it equals the stamp of the task (or of the call) that wrote it.
Targets are not expanded and sources that are targets are skipped, as in the engine.
"""

from __future__ import annotations

import importlib
import sys
import threading
from collections.abc import Callable
from typing import Any, cast

import numpy as np
import numpy.typing as npt

from corridor.routing import kernel

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
I32 = npt.NDArray[np.int32]
U8 = npt.NDArray[np.uint8]

TIME, COST, CO2E, P90 = kernel.TIME, kernel.COST, kernel.CO2E, kernel.P90
next_departure = kernel.next_departure
OVERFLOW = -2


def _push(hk: F64, hv: I32, size: int, key: float, v: int) -> int:
    i = size
    while i > 0:
        p = (i - 1) >> 1
        if hk[p] <= key:
            break
        hk[i] = hk[p]
        hv[i] = hv[p]
        i = p
    hk[i] = key
    hv[i] = v
    return size + 1


def _pop(hk: F64, hv: I32, size: int) -> int:
    """Remove the heap's top (read it from hk[0], hv[0] first); the new size."""
    size -= 1
    if size > 0:
        key, v = hk[size], hv[size]
        i = 0
        while True:
            c = 2 * i + 1
            if c >= size:
                break
            if c + 1 < size and hk[c + 1] < hk[c]:
                c += 1
            if key <= hk[c]:
                break
            hk[i] = hk[c]
            hv[i] = hv[c]
            i = c
        hk[i] = key
        hv[i] = v
    return size


def _search(
    indptr: I64,
    dst: I32,
    columns: F64,
    usable: U8,
    schedule: I32,
    tt_offsets: I64,
    tt_hours: F64,
    sources: I64,
    bounds: F64,
    start: float,
    c: int,
    stamp: int,
    target_stamp: int,
    seen: I64,
    dist: F64,
    pred: I32,
    banned: I64,
    is_target: I64,
    hk: F64,
    hv: I32,
) -> int:
    """One search by column `c` with the edges whose `banned` mark is `stamp` closed.

    Returns the target vertex reached first (its figure in `dist`), -1 when none is reached, or
    OVERFLOW when the heap is full (it holds one entry per improvement: with consistent bounds
    about one per edge, so this is a guard, never expected).
    """
    clock = c == TIME or c == P90
    size = 0
    for i in range(sources.shape[0]):
        s = sources[i]
        if is_target[s] == target_stamp or bounds[s, c] == np.inf:
            continue
        d = start if clock else 0.0
        if seen[s] == stamp and dist[s] <= d:
            continue
        if size >= hk.shape[0]:
            return OVERFLOW
        seen[s] = stamp
        dist[s] = d
        pred[s] = -1
        size = _push(hk, hv, size, d + bounds[s, c], s)
    best = np.inf
    reached = -1
    while size > 0:
        key = hk[0]
        u = hv[0]
        if key >= best:
            break
        size = _pop(hk, hv, size)
        du = dist[u]
        if key > du + bounds[u, c]:
            continue  # stale: u was reached more cheaply since
        if is_target[u] == target_stamp:
            if du < best:
                best = du
                reached = u
            continue
        for e in range(indptr[u], indptr[u + 1]):
            if not usable[e] or banned[e] == stamp:
                continue
            v = dst[e]
            h = bounds[v, c]
            if h == np.inf:
                continue  # the targets cannot be reached from v
            leave = du
            if clock and schedule[e] >= 0:
                s = schedule[e]
                leave = next_departure(du, tt_hours, tt_offsets[s], tt_offsets[s + 1])
            dv = leave + columns[e, c]
            if seen[v] != stamp or dv < dist[v]:
                if size >= hk.shape[0]:
                    return OVERFLOW
                seen[v] = stamp
                dist[v] = dv
                pred[v] = e
                size = _push(hk, hv, size, dv + h, v)
    return reached


def run_tasks(
    indptr: I64,
    dst: I32,
    columns: F64,
    usable: U8,
    schedule: I32,
    tt_offsets: I64,
    tt_hours: F64,
    sources: I64,
    targets: I64,
    bounds: F64,
    start: float,
    task_column: I64,
    task_ban: I64,
    ban_ptr: I64,
    ban_edges: I64,
    stamp0: int,
    seen: I64,
    dist: F64,
    pred: I32,
    banned: I64,
    is_target: I64,
    hk: F64,
    hv: I32,
    values: F64,
    reached: I64,
) -> int:
    """Run every task of one OD pair; figures into `values` (inf: no route), the target vertex
    reached into `reached`. Task i bans the edges of row `task_ban[i]` of the (ban_ptr,
    ban_edges) table (-1: none). A task whose row equals the previous task's, after that one
    found no route, finds none either and is not run. Returns the next free stamp, or -1 when a
    heap overflowed (grow `hk` and `hv` and run the call again)."""
    for i in range(targets.shape[0]):
        is_target[targets[i]] = stamp0
    for i in range(task_column.shape[0]):
        stamp = stamp0 + 1 + i
        row = task_ban[i]
        if i > 0 and row == task_ban[i - 1] and reached[i - 1] < 0:
            values[i] = np.inf
            reached[i] = -1
            continue
        if row >= 0:
            for j in range(ban_ptr[row], ban_ptr[row + 1]):
                banned[ban_edges[j]] = stamp
        c = task_column[i]
        t = _search(
            indptr, dst, columns, usable, schedule, tt_offsets, tt_hours, sources, bounds,
            start, c, stamp, stamp0, seen, dist, pred, banned, is_target, hk, hv,
        )  # fmt: skip
        if t == OVERFLOW:
            return -1
        reached[i] = t
        if t < 0:
            values[i] = np.inf
        elif c == TIME or c == P90:
            values[i] = dist[t] - start
        else:
            values[i] = dist[t]
    return int(stamp0 + 1 + task_column.shape[0])


# --- compilation ---------------------------------------------------------------------------------

_HELPERS = ("_push", "_pop", "_search")
_COMPILED: dict[str, Callable[..., Any]] = {}
_LOCK = threading.Lock()


def compiled() -> Callable[..., int]:
    """`run_tasks` compiled by numba, once per process (machine code cached on disk)."""
    with _LOCK:
        if not _COMPILED:
            numba = importlib.import_module("numba")
            module = sys.modules[__name__]
            if numba.config.DISABLE_JIT:
                _COMPILED["run_tasks"] = run_tasks
            else:
                jit = numba.njit(cache=True, nogil=True)
                departure = kernel.next_departure
                module.next_departure = jit(getattr(departure, "py_func", departure))  # type: ignore[attr-defined]
                for helper in _HELPERS:
                    setattr(module, helper, jit(getattr(module, helper)))
                _COMPILED["run_tasks"] = jit(run_tasks)
        return cast(Callable[..., int], _COMPILED["run_tasks"])
