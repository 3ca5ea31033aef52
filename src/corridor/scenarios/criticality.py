"""Criticality: close each link, crossing and hub in turn, replan the OD set, rank by the loss.

For each OD pair the baseline fastest route (least transit hours) and cheapest route (least
cost per TEU) are planned once. Closing an element can only change an OD's value when the
element's edges meet the OD's baseline path: otherwise that path survives unchanged, and a
closure never makes a route faster or cheaper. So only those (OD, criterion) pairs are
replanned, which gives the same numbers as replanning every OD for every element
(`exhaustive=True` does that; tests compare).

An element is closed by banning its expanded-graph edges (`closures.ClosureIndex`, every
element's edges in one table, built once per network) on the one compiled graph, whose weights
are prepared once per commodity and process: no network is rebuilt or recompiled per element.
Each figure is an exact single-criterion optimum (`replan.Replanner`: an earliest-arrival
search for time, a static one for cost, both A*-ordered by the unbanned graph's lower bounds),
the baseline's included; one compiled call replans one OD for a whole batch of elements.

Loss of element e, with w_k the OD's `teu_per_week` (1 where the OD set gives none):
    ods_cut       = number of ODs with a baseline route and none once e is closed
    demand_cut    = sum of w_k over those ODs
    extra_hours   = sum over the other ODs of w_k * (fastest_k(without e) - fastest_k)
    extra_cost    = sum over the other ODs of w_k * (cheapest_k(without e) - cheapest_k)
With weekly TEU as weights, extra_hours is TEU-hours per week and extra_cost USD per week.
Ranking: most ODs cut first, then demand cut, then extra hours (or cost), then extra cost (equal
to 6 decimals: a tie, which kind and then id decide). The CLI shows the cutting elements (single
points of failure) apart from the rest, ranked by loss.
An OD that starts or ends at a closed hub is left out of that hub's loss: losing one's own
origin is not a network weakness.
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, cast

from corridor.batch.executor import ProgressCallback, map_tasks
from corridor.batch.spec import NetworkSpec
from corridor.errors import QueryError
from corridor.network.derived import per_network
from corridor.network.model import Network
from corridor.routing.odset import ODPair
from corridor.routing.query import Cargo
from corridor.scenarios.closures import ClosureIndex, closure_index
from corridor.scenarios.optima import ODSearch, searches_for
from corridor.scenarios.replan import Replanner

ElementKind = Literal["border", "crossing", "link", "hub"]
KINDS: tuple[ElementKind, ...] = ("border", "crossing", "link", "hub")
HUB_KINDS = frozenset({"terminal", "dry_port", "sea_port", "ferry_port", "junction"})
MIN_HUB_DEGREE = 2
RANK_BY = ("time", "cost")
# One TEU per query: costs are per TEU, so weekly TEU x cost is USD per week.
CARGO = Cargo(containers=1, size_ft=20)
# What starting one local worker process costs before it replans anything (seconds, measured
# on the benchmark machine: spawn, imports, the network opened and its weights prepared).
PROCESS_START_S = 1.5
# Losses equal to this many decimals tie (then kind, then id decide): hours are differences of
# arrival clocks near 5e5 h, which rounding can leave 1e-10 apart for the same detour.
TIE_DIGITS = 6
# Elements per task: a few tasks per worker, none over MAX_BATCH (progress advances per task).
BATCHES_PER_WORKER = 4
MAX_BATCH = 256

Element = tuple[ElementKind, str]


@dataclass(frozen=True)
class ElementLoss:
    """What closing one element costs the OD set (see the module docstring for the formula)."""

    kind: ElementKind
    element_id: str
    name: str
    ods_cut: int
    demand_cut: float
    extra_hours: float
    extra_cost_usd: float
    ods_affected: int  # ODs cut or with a slower fastest or dearer cheapest route
    cut: tuple[str, ...] = ()  # labels of the ODs left without a route

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": self.element_id,
            "name": self.name,
            "ods_cut": self.ods_cut,
            "demand_cut": round(self.demand_cut, 3),
            "extra_hours": round(self.extra_hours, 3),
            "extra_cost_usd": round(self.extra_cost_usd, 2),
            "ods_affected": self.ods_affected,
            "cut": list(self.cut),
        }


@dataclass(frozen=True)
class Criticality:
    """Every element's loss, most critical first, with the baseline it was measured against."""

    network: str
    depart: datetime
    rank_by: str
    pairs: tuple[ODPair, ...]
    baseline_hours: tuple[float | None, ...]  # per OD; None: no route even in the baseline
    baseline_cost_usd: tuple[float | None, ...]
    ranking: tuple[ElementLoss, ...]
    replans: int = 0  # queries planned on closed networks
    unit: str = field(default="TEU/week")

    def top(self, n: int) -> tuple[ElementLoss, ...]:
        return self.ranking[:n]

    @property
    def cuts(self) -> tuple[ElementLoss, ...]:
        """Single points of failure: elements whose closure leaves some OD pair with no route."""
        return tuple(e for e in self.ranking if e.ods_cut)

    @property
    def detours(self) -> tuple[ElementLoss, ...]:
        """The other elements, by demand-weighted loss: what rerouting around each one costs."""
        return tuple(e for e in self.ranking if not e.ods_cut)

    def to_dict(self, top: int | None = None) -> dict[str, Any]:
        return {
            "network": self.network,
            "depart": self.depart.isoformat().replace("+00:00", "Z"),
            "rank_by": self.rank_by,
            "weights": self.unit,
            "pairs": [
                {
                    "origin": p.origin,
                    "destination": p.destination,
                    "commodity": p.commodity,
                    "weight": weight_of(p),
                    "fastest_hours": None if h is None else round(h, 3),
                    "cheapest_usd_per_teu": None if c is None else round(c, 2),
                }
                for p, h, c in zip(
                    self.pairs, self.baseline_hours, self.baseline_cost_usd, strict=True
                )
            ],
            "elements": len(self.ranking),
            "replans": self.replans,
            "ranking": [e.to_dict() for e in self.ranking[:top]],
        }


def weight_of(pair: ODPair) -> float:
    return pair.teu_per_week if pair.teu_per_week is not None else 1.0


def hubs(network: Network) -> tuple[str, ...]:
    """Hub node ids: terminals, dry, sea and ferry ports and junctions linked to >= 2 nodes."""
    neighbours: dict[str, set[str]] = {}
    for lk in network.links:
        neighbours.setdefault(lk.from_node, set()).add(lk.to_node)
        neighbours.setdefault(lk.to_node, set()).add(lk.from_node)
    return tuple(
        n.node_id
        for n in network.nodes
        if n.kind in HUB_KINDS and len(neighbours.get(n.node_id, ())) >= MIN_HUB_DEGREE
    )


def _border_of(network: Network, a: str, b: str) -> str:
    return "-".join(sorted((network.node(a).country, network.node(b).country)))


def borders(network: Network) -> tuple[str, ...]:
    """Country pairs joined by at least one crossing, as `CN-KZ` (ISO2 codes sorted)."""
    links = {c.link_id for c in network.crossings}
    return tuple(
        sorted(
            {
                _border_of(network, lk.from_node, lk.to_node)
                for lk in network.links
                if lk.link_id in links
            }
        )
    )


def _kinds(kinds: Iterable[str]) -> set[str]:
    wanted = set(kinds)
    for kind in sorted(wanted - set(KINDS)):
        raise QueryError("kinds", f"expected some of {', '.join(KINDS)}, got {kind!r}")
    return wanted


def elements(network: Network, kinds: Iterable[str] = KINDS) -> tuple[Element, ...]:
    """The elements to close. A link under a border crossing counts as that crossing."""
    wanted = _kinds(kinds)
    crossing_links = {c.link_id for c in network.crossings}
    out: list[Element] = []
    if "border" in wanted:
        out += [("border", b) for b in borders(network)]
    if "crossing" in wanted:
        out += [("crossing", c) for c in network.crossing_ids]
    if "link" in wanted:
        out += [("link", lk.link_id) for lk in network.links if lk.link_id not in crossing_links]
    if "hub" in wanted:
        out += [("hub", h) for h in hubs(network)]
    return tuple(out)


def element_name(network: Network, element: Element) -> str:
    kind, ident = element
    if kind == "border":
        a, b = ident.split("-")
        return f"{a}–{b} border (every crossing)"
    if kind == "crossing":
        return next(c.name for c in network.crossings if c.crossing_id == ident)
    if kind == "hub":
        return network.node(ident).name
    lk = network.link(ident)
    return f"{network.node(lk.from_node).name} – {network.node(lk.to_node).name} ({lk.mode})"


def _ends(pair: ODPair) -> tuple[str, str]:
    return (pair.origin, pair.destination)


def _od(network: Network, pair: ODPair, depart: datetime) -> ODSearch | None:
    return searches_for(network).od(pair.origin, pair.destination, pair.commodity, CARGO, depart)


@per_network
def closures_of(network: Network) -> ClosureIndex:
    """The banned edges of every element of `network`, built once and kept on the network."""
    return closure_index(network, elements(network))


class _Replanners(dict[int, Replanner]):
    """One `Replanner` per prepared space (per commodity and destination country)."""

    def of(self, od: ODSearch) -> Replanner:
        space = od.weighted.space
        if id(space) not in self:
            self[id(space)] = Replanner(space)
        return self[id(space)]


Replan = tuple[int, str]  # (OD index, criterion)


@dataclass(frozen=True)
class _Task:
    """A batch of elements to close, each with the (OD, criterion) searches it needs."""

    spec: NetworkSpec
    pairs: tuple[ODPair, ...]
    depart: datetime
    items: tuple[tuple[Element, tuple[Replan, ...]], ...]


def _replan(task: _Task) -> tuple[tuple[tuple[int, str, float | None], ...], ...]:
    """Ban each element's edges on the shared graph and replan its ODs, one compiled call per
    OD for the whole batch. Per element: (OD index, criterion, value or None) per replan."""
    network = task.spec.open()
    index = closures_of(network)
    planners = _Replanners()
    out: list[list[tuple[int, str, float | None]]] = [[] for _ in task.items]
    for k in sorted({k for _, wanted in task.items for k, _ in wanted}):
        od = _od(network, task.pairs[k], task.depart)
        where = [(i, c) for i, (_, wanted) in enumerate(task.items) for j, c in wanted if j == k]
        if od is None:
            for i, c in where:
                out[i].append((k, c, None))
            continue
        rows = [index.row[task.items[i][0]] for i, _ in where]
        values = planners.of(od).values(od, [c for _, c in where], rows, (index.ptr, index.edges))
        for (i, c), value in zip(where, values, strict=True):
            out[i].append((k, c, value))
    return tuple(tuple(sorted(found, key=lambda r: (r[0], r[1]))) for found in out)


def _batches(
    spec: NetworkSpec,
    pairs: Sequence[ODPair],
    depart: datetime,
    jobs: Sequence[tuple[Element, tuple[Replan, ...]]],
    workers: int,
) -> list[_Task]:
    """`jobs` in batches: a few per worker, at most `MAX_BATCH` elements each."""
    size = max(1, min(MAX_BATCH, math.ceil(len(jobs) / (BATCHES_PER_WORKER * workers))))
    return [
        _Task(spec, tuple(pairs), depart, tuple(jobs[i : i + size]))
        for i in range(0, len(jobs), size)
    ]


def criticality(
    spec: NetworkSpec,
    pairs: Sequence[ODPair],
    *,
    depart: datetime,
    kinds: Iterable[str] = KINDS,
    rank_by: str = "time",
    workers: int = 1,
    scheduler: Any = None,
    exhaustive: bool = False,
    progress: bool = True,
    on_progress: ProgressCallback | None = None,
) -> Criticality:
    """Rank the elements of `spec`'s network by the loss their closure causes to `pairs`.

    `pairs` must be resolved (node ids, as `read_od_pairs` gives). Elements are spread over
    `map_tasks` workers (local processes, or Dask with `scheduler`); a job that would take less
    time here than starting the processes (`worth_processes`) runs here whatever `workers` says.
    """
    if rank_by not in RANK_BY:
        raise QueryError("rank_by", f"expected time or cost, got {rank_by!r}")
    network = spec.open()
    targets = _elements(network, kinds)
    base, users, per_search = _baseline(network, pairs, depart)
    jobs = _jobs(targets, pairs, base, users, exhaustive)
    replans = sum(len(w) for _, w in jobs)
    if scheduler is None and not worth_processes(workers, replans * per_search):
        workers = 1
    tasks = _batches(spec, pairs, depart, jobs, workers)
    results = map_tasks(
        _replan,
        tasks,
        workers=workers,
        scheduler=scheduler,
        description=f"closing {len(targets)} elements",
        progress=progress,
        on_progress=on_progress,
    )
    found = {
        element: result
        for task, part in zip(tasks, results, strict=True)
        for (element, _), result in zip(task.items, part, strict=True)
    }
    names = _names(network)
    losses = [
        _loss(element, names[element], pairs, base, found.get(element)) for element in targets
    ]
    return Criticality(
        network=f"{network.name} {network.version}",
        depart=depart,
        rank_by=rank_by,
        pairs=tuple(pairs),
        baseline_hours=tuple(base.get((k, "time")) for k in range(len(pairs))),
        baseline_cost_usd=tuple(base.get((k, "cost")) for k in range(len(pairs))),
        ranking=_ranked(losses, rank_by),
        replans=replans,
    )


def _elements(network: Network, kinds: Iterable[str]) -> tuple[Element, ...]:
    """`elements(network, kinds)`, taken from the network's cached closure index."""
    wanted = _kinds(kinds)
    return tuple(e for e in _every(network) if e[0] in wanted)


def _every(network: Network) -> tuple[Element, ...]:
    """Every element of `network`, in `elements`' order (the closure index's rows)."""
    return cast(tuple[Element, ...], closures_of(network).elements)


def _jobs(
    targets: Sequence[Element],
    pairs: Sequence[ODPair],
    base: dict[Replan, float],
    users: dict[tuple[str, str], list[Replan]],
    exhaustive: bool,
) -> list[tuple[Element, tuple[Replan, ...]]]:
    """Per element, the (OD, criterion) searches to rerun with it closed (none: not listed)."""
    jobs: list[tuple[Element, tuple[Replan, ...]]] = []
    for element in targets:
        wanted = sorted(base) if exhaustive else sorted(users.get(element, []))
        if element[0] == "hub":
            wanted = [(k, c) for k, c in wanted if element[1] not in _ends(pairs[k])]
        if wanted:
            jobs.append((element, tuple(wanted)))
    return jobs


def _ranked(losses: list[ElementLoss], rank_by: str) -> tuple[ElementLoss, ...]:
    second = "extra_hours" if rank_by == "time" else "extra_cost_usd"
    third = "extra_cost_usd" if rank_by == "time" else "extra_hours"
    return tuple(
        sorted(
            losses,
            key=lambda e: (
                -e.ods_cut,
                -round(e.demand_cut, TIE_DIGITS),
                -round(getattr(e, second), TIE_DIGITS),
                -round(getattr(e, third), TIE_DIGITS),
                KINDS.index(e.kind),
                e.element_id,
            ),
        )
    )


def _baseline(
    network: Network, pairs: Sequence[ODPair], depart: datetime
) -> tuple[dict[Replan, float], dict[tuple[str, str], list[Replan]], float]:
    """Each OD's fastest and cheapest value, the (OD, criterion) runs each element carries (those
    whose baseline path it touches), and the median seconds of one search (what a replan costs,
    for `worth_processes`: the lower bounds, computed once per OD, are not in it)."""
    base: dict[Replan, float] = {}
    users: dict[tuple[str, str], list[Replan]] = {}
    seconds = [0.0]
    index = closures_of(network)
    planners = _Replanners()
    for k, pair in enumerate(pairs):
        od = _od(network, pair, depart)
        if od is None:
            continue
        od.weighted.space.bounds(od.targets)  # once per OD: kept out of the per-search time
        for criterion in ("time", "cost"):
            started = time.perf_counter()
            best = planners.of(od).best(od, criterion)
            seconds.append(time.perf_counter() - started)
            if best is None:
                continue
            base[(k, criterion)] = best.value
            for element in index.touched(best.edges):
                users.setdefault(element, []).append((k, criterion))
    return base, users, statistics.median(seconds)


def worth_processes(workers: int, seconds_here: float) -> bool:
    """Whether `workers` local processes can beat running here a job of `seconds_here`.

    Each spawned process imports corridor and opens the network (about a second and a half
    on a 2-core machine) before its first replan, so a job shorter than that runs here.

    >>> worth_processes(2, 0.3), worth_processes(2, 20.0), worth_processes(1, 20.0)
    (False, True, False)
    """
    return workers > 1 and seconds_here > PROCESS_START_S


@per_network
def _names(network: Network) -> dict[Element, str]:
    """`element_name` of every element of `network`, built once and kept on the network."""
    return {element: element_name(network, element) for element in _every(network)}


def _loss(
    element: Element,
    name: str,
    pairs: Sequence[ODPair],
    base: dict[tuple[int, str], float],
    replanned: Iterable[tuple[int, str, float | None]] | None,
) -> ElementLoss:
    if not replanned:  # on no baseline path: no loss
        return ElementLoss(element[0], element[1], name, 0, 0, 0.0, 0.0, 0)
    values = list(replanned)
    cut = {k for k, _, value in values if value is None}
    extra = {"time": 0.0, "cost": 0.0}
    affected: set[int] = set()
    for k, criterion, value in values:
        if value is None or k in cut:  # a cut OD counts as cut only, not in hours or cost
            continue
        delta = value - base[(k, criterion)]
        if delta > 1e-9:
            affected.add(k)
        extra[criterion] += weight_of(pairs[k]) * delta
    return ElementLoss(
        kind=element[0],
        element_id=element[1],
        name=name,
        ods_cut=len(cut),
        demand_cut=sum(weight_of(pairs[k]) for k in cut),
        extra_hours=extra["time"],
        extra_cost_usd=extra["cost"],
        ods_affected=len(cut | affected),
        cut=tuple(pairs[k].label for k in sorted(cut)),
    )
