"""The Python API's front door: plain arguments in, the engine's types out.

`plan(network, "Almaty", "Duisburg", depart="2026-12-01")` beside `plan(network, query)`;
`compare`, `criticality`, `assign` and `batch` all take a loaded `Network` and OD pairs as
place names, a list of pairs, `ODPair`s or a pandas DataFrame (columns origin, destination and
optionally commodity, teu_per_week). Each is a thin adapter over the engine's own entry point;
every mistake a caller can make raises a `corridor.errors` type.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from corridor.errors import CorridorError, QueryError
from corridor.network.model import Network
from corridor.network.places import resolve_match
from corridor.routing.clock import parse_utc, today_utc
from corridor.routing.odset import ODPair
from corridor.routing.query import CRITERIA, Cargo, Constraints, Query
from corridor.routing.result import PlanResult
from corridor.routing.understood import plan_understood

if TYPE_CHECKING:
    import pyarrow as pa

    from corridor.assignment.result import AssignmentResult
    from corridor.batch.spec import NetworkSpec
    from corridor.scenarios.compare import Comparison
    from corridor.scenarios.criticality import Criticality
    from corridor.scenarios.model import Scenario

Moment = datetime | date | str
_QUERY_FIELDS = {f.name for f in dataclasses.fields(Query)}


def plan(
    network: Network,
    origin: Query | str,
    destination: str | None = None,
    *,
    depart: Moment | None = None,
    containers: int = 1,
    size_ft: int = 40,
    tonnes: float | None = None,
    commodity: str = "general",
    avoid_countries: Iterable[str] = (),
    avoid_modes: Iterable[str] = (),
    avoid: Iterable[str] = (),
    max_transfers: int | None = None,
    criteria: Sequence[str] = CRITERIA,
    alternatives: int = 3,
    samples: int | None = None,
    deadline: Moment | None = None,
    seed: int = 0,
    **query_options: Any,
) -> PlanResult:
    """Plan a shipment: `plan(net, "Xi'an", "Duisburg", ...)` or `plan(net, Query(...))`.

    With `samples` or `deadline` each route also gets simulated P50/P90/P95 transit hours
    (and the probability of arriving by the deadline). Other keyword arguments go to `Query`
    (`thin=False` for the exact Pareto set). The keyword form refuses what the CLI refuses
    (an unknown ISO2 code to avoid, more cargo than the containers hold); a `Query` is planned
    as given. The result echoes what was understood (`result.understood`) and remembers the
    network for `to_geodataframe()`.

    >>> import corridor
    >>> net = corridor.load_network()
    >>> result = corridor.plan(net, "Almaty", "Duisburg", depart="2026-12-01", alternatives=0)
    >>> result.understood.origin.node_id, result.routes[0].pareto
    ('KZ_ALA', True)
    >>> corridor.plan(net, "Almaty")
    Traceback (most recent call last):
    corridor.errors.QueryError: destination: expected a place name or node id
    """
    strict = not isinstance(origin, Query)  # a built Query is planned as given
    if isinstance(origin, Query):
        if destination is not None:
            raise QueryError("destination", "give either a Query or origin and destination")
        query = origin
    else:
        if not destination:
            raise QueryError("destination", "expected a place name or node id")
        unknown = sorted(set(query_options) - _QUERY_FIELDS)
        if unknown:
            raise QueryError(unknown[0], f"not an option of plan; expected one of {_options()}")
        query = Query(
            origin=origin,
            destination=destination,
            depart=depart,
            cargo=Cargo(containers=containers, size_ft=size_ft, tonnes=tonnes),
            commodity=commodity,
            constraints=Constraints(avoid_countries, avoid_modes, avoid, max_transfers),
            criteria=tuple(criteria),
            alternatives=alternatives,
            **query_options,
        )
    result = plan_understood(network, query, strict=strict)
    if samples is None and deadline is None:
        return result
    from corridor.reliability.assess import assess

    due = None if deadline is None else parse_utc(deadline, "deadline")
    return assess(network, result, samples=samples or 10_000, seed=seed, deadline=due).result


def _options() -> str:
    names = ["depart", "containers", "size_ft", "tonnes", "commodity", "avoid_countries"]
    names += ["avoid_modes", "avoid", "max_transfers", "criteria", "alternatives", "samples"]
    names += ["deadline", "seed", *sorted(_QUERY_FIELDS - {"origin", "destination", "cargo"})]
    return ", ".join(dict.fromkeys(names))


def od_pairs(network: Network, pairs: Any, *, commodity: str = "general") -> tuple[ODPair, ...]:
    """OD pairs as node ids, from place names in any of the shapes a notebook holds.

    Accepts `ODPair`s, `(origin, destination)` or `(origin, destination, commodity[, teu])`
    tuples, dicts, or a pandas DataFrame with columns origin, destination and optionally
    commodity and teu_per_week.

    >>> import corridor
    >>> net = corridor.load_network()
    >>> od_pairs(net, [("Almaty", "Duisburg")])[0].label
    'KZ_ALA→DE_DUI (general)'
    """
    if hasattr(pairs, "to_dict") and hasattr(pairs, "columns"):
        missing = {"origin", "destination"} - set(pairs.columns)
        if missing:
            raise QueryError("pairs", f"the DataFrame needs columns {sorted(missing)}")
        pairs = pairs.to_dict("records")
    if isinstance(pairs, str | ODPair) or (
        isinstance(pairs, tuple) and pairs and isinstance(pairs[0], str)
    ):
        pairs = [pairs]
    out = []
    for i, item in enumerate(pairs):
        out.append(_pair(network, item, commodity, f"pairs[{i}]"))
    if not out:
        raise QueryError("pairs", "expected at least one OD pair")
    return tuple(out)


def _pair(network: Network, item: Any, commodity: str, where: str) -> ODPair:
    o: Any
    d: Any
    c: Any
    teu: Any
    if isinstance(item, ODPair):
        o, d, c, teu = item.origin, item.destination, item.commodity, item.teu_per_week
    elif isinstance(item, dict):
        o, d = item.get("origin"), item.get("destination")
        c = item.get("commodity") or commodity
        teu = item.get("teu_per_week")
    elif isinstance(item, tuple | list) and 2 <= len(item) <= 4:
        o, d = item[0], item[1]
        c = item[2] if len(item) > 2 else commodity
        teu = item[3] if len(item) > 3 else None
    else:
        raise QueryError(where, f"expected (origin, destination) or an ODPair, got {item!r}")
    if not isinstance(o, str) or not isinstance(d, str):
        raise QueryError(where, "expected place names or node ids for origin and destination")
    if c not in network.commodity_index:
        raise QueryError(where, f"commodity: expected one of {', '.join(network.commodity_index)}")
    teu_value = None if teu is None or teu != teu else float(teu)  # NaN from pandas: none
    try:
        ends = resolve_match(network, o).node_id, resolve_match(network, d).node_id
    except CorridorError as exc:
        raise QueryError(where, str(exc)) from None
    if ends[0] == ends[1]:
        raise QueryError(where, f"the destination is the origin itself ({ends[0]})")
    return ODPair(ends[0], ends[1], str(c), teu_value)


def _moment(value: Moment | None, name: str) -> datetime:
    return today_utc() if value is None else parse_utc(value, name)


def compare(
    network: Network,
    scenario: Scenario | str | Path,
    pairs: Any,
    *,
    depart: Moment | None = None,
    **options: Any,
) -> Comparison:
    """What a scenario (a `Scenario` or a scenario TOML file) changes for OD pairs.

    Options go to `corridor.scenarios.compare.compare` (cargo, alternatives, samples, seed).
    """
    from corridor.scenarios.compare import compare as run
    from corridor.scenarios.files import load_scenario

    if isinstance(scenario, str | Path):
        scenario = load_scenario(Path(scenario), network)
    return run(
        network, scenario, od_pairs(network, pairs), depart=_moment(depart, "depart"), **options
    )


@dataclass(frozen=True, eq=False)
class LoadedSpec:
    """A `NetworkSpec` stand-in for a network already in memory (one process only)."""

    network: Network = field(repr=False)
    path: str | None = None
    scenarios: tuple[str, ...] = ()

    def open(self) -> Network:
        return self.network

    def label(self) -> str:
        return "baseline"


def criticality(
    network: Network, pairs: Any, *, depart: Moment | None = None, **options: Any
) -> Criticality:
    """Rank the network's elements by the loss their closure causes to OD pairs.

    Runs in this process (the network is already loaded); options go to
    `corridor.scenarios.criticality.criticality` (kinds, rank_by, exhaustive).
    """
    from corridor.scenarios.criticality import criticality as run

    if options.get("workers", 1) != 1 or options.get("scheduler") is not None:
        raise QueryError(
            "workers", "a loaded Network runs in this process; use the CLI for several workers"
        )
    spec: NetworkSpec = LoadedSpec(network)  # type: ignore[assignment]
    return run(spec, od_pairs(network, pairs), depart=_moment(depart, "depart"), **options)


def assign(network: Network, demand: Any, **options: Any) -> AssignmentResult:
    """Assign weekly demand (pairs with teu_per_week) under the network's capacities.

    >>> import corridor
    >>> net = corridor.load_network()
    >>> result = corridor.assign(net, [("Almaty", "Duisburg", "general", 10.0)])
    >>> round(result.served_teu, 1)
    10.0
    """
    from corridor.assignment.solve import assign as run

    return run(network, od_pairs(network, demand), **options)


def run_batch(
    network: Network,
    pairs: Any,
    departs: Iterable[Moment],
    *,
    cargo: Cargo | None = None,
    criteria: Sequence[str] = CRITERIA,
    alternatives: int = 0,
    thin: bool = True,
) -> pa.Table:
    """Plan every OD pair at every departure, here, into the batch's Arrow table."""
    from corridor.batch.queries import BASELINE, QueryTask, ScenarioCase, run_query, to_table

    case = ScenarioCase(BASELINE, LoadedSpec(network))  # type: ignore[arg-type]
    moments = [parse_utc(d, "departs") for d in departs]
    if not moments:
        raise QueryError("departs", "expected at least one departure")
    rows: list[dict[str, Any]] = []
    for i, pair in enumerate(od_pairs(network, pairs)):
        for moment in moments:
            task = QueryTask(
                i, pair, moment, case, cargo or Cargo(), tuple(criteria), alternatives, thin
            )
            rows += run_query(task)
    return to_table(rows)
