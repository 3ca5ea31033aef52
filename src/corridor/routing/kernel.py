# ruff: noqa: SIM109, SIM110  (numba kernels: plain loops and comparisons compile best)
"""The compiled label-setting kernel: time-dependent multi-criteria search over flat arrays.

Plain typed Python, compiled by numba on first use (`shortest._jit`, cached on disk). A label
holds four figures: median arrival (hours since the epoch), cost, CO2e and the robust P90 clock.
The search is resumable: `run` pops at most `max_pops` labels and returns, so the caller can
check a deadline and a label budget, or grow the label arrays, and call again.

Rules (docs/engine.md gives the reasons):
- key: the query's criteria (component indices); ncomp: 3, or 4 with the P90 clock.
- order: the key, then the other components; the heap pops labels in this lexicographic order
  of their figures plus the lower bounds to the destination (A*-like: the bounds are
  consistent, so the order stays monotone along paths and at a vertex), and exact ties on the
  key are decided by it at the destination.
- at a vertex, label a beats b when a <= b on the key (and on transfers when capped) and either
  a is strictly better on cost or CO2e (waiting cannot absorb that) or a <= b on every component.
- at the destination, a beats b when a <= b on the key and is strictly better somewhere, or
  ties it and comes first in `order`.
- loose: the key alone decides at a vertex (a one-label-per-vertex search for an optimum's
  value); upper: labels whose figures plus lower bounds exceed it on a key criterion go (an
  optimum known, or a box to search in).
- merge > 0: a new label is dropped when a label of its vertex is no later on every key clock
  (time, P90) and, figures plus lower bounds, within a factor (1 + merge) of it on every key
  cost (cost, CO2e). Every continuation of the dropped label is then matched by the same
  continuation of the kept one: no later (FIFO), costs within (1 + merge), since a bound never
  exceeds what the continuation adds. A route may thus stand for a lost one within
  (1 + merge) per vertex, and a route returned may be dominated by a lost one (the planner
  checks the routes it shows).
- target pruning: a label goes when a destination label beats its optimistic completion
  (figures plus lower bounds); with eps > 0 also when one eps-covers that completion and the
  completion could not dominate any destination label. A destination label that eps-covers a
  new arrival rejects it unless the arrival dominates one.
"""

from __future__ import annotations

import importlib
import sys
import threading
from collections.abc import Callable
from typing import Any, cast

import numpy as np
import numpy.typing as npt

from corridor.network.records import HOURS_PER_WEEK

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
I32 = npt.NDArray[np.int32]
U8 = npt.NDArray[np.uint8]
I8 = npt.NDArray[np.int8]
U64 = npt.NDArray[np.uint64]

EPS = 1e-9
TIME, COST, CO2E, P90 = 0, 1, 2, 3
DONE, PAUSED, GROW = 0, 1, 2
# counters: labels stored, heap size, pops, seeded flag
N_LABELS, HEAP_SIZE, POPS, SEEDED = 0, 1, 2, 3
_WEEK = float(HOURS_PER_WEEK)
_SLACK = 1e-9


def next_departure(t: float, tt: F64, lo: int, hi: int) -> float:
    """The first departure at or after `t` in the weekly timetable tt[lo:hi] (sorted hours)."""
    week = np.floor(t / _WEEK) * _WEEK
    x = t - week - _SLACK
    a, b = lo, hi
    while a < b:
        mid = (a + b) >> 1
        if tt[mid] < x:
            a = mid + 1
        else:
            b = mid
    if a < hi:
        return float(max(t, week + tt[a]))
    return float(week + _WEEK + tt[lo])


def _seed(
    lid: int,
    s: int,
    start: float,
    vertex: I32,
    val: F64,
    tr: I32,
    parent: I32,
    edge_of: I32,
    depart: F64,
    alive: U8,
) -> None:
    """Write label `lid`: the cargo standing at source vertex `s` at `start`, nothing spent."""
    vertex[lid] = s
    val[lid, TIME] = start
    val[lid, COST] = 0.0
    val[lid, CO2E] = 0.0
    val[lid, P90] = start
    tr[lid] = 0
    parent[lid] = -1
    edge_of[lid] = -1
    depart[lid] = start
    alive[lid] = 1


def _leave(
    t: float, t90: float, e: int, ncomp: int, schedule: I32, tt_offsets: I64, tt_hours: F64
) -> tuple[float, float]:
    """When a label ready at `t` (P90 clock `t90`) leaves along edge `e`: at once, or at the
    edge's next departure (the P90 clock's own, with `ncomp` > 3)."""
    s = schedule[e]
    if s < 0:
        return t, t90
    leave = next_departure(t, tt_hours, tt_offsets[s], tt_offsets[s + 1])
    if ncomp > 3:
        return leave, next_departure(t90, tt_hours, tt_offsets[s], tt_offsets[s + 1])
    return leave, t90


def _heap_less(val: F64, order: I64, ncomp: int, a: int, b: int) -> bool:
    for j in range(ncomp):
        x = val[a, order[j]]
        y = val[b, order[j]]
        if x < y:
            return True
        if x > y:
            return False
    return a < b


def _heap_push(heap: I32, size: int, lid: int, val: F64, order: I64, ncomp: int) -> int:
    i = size
    while i > 0:
        p = (i - 1) >> 1
        if _heap_less(val, order, ncomp, heap[p], lid):
            break
        heap[i] = heap[p]
        i = p
    heap[i] = lid
    return size + 1


def _heap_pop(heap: I32, size: int, val: F64, order: I64, ncomp: int) -> int:
    top = heap[0]
    size -= 1
    if size > 0:
        last = heap[size]
        i = 0
        while True:
            c = 2 * i + 1
            if c >= size:
                break
            if c + 1 < size and _heap_less(val, order, ncomp, heap[c + 1], heap[c]):
                c += 1
            if _heap_less(val, order, ncomp, last, heap[c]):
                break
            heap[i] = heap[c]
            i = c
        heap[i] = last
    return int(top)


def _vertex_beats(val: F64, tr: I32, a: int, b: int, key: I64, ncomp: int, capped: bool) -> bool:
    """Label a makes label b useless at their common vertex (ncomp 0: the key alone decides)."""
    if capped and tr[a] > tr[b]:
        return False
    additive = False
    for j in range(key.shape[0]):
        c = key[j]
        if val[a, c] > val[b, c] + EPS:
            return False
        if (c == COST or c == CO2E) and val[a, c] < val[b, c] - EPS:
            additive = True
    if additive:
        return True
    for c in range(ncomp):
        if val[a, c] > val[b, c] + EPS:
            return False
    return True


def _final_beats(fa: F64, fb: F64, key: I64, order: I64, ncomp: int) -> bool:
    """At the destination, figures fa beat figures fb (dominance, then the tie order)."""
    strict = False
    for j in range(key.shape[0]):
        c = key[j]
        if fa[c] > fb[c] + EPS:
            return False
        if fa[c] < fb[c] - EPS:
            strict = True
    if strict:
        return True
    for j in range(ncomp):
        c = order[j]
        if fa[c] < fb[c] - EPS:
            return True
        if fa[c] > fb[c] + EPS:
            return False
    return True


def _eps_covers(fa: F64, fb: F64, key: I64, eps: float, start: float) -> bool:
    """fa is within a factor (1 + eps) of fb on every key criterion (clocks from `start`)."""
    for j in range(key.shape[0]):
        c = key[j]
        base = start if (c == TIME or c == P90) else 0.0
        if fa[c] - base > (1.0 + eps) * (fb[c] - base) + EPS:
            return False
    return True


def _merge_covers(fa: F64, fb: F64, key: I64, eps: float) -> bool:
    """Merging at a vertex: fa (figures plus bounds) no later than fb on every key clock and
    within a factor (1 + eps) of it on every key cost (cost, CO2e)."""
    for j in range(key.shape[0]):
        c = key[j]
        slack = eps * fb[c] if (c == COST or c == CO2E) else 0.0
        if fa[c] > fb[c] + slack + EPS:
            return False
    return True


def _weakly_below(fa: F64, fb: F64, key: I64) -> bool:
    for j in range(key.shape[0]):
        c = key[j]
        if fa[c] > fb[c] + EPS:
            return False
    return True


def _pruned(
    beta: F64,
    val: F64,
    alive: U8,
    nxt: I32,
    final_head: int,
    key: I64,
    order: I64,
    ncomp: int,
    eps: float,
    start: float,
    ideal: F64,
) -> bool:
    """A destination label beats (or, with eps, eps-covers harmlessly) the bound vector `beta`.

    `ideal` holds the least of each figure over the destination labels: when `beta` is better
    than all of them on a criterion (by more than eps), none can beat or cover it.
    """
    for j in range(key.shape[0]):
        c = key[j]
        base = start if (c == TIME or c == P90) else 0.0
        if (1.0 + eps) * (beta[c] - base) + EPS < ideal[c] - base:
            return False
    covered = False
    below = False
    f = final_head
    while f >= 0:
        if alive[f]:
            if _final_beats(val[f], beta, key, order, ncomp):
                return True
            if eps > 0.0:
                if not covered and _eps_covers(val[f], beta, key, eps, start):
                    covered = True
                if _weakly_below(beta, val[f], key):
                    below = True
        f = nxt[f]
    return covered and not below


def _above(beta: F64, upper: F64, key: I64) -> bool:
    for j in range(key.shape[0]):
        c = key[j]
        if beta[c] > upper[c] + EPS:
            return True
    return False


def _add_final(
    lid: int,
    val: F64,
    alive: U8,
    nxt: I32,
    head: I32,
    n: int,
    key: I64,
    order: I64,
    ncomp: int,
    eps: float,
    start: float,
) -> bool:
    """Insert label `lid` into the destination bag (head[n]); False if it is rejected."""
    prev = -1
    f = head[n]
    while f >= 0:  # unlink dead labels on the way: pruning scans this bag for every label
        following = nxt[f]
        if not alive[f]:
            if prev < 0:
                head[n] = following
            else:
                nxt[prev] = following
        else:
            if _final_beats(val[f], val[lid], key, order, ncomp):
                return False
            prev = f
        f = following
    removed = False
    f = head[n]
    while f >= 0:
        if alive[f] and _final_beats(val[lid], val[f], key, order, ncomp):
            alive[f] = 0
            removed = True
        f = nxt[f]
    if eps > 0.0 and not removed:
        f = head[n]
        while f >= 0:
            if alive[f] and _eps_covers(val[f], val[lid], key, eps, start):
                return False
            f = nxt[f]
    nxt[lid] = head[n]
    head[n] = lid
    return True


def _add_label(
    lid: int,
    v: int,
    val: F64,
    tr: I32,
    alive: U8,
    nxt: I32,
    head: I32,
    key: I64,
    full: int,
    capped: bool,
    merge: float,
    fval: F64,
) -> bool:
    """Insert label `lid` into vertex v's bag, dropping the labels it beats; False if beaten.

    `full`: how many components the tie check compares (0: the key alone decides); `fval`:
    the labels' figures plus lower bounds, which merging compares.
    """
    prev = -1
    f = head[v]
    while f >= 0:  # unlink dead labels on the way
        following = nxt[f]
        if not alive[f]:
            if prev < 0:
                head[v] = following
            else:
                nxt[prev] = following
        else:
            if _vertex_beats(val, tr, f, lid, key, full, capped):
                return False
            if (
                merge > 0.0
                and (not capped or tr[f] <= tr[lid])
                and _merge_covers(fval[f], fval[lid], key, merge)
            ):
                return False
            prev = f
        f = following
    f = head[v]
    while f >= 0:
        if _vertex_beats(val, tr, lid, f, key, full, capped):
            alive[f] = 0
        f = nxt[f]
    nxt[lid] = head[v]
    head[v] = lid
    return True


def run(
    indptr: I64,
    dst: I32,
    weights: F64,
    is_transfer: I8,
    schedule: I32,
    tt_offsets: I64,
    tt_hours: F64,
    usable: U8,
    is_target: U8,
    bounds: F64,
    sources: I64,
    key: I64,
    order: I64,
    ncomp: int,
    max_transfers: int,
    eps: float,
    start: float,
    prune: bool,
    loose: bool,
    upper: F64,
    merge: float,
    vertex: I32,
    val: F64,
    hkey: F64,
    tr: I32,
    parent: I32,
    edge_of: I32,
    depart: F64,
    alive: U8,
    nxt: I32,
    head: I32,
    heap: I32,
    ideal: F64,
    counters: I64,
    max_pops: int,
) -> int:
    """Advance the search by at most `max_pops` pops: DONE, PAUSED, or GROW (arrays full)."""
    n = indptr.shape[0] - 1
    cap = val.shape[0]
    capped = max_transfers >= 0
    full = 0 if loose else ncomp
    beta = np.empty(4, np.float64)
    if counters[SEEDED] == 0:
        counters[SEEDED] = 1
        for i in range(sources.shape[0]):
            s = sources[i]
            if is_target[s]:
                continue
            lid = counters[N_LABELS]
            _seed(lid, s, start, vertex, val, tr, parent, edge_of, depart, alive)
            for c in range(4):
                hkey[lid, c] = val[lid, c] + bounds[s, c]
            if _add_label(lid, s, val, tr, alive, nxt, head, key, full, capped, merge, hkey):
                counters[N_LABELS] = lid + 1
                counters[HEAP_SIZE] = _heap_push(heap, counters[HEAP_SIZE], lid, hkey, order, ncomp)
    pops = 0
    while counters[HEAP_SIZE] > 0:
        if pops >= max_pops:
            return PAUSED
        u_lid = heap[0]
        u = vertex[u_lid]
        if counters[N_LABELS] + (indptr[u + 1] - indptr[u]) + 1 > cap:
            return GROW
        _heap_pop(heap, counters[HEAP_SIZE], hkey, order, ncomp)
        counters[HEAP_SIZE] -= 1
        pops += 1
        counters[POPS] += 1
        if not alive[u_lid]:
            continue
        for c in range(4):
            beta[c] = val[u_lid, c] + bounds[u, c]
        if _above(beta, upper, key) or (
            prune and _pruned(beta, val, alive, nxt, head[n], key, order, ncomp, eps, start, ideal)
        ):
            alive[u_lid] = 0
            continue
        t = val[u_lid, TIME]
        t90 = val[u_lid, P90]
        for e in range(indptr[u], indptr[u + 1]):
            if not usable[e]:
                continue
            k = tr[u_lid] + is_transfer[e]
            if capped and k > max_transfers:
                continue
            v = dst[e]
            leave, leave90 = _leave(t, t90, e, ncomp, schedule, tt_offsets, tt_hours)
            lid = counters[N_LABELS]
            vertex[lid] = v
            val[lid, TIME] = leave + weights[e, TIME]
            val[lid, COST] = val[u_lid, COST] + weights[e, COST]
            val[lid, CO2E] = val[u_lid, CO2E] + weights[e, CO2E]
            val[lid, P90] = leave90 + weights[e, P90] if ncomp > 3 else val[lid, TIME]
            tr[lid] = k
            parent[lid] = u_lid
            edge_of[lid] = e
            depart[lid] = leave
            alive[lid] = 1
            if prune and bounds[v, TIME] == np.inf:
                continue  # the destination cannot be reached from here
            if is_target[v]:
                if _add_final(lid, val, alive, nxt, head, n, key, order, ncomp, eps, start):
                    counters[N_LABELS] = lid + 1
                    for c in range(4):
                        ideal[c] = min(ideal[c], val[lid, c])
                continue
            for c in range(4):
                beta[c] = val[lid, c] + bounds[v, c]
            if _above(beta, upper, key) or (
                prune
                and _pruned(beta, val, alive, nxt, head[n], key, order, ncomp, eps, start, ideal)
            ):
                continue
            for c in range(4):
                hkey[lid, c] = beta[c]
            if _add_label(lid, v, val, tr, alive, nxt, head, key, full, capped, merge, hkey):
                counters[N_LABELS] = lid + 1
                counters[HEAP_SIZE] = _heap_push(heap, counters[HEAP_SIZE], lid, hkey, order, ncomp)
    return DONE


def _lex_less(val: F64, order: I64, ncomp: int, a: int, b: int) -> bool:
    """Label a comes strictly before label b in `order` (beyond EPS)."""
    for j in range(ncomp):
        c = order[j]
        if val[a, c] < val[b, c] - EPS:
            return True
        if val[a, c] > val[b, c] + EPS:
            return False
    return False


def _add_corridor_label(
    lid: int, bag: int, val: F64, sig: U64, csig: U64, alive: U8, nxt: I32, head: I32,
    order: I64, ncomp: int, per_bag: int, covered: U64,
) -> bool:  # fmt: skip
    """Keep the first label (in `order`) per corridor signature in a bag of at most `per_bag`.

    A full bag still takes a label whose country sequence (`csig`) none of its labels has, up
    to twice `per_bag`: otherwise the first corridors to arrive, often variants of one country
    sequence through neighbouring crossings, would shut out a different way at every vertex
    they share. In the destination bag (`covered` non-empty there) signatures already shown are
    refused.
    """
    for j in range(covered.shape[0]):
        if covered[j] == sig[lid]:
            return False
    count = 0
    new_countries = True
    f = head[bag]
    while f >= 0:
        if alive[f]:
            if sig[f] == sig[lid]:
                if not _lex_less(val, order, ncomp, lid, f):
                    return False
                alive[f] = 0
            else:
                count += 1
                if csig[f] == csig[lid]:
                    new_countries = False
        f = nxt[f]
    if count >= (2 * per_bag if new_countries else per_bag):
        return False
    nxt[lid] = head[bag]
    head[bag] = lid
    return True


def _threshold(val: F64, alive: U8, nxt: I32, first: int, c: int, k: int, csig: U64) -> float:
    """The k-th smallest figure `c` over distinct country signatures at the destination.

    Each country sequence counts once, by its best label; inf while fewer than k are known.
    """
    size = 0
    f = first
    while f >= 0:
        size += 1
        f = nxt[f]
    keys = np.empty(size, np.uint64)
    best = np.empty(size, np.float64)
    m = 0
    f = first
    while f >= 0:
        if alive[f]:
            i = 0
            while i < m and keys[i] != csig[f]:
                i += 1
            if i == m:
                keys[m] = csig[f]
                best[m] = val[f, c]
                m += 1
            elif val[f, c] < best[i]:
                best[i] = val[f, c]
        f = nxt[f]
    if m < k:
        return np.inf
    return float(np.sort(best[:m])[k - 1])


def run_corridors(
    indptr: I64, dst: I32, weights: F64, is_transfer: I8, schedule: I32, tt_offsets: I64,
    tt_hours: F64, usable: U8, is_target: U8, bounds: F64, sources: I64, order: I64, ncomp: int,
    max_transfers: int, start: float, edge_mul: U64, edge_add: U64, country_mul: U64,
    country_add: U64, covered: U64, per_vertex: int, wanted: int, vertex: I32, val: F64, hkey: F64, tr: I32,
    parent: I32, edge_of: I32, depart: F64, alive: U8, nxt: I32, head: I32, heap: I32, sig: U64,
    csig: U64, counters: I64, max_pops: int,
) -> int:  # fmt: skip
    """The best route (in `order`) of each corridor signature not in `covered`, as `run` does.

    A label's signature folds in the crossings and passages of its edges; labels compete only
    with labels of the same signature, at most `per_vertex` signatures per vertex. Once `wanted`
    corridors reach the destination, labels that cannot beat the last of them are dropped.
    """
    n = indptr.shape[0] - 1
    cap = val.shape[0]
    capped = max_transfers >= 0
    c0 = order[0]
    none = np.empty(0, np.uint64)
    if counters[SEEDED] == 0:
        counters[SEEDED] = 1
        for i in range(sources.shape[0]):
            s = sources[i]
            if is_target[s]:
                continue
            lid = counters[N_LABELS]
            _seed(lid, s, start, vertex, val, tr, parent, edge_of, depart, alive)
            sig[lid] = 0
            csig[lid] = 0
            if _add_corridor_label(
                lid, s, val, sig, csig, alive, nxt, head, order, ncomp, per_vertex, none
            ):
                counters[N_LABELS] = lid + 1
                for c in range(4):
                    hkey[lid, c] = val[lid, c] + bounds[vertex[lid], c]
                counters[HEAP_SIZE] = _heap_push(heap, counters[HEAP_SIZE], lid, hkey, order, ncomp)
    pops = 0
    limit = _threshold(val, alive, nxt, head[n], c0, wanted, csig)
    while counters[HEAP_SIZE] > 0:
        if pops >= max_pops:
            return PAUSED
        u_lid = heap[0]
        u = vertex[u_lid]
        if counters[N_LABELS] + (indptr[u + 1] - indptr[u]) + 1 > cap:
            return GROW
        _heap_pop(heap, counters[HEAP_SIZE], hkey, order, ncomp)
        counters[HEAP_SIZE] -= 1
        pops += 1
        counters[POPS] += 1
        if not alive[u_lid]:
            continue
        if val[u_lid, c0] + bounds[u, c0] > limit + EPS:
            continue
        t = val[u_lid, TIME]
        t90 = val[u_lid, P90]
        for e in range(indptr[u], indptr[u + 1]):
            if not usable[e]:
                continue
            k = tr[u_lid] + is_transfer[e]
            if capped and k > max_transfers:
                continue
            v = dst[e]
            if bounds[v, TIME] == np.inf:
                continue
            leave, leave90 = _leave(t, t90, e, ncomp, schedule, tt_offsets, tt_hours)
            lid = counters[N_LABELS]
            vertex[lid] = v
            val[lid, TIME] = leave + weights[e, TIME]
            val[lid, COST] = val[u_lid, COST] + weights[e, COST]
            val[lid, CO2E] = val[u_lid, CO2E] + weights[e, CO2E]
            val[lid, P90] = leave90 + weights[e, P90] if ncomp > 3 else val[lid, TIME]
            tr[lid] = k
            parent[lid] = u_lid
            edge_of[lid] = e
            depart[lid] = leave
            alive[lid] = 1
            sig[lid] = sig[u_lid] * edge_mul[e] + edge_add[e]
            csig[lid] = csig[u_lid] * country_mul[e] + country_add[e]
            if is_target[v]:
                if _add_corridor_label(
                    lid, n, val, sig, csig, alive, nxt, head, order, ncomp, 1 << 30, covered
                ):
                    counters[N_LABELS] = lid + 1
                    limit = _threshold(val, alive, nxt, head[n], c0, wanted, csig)
                continue
            if _add_corridor_label(
                lid, v, val, sig, csig, alive, nxt, head, order, ncomp, per_vertex, none
            ):
                counters[N_LABELS] = lid + 1
                for c in range(4):
                    hkey[lid, c] = val[lid, c] + bounds[vertex[lid], c]
                counters[HEAP_SIZE] = _heap_push(heap, counters[HEAP_SIZE], lid, hkey, order, ncomp)
    return DONE


def chains(parent: I32, edge_of: I32, lids: I64) -> tuple[I64, I64]:
    """The labels of each path ending at `lids[i]`, source excluded, in path order, all in one
    array: path i is out[offsets[i]:offsets[i + 1]]."""
    offsets = np.zeros(lids.shape[0] + 1, np.int64)
    for i in range(lids.shape[0]):
        k = 0
        cur = lids[i]
        while edge_of[cur] >= 0:
            k += 1
            cur = parent[cur]
        offsets[i + 1] = offsets[i] + k
    out = np.empty(offsets[-1], np.int64)
    for i in range(lids.shape[0]):
        j = offsets[i + 1] - 1
        cur = lids[i]
        while edge_of[cur] >= 0:
            out[j] = cur
            j -= 1
            cur = parent[cur]
    return offsets, out


# --- compilation ---------------------------------------------------------------------------------

_HELPERS = (
    "next_departure",
    "_seed",
    "_leave",
    "_heap_less",
    "_heap_push",
    "_heap_pop",
    "_vertex_beats",
    "_final_beats",
    "_eps_covers",
    "_merge_covers",
    "_weakly_below",
    "_pruned",
    "_add_final",
    "_add_label",
    "_above",
    "_lex_less",
    "_add_corridor_label",
    "_threshold",
)
_COMPILED: dict[str, Callable[..., Any]] = {}
_LOCK = threading.Lock()


def compiled(name: str = "run") -> Callable[..., int]:
    """Kernel `name` (`run`, `run_corridors` or `chains`) compiled by numba, once per process.

    The helpers are compiled first, so the kernels link to them; numba's on-disk cache
    (`cache=True`) makes later processes load the machine code instead of compiling.
    """
    with _LOCK:
        if not _COMPILED:
            numba = importlib.import_module("numba")
            module = sys.modules[__name__]
            if numba.config.DISABLE_JIT:
                _COMPILED.update(run=run, run_corridors=run_corridors, chains=chains)
            else:
                jit = numba.njit(cache=True, nogil=True)
                for helper in _HELPERS:
                    setattr(module, helper, jit(getattr(module, helper)))
                _COMPILED.update(run=jit(run), run_corridors=jit(run_corridors), chains=jit(chains))
        return cast(Callable[..., int], _COMPILED[name])
