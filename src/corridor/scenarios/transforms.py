"""Pure network transforms: each takes a `Network` and returns a new, consistent one.

Closing removes a record and everything that leans on it: a link's services and crossing rows, a
node's links, transfers whose layer no longer reaches their node, and nodes left without a link.
So a derived network compiles and plans like a loaded one. The input network is never changed.
Bad arguments raise `ScenarioError` naming the argument and what was expected.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from corridor.errors import ScenarioError
from corridor.network import limits as L
from corridor.network.model import Network
from corridor.network.records import (
    HOURS_PER_WEEK,
    MODES,
    WEEKDAYS,
    CrossingRule,
    Link,
    Node,
    Service,
    Transfer,
)

DIRECTIONS: tuple[str, ...] = ("forward", "reverse")


# -- consistency -------------------------------------------------------------------------------


def rebuild(
    net: Network,
    *,
    nodes: Sequence[Node] | None = None,
    links: Sequence[Link] | None = None,
    transfers: Sequence[Transfer] | None = None,
    crossings: Sequence[CrossingRule] | None = None,
    services: Sequence[Service] | None = None,
) -> Network:
    """A new network from `net` with some tables replaced, dropping rows that lost their anchor.

    Services and crossing rows need their link, transfers need both layers at their node, and a
    node needs a link (the planner has no vertex for a node without one).
    """
    node_rows = tuple(net.nodes if nodes is None else nodes)
    node_ids = {n.node_id for n in node_rows}
    link_rows = tuple(
        lk
        for lk in (net.links if links is None else links)
        if lk.from_node in node_ids and lk.to_node in node_ids
    )
    link_ids = {lk.link_id for lk in link_rows}
    layers_at: dict[str, set[str]] = {}
    for lk in link_rows:
        layers_at.setdefault(lk.from_node, set()).add(lk.layer)
        layers_at.setdefault(lk.to_node, set()).add(lk.layer)
    return replace(
        net,
        nodes=tuple(n for n in node_rows if n.node_id in layers_at),
        links=link_rows,
        transfers=tuple(
            t
            for t in (net.transfers if transfers is None else transfers)
            if {t.from_layer, t.to_layer} <= layers_at.get(t.node_id, set())
        ),
        crossings=tuple(
            c for c in (net.crossings if crossings is None else crossings) if c.link_id in link_ids
        ),
        services=tuple(
            s for s in (net.services if services is None else services) if s.link_id in link_ids
        ),
    )


def _unknown(field: str, kind: str, value: str, known: Iterable[str]) -> ScenarioError:
    choices = sorted(set(known))
    close = difflib.get_close_matches(value, choices, n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    return ScenarioError(field, f"unknown {kind} {value!r}{hint}")


def _check_link_id(net: Network, link_id: str) -> Link:
    if link_id not in net.link_index:
        raise _unknown("link_id", "link", link_id, net.link_index)
    return net.link(link_id)


def _check_crossing_id(net: Network, crossing_id: str) -> list[CrossingRule]:
    rows = [c for c in net.crossings if c.crossing_id == crossing_id]
    if not rows:
        raise _unknown("crossing_id", "crossing", crossing_id, net.crossing_ids)
    return rows


def _positive(field: str, value: float, *, zero: bool = False, high: float = math.inf) -> float:
    """`value` if finite, > 0 (>= 0 with `zero`) and at most `high` (corridor.network.limits)."""
    ok = math.isfinite(value) and (value >= 0 if zero else value > 0) and value <= high
    if not ok:
        side = ">= 0" if zero else "> 0"
        if high < math.inf:
            side += f" and <= {high:g}"
        raise ScenarioError(field, f"expected a number {side}, got {value}")
    return float(value)


def _check_spread(field: str, median: float, p90: float) -> None:
    """A P90 at most MAX_P90_RATIO times its median (else the lognormal's draws overflow)."""
    if median > 0 and p90 > median * L.MAX_P90_RATIO:
        raise ScenarioError(
            field, f"expected a P90 at most {L.MAX_P90_RATIO:g} times the median, got {p90:g}"
        )


_TARIFF_LIMITS = {
    "tariff_usd_per_feu_km": L.TARIFF_PER_FEU_KM[1],
    "tariff_usd_per_feu": L.TARIFF_PER_FEU[1],
    "tariff_usd_per_t_km": L.TARIFF_PER_T_KM[1],
}


def _check_figures(link: Link, field: str) -> Link:
    """A new or changed link within the physical ranges; `field` is the argument to blame."""
    fastest = L.MAX_SPEED_KMH.get(link.mode, max(L.MAX_SPEED_KMH.values()))
    speed = link.distance_km / link.duration_h
    if speed > fastest * (1 + 1e-9):
        raise ScenarioError(
            field,
            f"makes link {link.link_id} {speed:.4g} km/h, above the {link.mode} limit of "
            f"{fastest:g} km/h",
        )
    if link.duration_h > L.DURATION_H[1]:
        raise ScenarioError(field, f"makes link {link.link_id} take more than a year")
    for name, high in _TARIFF_LIMITS.items():
        if getattr(link, name) > high:
            raise ScenarioError(field, f"makes {name} of {link.link_id} exceed {high:g}")
    return link


# -- closures ----------------------------------------------------------------------------------


def close_link(net: Network, link_id: str) -> Network:
    """Remove a link (both directions) with its services and crossing rows."""
    _check_link_id(net, link_id)
    return rebuild(net, links=[lk for lk in net.links if lk.link_id != link_id])


def open_link(net: Network, link_id: str) -> Network:
    """Make a link shipped with `status = closed` (a line under construction) routable."""
    link = _check_link_id(net, link_id)
    if link.status != "closed":
        raise ScenarioError("link_id", f"link {link_id!r} is already open")
    opened = replace(link, status="open")
    return rebuild(net, links=[opened if lk.link_id == link_id else lk for lk in net.links])


def close_links(net: Network, link_ids: Iterable[str]) -> Network:
    """Remove several links at once (one rebuild)."""
    closed = set(link_ids)
    for link_id in sorted(closed):
        _check_link_id(net, link_id)
    return rebuild(net, links=[lk for lk in net.links if lk.link_id not in closed])


def close_node(net: Network, node_id: str) -> Network:
    """Remove a node with every link that starts or ends there, and its transfers."""
    if node_id not in net.node_index:
        raise _unknown("node_id", "node", node_id, net.node_index)
    return rebuild(net, nodes=[n for n in net.nodes if n.node_id != node_id])


def close_crossing(net: Network, crossing_id: str) -> Network:
    """Close a border crossing in both directions: its link goes, since a link without crossing
    rows would be crossed with no border stop at all."""
    rows = _check_crossing_id(net, crossing_id)
    return close_links(net, {r.link_id for r in rows})


def close_border(net: Network, country_a: str, country_b: str) -> Network:
    """Close every crossing between two countries (both directions), leaving sea lanes open."""
    a, b = country_a.strip().upper(), country_b.strip().upper()
    for field, code in (("countries", a), ("countries", b)):
        if code not in net.countries:
            raise _unknown(field, "country", code, net.countries)
    country = {n.node_id: n.country for n in net.nodes}
    closed = {
        c.link_id
        for c in net.crossings
        if {country[net.link(c.link_id).from_node], country[net.link(c.link_id).to_node]} == {a, b}
    }
    if not closed:
        raise ScenarioError("countries", f"no border crossing joins {a} and {b}")
    return close_links(net, closed)


def close_country(net: Network, country: str) -> Network:
    """Remove every node of a country (ISO 3166 alpha-2) and so every link touching it."""
    code = country.strip().upper()
    if code not in net.countries:
        raise _unknown("country", "country", code, net.countries)
    return rebuild(net, nodes=[n for n in net.nodes if n.country != code])


def passages(net: Network) -> tuple[str, ...]:
    """The sea passages the network's links name (suez, cape, bosphorus, ...)."""
    return tuple(sorted({p for lk in net.links for p in lk.passages}))


def close_passage(net: Network, passage: str) -> Network:
    """Close a sea passage: every link that goes through it (e.g. `suez`) is removed."""
    name = passage.strip().lower()
    closed = {lk.link_id for lk in net.links if name in lk.passages}
    if not closed:
        raise _unknown("passage", "passage", name, passages(net))
    return close_links(net, closed)


# -- border dwell ------------------------------------------------------------------------------


def _edit_dwell(
    net: Network,
    crossing_id: str,
    commodity: str | None,
    direction: str | None,
    edit: Callable[[CrossingRule], CrossingRule],
) -> Network:
    """Apply `edit` to a crossing's rows for one commodity's border class (or all classes) and
    one direction (or both). A class without rows of its own gets a copy of the general row."""
    rows = _check_crossing_id(net, crossing_id)
    have = tuple(d for d in DIRECTIONS if any(r.direction == d for r in rows))
    if direction is not None:
        if direction not in DIRECTIONS:
            raise ScenarioError("direction", f"expected forward or reverse, got {direction!r}")
        if direction not in have:
            raise ScenarioError(
                "direction", f"crossing {crossing_id} has no {direction} rows (its link is one-way)"
            )
        have = (direction,)
    cls: str | None = None
    if commodity is not None:
        if commodity not in net.commodity_index:
            raise _unknown("commodity", "commodity", commodity, net.commodity_index)
        cls = net.commodity(commodity).border_class
    out = list(net.crossings)
    for d in have:
        if cls is not None and not any(r.direction == d and r.commodity_class == cls for r in rows):
            general = next(r for r in rows if r.direction == d and r.commodity_class == "general")
            out.append(replace(general, commodity_class=cls))
    return rebuild(
        net,
        crossings=[
            edit(r)
            if r.crossing_id == crossing_id
            and r.direction in have
            and (cls is None or r.commodity_class == cls)
            else r
            for r in out
        ],
    )


def scale_dwell(
    net: Network,
    crossing_id: str,
    factor: float,
    *,
    commodity: str | None = None,
    direction: str | None = None,
) -> Network:
    """Multiply a crossing's dwell (median and P90) by `factor` for one commodity's border
    class or, without `commodity`, for every class; in one direction or both."""
    _positive("factor", factor, zero=True, high=L.SCALE_FACTOR[1])

    def edit(r: CrossingRule) -> CrossingRule:
        if r.dwell_p90_h * factor > L.DWELL_H[1]:
            raise ScenarioError("factor", f"makes the dwell at {crossing_id} exceed a year")
        return replace(
            r, dwell_median_h=r.dwell_median_h * factor, dwell_p90_h=r.dwell_p90_h * factor
        )

    return _edit_dwell(net, crossing_id, commodity, direction, edit)


def set_dwell(
    net: Network,
    crossing_id: str,
    *,
    median_h: float,
    p90_h: float | None = None,
    commodity: str | None = None,
    direction: str | None = None,
    green_lane: bool | None = None,
    fee_usd_per_feu: float | None = None,
) -> Network:
    """Set a crossing's dwell. Without `p90_h` the P90 keeps its ratio to the median (the
    spread scales with the stop); `green_lane` and the fee change only when given."""
    _positive("median_h", median_h, zero=True, high=L.DWELL_H[1])
    if p90_h is not None and (_positive("p90_h", p90_h, zero=True, high=L.DWELL_H[1]) < median_h):
        raise ScenarioError("p90_h", f"expected >= median_h ({median_h}), got {p90_h}")
    if fee_usd_per_feu is not None:
        _positive("fee_usd_per_feu", fee_usd_per_feu, zero=True, high=L.TARIFF_PER_FEU[1])

    def edit(r: CrossingRule) -> CrossingRule:
        if p90_h is not None:
            p90 = p90_h
        elif r.dwell_median_h > 0:
            p90 = r.dwell_p90_h * median_h / r.dwell_median_h
        else:
            p90 = max(r.dwell_p90_h, median_h)
        if p90 > L.DWELL_H[1]:
            raise ScenarioError("median_h", f"makes the P90 dwell at {crossing_id} exceed a year")
        _check_spread("p90_h" if p90_h is not None else "median_h", median_h, max(p90, median_h))
        return replace(
            r,
            dwell_median_h=median_h,
            dwell_p90_h=max(p90, median_h),
            green_lane=r.green_lane if green_lane is None else green_lane,
            fee_usd_per_feu=r.fee_usd_per_feu if fee_usd_per_feu is None else fee_usd_per_feu,
        )

    return _edit_dwell(net, crossing_id, commodity, direction, edit)


# -- links -------------------------------------------------------------------------------------


def add_link(net: Network, link: Link, crossings: Sequence[CrossingRule] = ()) -> Network:
    """Add a link; one that crosses a land border needs its crossing rows (a general row per
    direction), so the border stop is planned like any other."""
    field = "link_id"
    if link.link_id in net.link_index:
        raise ScenarioError(field, f"link {link.link_id!r} already exists; use change_link")
    for end in ("from_node", "to_node"):
        node = getattr(link, end)
        if node not in net.node_index:
            raise _unknown(end, "node", node, net.node_index)
    if link.from_node == link.to_node:
        raise ScenarioError("to_node", "a link must join two different nodes")
    if link.mode not in MODES:
        raise ScenarioError("mode", f"expected one of {', '.join(MODES)}, got {link.mode!r}")
    if (link.mode == "rail") != (link.gauge_mm is not None):
        raise ScenarioError("gauge_mm", "rail links need a track gauge; other modes have none")
    if link.gauge_mm is not None and not L.GAUGE_MM[0] <= link.gauge_mm <= L.GAUGE_MM[1]:
        raise ScenarioError("gauge_mm", f"expected a gauge of {L.GAUGE_MM[0]}-{L.GAUGE_MM[1]} mm")
    _positive("distance_km", link.distance_km, high=L.DISTANCE_KM[1])
    _positive("duration_h", link.duration_h, high=L.DURATION_H[1])
    for name, high in _TARIFF_LIMITS.items():
        _positive(name, getattr(link, name), zero=True, high=high)
    for name, high in (
        ("capacity_teu_per_week", L.CAPACITY_TEU_PER_WEEK[1]),
        ("capacity_t_per_week", L.CAPACITY_T_PER_WEEK[1]),
    ):
        if getattr(link, name) is not None:
            _positive(name, getattr(link, name), high=high)
    _check_figures(link, "speed_kmh")
    carriers = {(f.mode, f.energy_carrier) for f in net.emission_factors if f.activity == "move"}
    if (link.mode, link.energy_carrier) not in carriers:
        known = sorted(c for m, c in carriers if m == link.mode)
        raise ScenarioError(
            "energy_carrier",
            f"no emission factor for ({link.mode}, {link.energy_carrier}); "
            f"expected one of {', '.join(known) or 'none'}",
        )
    if link.commodities != ("*",):
        for c in link.commodities:
            if c not in net.commodity_index:
                raise _unknown("commodities", "commodity", c, net.commodity_index)
    rows = [replace(c, link_id=link.link_id) for c in crossings]
    a, b = net.node(link.from_node).country, net.node(link.to_node).country
    directions = DIRECTIONS if link.bidirectional else DIRECTIONS[:1]
    general = {r.direction for r in rows if r.commodity_class == "general"}
    if a != b and link.mode not in ("sea", "pipeline") and set(directions) - general:
        raise ScenarioError(
            "crossing", f"the link crosses the {a}–{b} border; give its crossing (dwell and fee)"
        )
    known_ids = set(net.crossing_ids)
    for r in rows:
        _positive("crossing.dwell_p90_h", r.dwell_p90_h, zero=True, high=L.DWELL_H[1])
        _check_spread("crossing.dwell_p90_h", r.dwell_median_h, r.dwell_p90_h)
        _positive(
            "crossing.fee_usd_per_feu", r.fee_usd_per_feu, zero=True, high=L.TARIFF_PER_FEU[1]
        )
        if r.crossing_id in known_ids:
            raise ScenarioError("crossing.id", f"crossing {r.crossing_id!r} already exists")
        if r.direction not in directions:
            raise ScenarioError("crossing.direction", f"link {link.link_id} is one-way")
    return rebuild(net, links=[*net.links, link], crossings=[*net.crossings, *rows])


def change_link(
    net: Network,
    link_id: str,
    *,
    distance_km: float | None = None,
    duration_h: float | None = None,
    speed_kmh: float | None = None,
    speed_factor: float | None = None,
    tariff_usd_per_feu_km: float | None = None,
    tariff_usd_per_feu: float | None = None,
    tariff_usd_per_t_km: float | None = None,
    capacity_teu_per_week: float | None = None,
    capacity_t_per_week: float | None = None,
    capacity_factor: float | None = None,
) -> Network:
    """Change a link's figures. A new distance keeps the speed unless a duration or speed is
    given; `speed_factor` 1.25 makes the link 25% faster; `capacity_factor` scales all
    capacities (both directions); a given `capacity_teu_per_week` holds in each direction."""
    link = _check_link_id(net, link_id)
    if sum(x is not None for x in (duration_h, speed_kmh, speed_factor)) > 1:
        raise ScenarioError("duration_h", "give at most one of duration_h, speed_kmh, speed_factor")
    speed = link.distance_km / link.duration_h
    distance = (
        link.distance_km
        if distance_km is None
        else _positive("distance_km", distance_km, high=L.DISTANCE_KM[1])
    )
    blame = "distance_km"
    fastest = max(L.MAX_SPEED_KMH.values())
    if duration_h is not None:
        hours, blame = _positive("duration_h", duration_h, high=L.DURATION_H[1]), "duration_h"
    elif speed_kmh is not None:
        hours, blame = distance / _positive("speed_kmh", speed_kmh, high=fastest), "speed_kmh"
    elif speed_factor is not None:
        factor = _positive("speed_factor", speed_factor, high=L.SPEED_FACTOR[1])
        if factor < L.SPEED_FACTOR[0]:
            raise ScenarioError("speed_factor", f"expected a factor >= {L.SPEED_FACTOR[0]:g}")
        hours, blame = distance / (speed * factor), "speed_factor"
    else:
        hours = distance / speed
    teu, tonnes = link.capacity_teu_per_week, link.capacity_t_per_week
    teu_back = link.capacity_reverse_teu_per_week
    if capacity_factor is not None:
        _positive("capacity_factor", capacity_factor, high=L.CAPACITY_FACTOR[1])
        teu = None if teu is None else min(teu * capacity_factor, L.CAPACITY_TEU_PER_WEEK[1])
        if teu_back is not None:
            teu_back = min(teu_back * capacity_factor, L.CAPACITY_TEU_PER_WEEK[1])
        tonnes = None if tonnes is None else min(tonnes * capacity_factor, L.CAPACITY_T_PER_WEEK[1])
    if capacity_teu_per_week is not None:
        teu = _positive(
            "capacity_teu_per_week", capacity_teu_per_week, high=L.CAPACITY_TEU_PER_WEEK[1]
        )
        teu_back = None  # a capacity given by the scenario holds in each direction
    if capacity_t_per_week is not None:
        tonnes = _positive(
            "capacity_t_per_week", capacity_t_per_week, high=L.CAPACITY_T_PER_WEEK[1]
        )

    def tariff(name: str, value: float | None) -> float:
        if value is None:
            return float(getattr(link, name))
        return _positive(name, value, zero=True, high=_TARIFF_LIMITS[name])

    changed = replace(
        link,
        distance_km=distance,
        duration_h=hours,
        tariff_usd_per_feu_km=tariff("tariff_usd_per_feu_km", tariff_usd_per_feu_km),
        tariff_usd_per_feu=tariff("tariff_usd_per_feu", tariff_usd_per_feu),
        tariff_usd_per_t_km=tariff("tariff_usd_per_t_km", tariff_usd_per_t_km),
        capacity_teu_per_week=teu,
        capacity_t_per_week=tonnes,
        capacity_reverse_teu_per_week=teu_back,
    )
    _check_figures(changed, blame)
    return rebuild(net, links=[changed if lk.link_id == link_id else lk for lk in net.links])


def change_tariff(
    net: Network,
    factor: float,
    *,
    links: Iterable[str] = (),
    modes: Iterable[str] = (),
    countries: Iterable[str] = (),
) -> Network:
    """Multiply the tariffs (per FEU-km, per FEU, per t-km) of the links matching every filter
    given: listed ids, modes, and countries (a link with either end there). No filter: all."""
    _positive("factor", factor, zero=True, high=L.SCALE_FACTOR[1])
    ids, mode_set = set(links), set(modes)
    codes = {c.strip().upper() for c in countries}
    for link_id in sorted(ids):
        _check_link_id(net, link_id)
    for mode in sorted(mode_set):
        if mode not in MODES:
            raise ScenarioError("modes", f"expected modes among {', '.join(MODES)}, got {mode!r}")
    for code in sorted(codes):
        if code not in net.countries:
            raise _unknown("countries", "country", code, net.countries)
    country = {n.node_id: n.country for n in net.nodes}

    def selected(lk: Link) -> bool:
        return (
            (not ids or lk.link_id in ids)
            and (not mode_set or lk.mode in mode_set)
            and (not codes or bool({country[lk.from_node], country[lk.to_node]} & codes))
        )

    chosen = {lk.link_id for lk in net.links if selected(lk)}
    if not chosen:
        raise ScenarioError("links", "no link matches all the filters given")
    return rebuild(
        net,
        links=[
            _check_figures(
                replace(
                    lk,
                    tariff_usd_per_feu_km=lk.tariff_usd_per_feu_km * factor,
                    tariff_usd_per_feu=lk.tariff_usd_per_feu * factor,
                    tariff_usd_per_t_km=lk.tariff_usd_per_t_km * factor,
                ),
                "factor",
            )
            if lk.link_id in chosen
            else lk
            for lk in net.links
        ],
    )


# -- services ----------------------------------------------------------------------------------


def weekly_departures(weekdays: Sequence[str], departure_utc: str) -> tuple[float, ...]:
    """Hours after Monday 00:00 of departures on `weekdays` at `departure_utc` (HH:MM)."""
    for day in weekdays:
        if day not in WEEKDAYS:
            raise ScenarioError(
                "weekdays", f"expected days among {', '.join(WEEKDAYS)}, got {day!r}"
            )
    if not weekdays:
        raise ScenarioError("weekdays", "expected at least one day, e.g. ['Mon', 'Thu']")
    parts = departure_utc.split(":")
    if not (len(parts) == 2 and all(p.isdigit() for p in parts)) or not (
        int(parts[0]) < 24 and int(parts[1]) < 60
    ):
        raise ScenarioError("departure_utc", f"expected HH:MM (UTC), got {departure_utc!r}")
    clock = int(parts[0]) + int(parts[1]) / 60.0
    return tuple(sorted({WEEKDAYS.index(d) * 24.0 + clock for d in weekdays}))


def headway_departures(headway_h: float, offset_h: float = 0.0) -> tuple[float, ...]:
    """Departures every `headway_h` hours from `offset_h`; the headway must divide 168 h and
    be at least 1 h (168 departures a week at most)."""
    if not (math.isfinite(headway_h) and L.HEADWAY_H[0] <= headway_h <= L.HEADWAY_H[1]):
        raise ScenarioError(
            "headway_h",
            f"expected a headway between {L.HEADWAY_H[0]:g} and {L.HEADWAY_H[1]:g} h, "
            f"got {headway_h}",
        )
    count = HOURS_PER_WEEK / headway_h
    if abs(count - round(count)) > 1e-9:
        raise ScenarioError(
            "headway_h",
            f"expected a headway that divides 168 h (weekly timetable), got {headway_h}",
        )
    if not (math.isfinite(offset_h) and 0 <= offset_h < headway_h):
        raise ScenarioError("offset_h", f"expected 0 <= offset_h < headway_h, got {offset_h}")
    return tuple(offset_h + i * headway_h for i in range(round(count)))


def scale_frequency(departures: Sequence[float], factor: float) -> tuple[float, ...]:
    """A timetable `factor` times as frequent: a whole factor k puts k-1 departures evenly
    between consecutive ones (around the week); 1/k keeps every k-th departure. The result may
    hold at most 168 departures a week (one an hour).

    >>> scale_frequency((0.0, 84.0), 2)
    (0.0, 42.0, 84.0, 126.0)
    """
    _positive("frequency_factor", factor, high=L.FREQUENCY_FACTOR[1])
    times = sorted(departures)
    if abs(factor - round(factor)) < 1e-9:
        k = round(factor)
        if k * len(times) > L.MAX_DEPARTURES_PER_WEEK:
            raise ScenarioError(
                "frequency_factor",
                f"{len(times)} departures x {k} exceeds {L.MAX_DEPARTURES_PER_WEEK} a week",
            )
        out: list[float] = []
        for i, t in enumerate(times):
            following = times[i + 1] if i + 1 < len(times) else times[0] + HOURS_PER_WEEK
            out += [(t + j * (following - t) / k) % HOURS_PER_WEEK for j in range(k)]
        return tuple(sorted(set(out)))
    inverse = 1.0 / factor
    if abs(inverse - round(inverse)) < 1e-9:
        return tuple(times[:: round(inverse)])
    raise ScenarioError(
        "frequency_factor", f"expected a whole factor (2, 3) or its inverse (0.5), got {factor}"
    )


def add_service(net: Network, service: Service) -> Network:
    """Add a timetable on a link (weekly departures in `departures_h`, hours after Monday)."""
    if any(s.service_id == service.service_id for s in net.services):
        raise ScenarioError("service_id", f"service {service.service_id!r} already exists")
    link = _check_link_id(net, service.link_id)
    if service.direction not in ("forward", "reverse", "both"):
        raise ScenarioError(
            "direction", f"expected forward, reverse or both, got {service.direction!r}"
        )
    if service.direction != "forward" and not link.bidirectional:
        raise ScenarioError("direction", f"link {link.link_id} is one-way")
    if not service.departures_h or not all(0 <= t < HOURS_PER_WEEK for t in service.departures_h):
        raise ScenarioError("departures", "expected departures within the week [0, 168) h")
    fixed = replace(service, departures_h=tuple(sorted(set(service.departures_h))))
    return rebuild(net, services=[*net.services, fixed])


def change_service(
    net: Network,
    service_id: str,
    *,
    frequency_factor: float | None = None,
    headway_h: float | None = None,
    offset_h: float = 0.0,
    weekdays: Sequence[str] | None = None,
    departure_utc: str | None = None,
) -> Network:
    """Change a timetable: scale its frequency, or replace it by a headway or weekly days."""
    found = [s for s in net.services if s.service_id == service_id]
    if not found:
        raise _unknown("service_id", "service", service_id, [s.service_id for s in net.services])
    service = found[0]
    given = [frequency_factor is not None, headway_h is not None, weekdays is not None]
    if sum(given) != 1:
        raise ScenarioError(
            "frequency_factor", "give exactly one of frequency_factor, headway_h, weekdays"
        )
    if frequency_factor is not None:
        changed = replace(
            service, departures_h=scale_frequency(service.departures_h, frequency_factor)
        )
    elif headway_h is not None:
        changed = replace(
            service, kind="headway", departures_h=headway_departures(headway_h, offset_h)
        )
    else:
        if departure_utc is None:
            raise ScenarioError("departure_utc", "weekly timetables need departure_utc (HH:MM)")
        changed = replace(
            service, kind="weekly", departures_h=weekly_departures(weekdays or (), departure_utc)
        )
    return rebuild(
        net, services=[changed if s.service_id == service_id else s for s in net.services]
    )


__all__ = [
    "add_link",
    "add_service",
    "change_link",
    "change_service",
    "change_tariff",
    "close_border",
    "close_country",
    "close_crossing",
    "close_link",
    "close_links",
    "close_node",
    "close_passage",
    "headway_departures",
    "open_link",
    "passages",
    "rebuild",
    "scale_dwell",
    "scale_frequency",
    "set_dwell",
    "weekly_departures",
]
