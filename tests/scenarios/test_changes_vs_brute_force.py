"""Scenario changes on random networks: the planner on the changed network against a brute force
over the generated rows, edited by hand here.

Each example draws a network (tests/routing/random_networks.py), one change (tariffs, a link's
duration or distance, border dwell and fee per class and direction, a service's frequency), makes
the change twice, once as a scenario applied by corridor and once to the generated rows by the
test's own arithmetic, and compares the exact time/cost Pareto set planned on the first with the
brute-force enumeration over the second.
"""

from __future__ import annotations

import copy
import sys
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import corridor
from corridor.errors import NoRouteError
from corridor.routing.clock import EPOCH
from corridor.scenarios import Scenario, apply_scenario
from corridor.scenarios.model import (
    Change,
    ChangeLink,
    ChangeService,
    ChangeTariff,
    ScaleDwell,
    SetDwell,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "routing"))
from random_networks import Spec, brute_force, pareto_vectors, specs, write_package

CLASS = {"general": "general", "agri": "agri"}
CRITERIA = ("time", "cost")


def _dwell_rows(
    spec: Spec, crossing: str, cls: str | None, direction: str | None
) -> list[dict[str, Any]]:
    """The rows a dwell change touches; a class without a row of its own gets a copy of the
    general row first (docs/scenarios.md)."""
    rows = [c for c in spec.crossings if c["crossing_id"] == crossing]
    directions = sorted({c["direction"] for c in rows}) if direction is None else [direction]
    if cls is not None:
        for d in directions:
            if not any(c["direction"] == d and c["commodity_class"] == cls for c in rows):
                general = next(
                    c for c in rows if c["direction"] == d and c["commodity_class"] == "general"
                )
                spec.crossings.append({**general, "commodity_class": cls})
    return [
        c
        for c in spec.crossings
        if c["crossing_id"] == crossing
        and c["direction"] in directions
        and (cls is None or c["commodity_class"] == cls)
    ]


Case = tuple[Spec, Spec, Change, tuple[str, str, str]]


def _across(
    draw: st.DrawFn, link: dict[str, Any], direction: str, commodity: str
) -> tuple[str, str, str]:
    """An OD pair along `link` in `direction`, mostly, so that the change is on the way."""
    ends = (link["from_node"], link["to_node"])
    a, b = ends if direction == "forward" else ends[::-1]
    return draw(st.sampled_from(((a, b, commodity), (a, b, commodity), (b, a, commodity))))


@st.composite
def changes(draw: st.DrawFn) -> Case:
    """(the network, the same network edited by hand, the change as corridor takes it, an OD
    pair and commodity that mostly pass where the change is)."""
    spec = draw(specs())
    edited = copy.deepcopy(spec)
    kinds = ["tariff", "duration", "distance"]
    if spec.crossings:
        kinds += ["scale_dwell", "set_dwell"] * 2
    if any(s["kind"] == "headway" for s in spec.services):
        kinds.append("frequency")
    kind = draw(st.sampled_from(kinds))
    event(kind)
    if kind in ("tariff", "duration", "distance"):
        j = draw(st.integers(0, len(spec.links) - 1))
        link, mine = spec.links[j], edited.links[j]
        cargo = (
            "crude" if link["mode"] == "pipeline" else draw(st.sampled_from(("general", "agri")))
        )
        focus = _across(draw, link, "forward", cargo)
        if kind == "tariff":
            factor = draw(st.sampled_from((0.0, 0.5, 2.0, 3.0)))
            for key in ("tariff_feu_km", "tariff_feu", "tariff_t_km"):
                if mine[key] is not None:
                    mine[key] = mine[key] * factor
            return spec, edited, ChangeTariff(factor, links=(link["link_id"],)), focus
        if kind == "duration":
            slowest = -(-link["distance_km"] // 40)  # at most 40 km/h: within every mode's limit
            mine["duration_h"] = draw(st.integers(slowest, slowest + 30))
            return spec, edited, ChangeLink(link["link_id"], duration_h=mine["duration_h"]), focus
        times = draw(st.integers(2, 3))  # same speed: the duration grows with the distance
        mine["distance_km"] *= times
        mine["duration_h"] *= times
        return spec, edited, ChangeLink(link["link_id"], distance_km=mine["distance_km"]), focus
    if kind == "frequency":
        i = draw(
            st.sampled_from([i for i, s in enumerate(spec.services) if s["kind"] == "headway"])
        )
        mine = edited.services[i]
        mine["headway"] //= 2  # every generated headway is even
        mine["offset"] %= mine["headway"]
        link = next(lk for lk in spec.links if lk["link_id"] == mine["link_id"])
        way = "reverse" if mine["direction"] == "reverse" else "forward"
        focus = _across(draw, link, way, draw(st.sampled_from(("general", "agri"))))
        return spec, edited, ChangeService(mine["service_id"], frequency_factor=2), focus
    crossing = draw(st.sampled_from(sorted({c["crossing_id"] for c in spec.crossings})))
    directions = sorted({c["direction"] for c in spec.crossings if c["crossing_id"] == crossing})
    direction = draw(st.sampled_from([None, *directions]))
    commodity = draw(st.sampled_from((None, "general", "agri")))
    link = next(lk for lk in spec.links if f"X{lk['link_id']}" == crossing)
    cargo = commodity or draw(st.sampled_from(("general", "agri")))
    focus = _across(draw, link, direction or draw(st.sampled_from(directions)), cargo)
    rows = _dwell_rows(edited, crossing, None if commodity is None else CLASS[commodity], direction)
    if kind == "scale_dwell":
        factor = draw(st.integers(0, 3))
        for c in rows:
            c["dwell"] *= factor
        change: Change = ScaleDwell(crossing, factor, commodity=commodity, direction=direction)
        return spec, edited, change, focus
    median, fee = draw(st.integers(0, 40)), draw(st.sampled_from((None, 0, 500)))
    for c in rows:
        c["dwell"] = median
        c["fee"] = c["fee"] if fee is None else fee
    change = SetDwell(
        crossing, median, commodity=commodity, direction=direction, fee_usd_per_feu=fee
    )
    return spec, edited, change, focus


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    case=changes(),
    random_od=st.one_of(st.none(), st.tuples(st.integers(0, 5), st.integers(1, 5))),
    start=st.integers(0, 167),
)
def test_a_changed_network_plans_like_the_brute_force_over_the_edited_rows(
    case: Case, random_od: tuple[int, int] | None, start: int
) -> None:
    spec, edited, change, (origin, destination, commodity) = case
    if random_od is not None:  # now and then anywhere else, where the change must not matter
        n = len(spec.nodes)
        a, b = random_od[0] % n, (random_od[0] + random_od[1] % (n - 1) + 1) % n
        origin, destination = f"N{a}", f"N{b}"
    with tempfile.TemporaryDirectory() as tmp:
        net = corridor.load_network(write_package(spec, Path(tmp) / "net"))
    changed = apply_scenario(net, Scenario("edit", changes=(change,)))
    query = corridor.Query(
        origin,
        destination,
        depart=EPOCH + timedelta(hours=start),
        commodity=commodity,
        criteria=CRITERIA,
        alternatives=0,
        thin=False,
    )
    try:
        routes = corridor.plan(changed, query).routes
    except NoRouteError:
        routes = ()
    got = {(round(r.transit_hours, 6), round(r.cost_usd, 6)) for r in routes}
    found = brute_force(edited, origin, destination, commodity, start)
    assert got == pareto_vectors(found, CRITERIA)
