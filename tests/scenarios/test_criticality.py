"""Criticality against a brute-force oracle, and the ranking a reader of the literature expects."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

import corridor
from corridor.batch.spec import NetworkSpec
from corridor.errors import CorridorError, QueryError
from corridor.routing.odset import ODPair, default_od_path, read_od_pairs
from corridor.routing.planner import plan
from corridor.routing.query import Cargo, Query
from corridor.scenarios.criticality import (
    Criticality,
    ElementLoss,
    criticality,
    elements,
    hubs,
    weight_of,
)
from corridor.scenarios.transforms import close_border, close_crossing, close_link, close_node
from optional import require_module

DEPART = datetime(2026, 12, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def dask_client() -> Iterator[Any]:
    distributed = require_module("distributed")
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


@pytest.fixture(scope="module")
def pairs() -> tuple[ODPair, ...]:
    return read_od_pairs(default_od_path(), corridor.load_network())


@pytest.fixture(scope="module")
def ranking(pairs: tuple[ODPair, ...]) -> Criticality:
    return criticality(NetworkSpec(), pairs, depart=DEPART, progress=False)


def _best(net: corridor.Network, pair: ODPair, criterion: str) -> float | None:
    try:
        result = plan(
            net,
            Query(pair.origin, pair.destination, depart=DEPART, cargo=Cargo(1, 20),
                  commodity=pair.commodity, criteria=(criterion,), alternatives=0, thin=False),
        )  # fmt: skip
    except CorridorError:
        return None
    return min(r.criteria()[criterion] for r in result.routes)


def _oracle(net: corridor.Network, kind: str, ident: str, pairs: tuple[ODPair, ...]) -> ElementLoss:
    """Close the element and replan every OD pair for both criteria: no shortcut at all."""
    closed = {
        "link": lambda: close_link(net, ident),
        "crossing": lambda: close_crossing(net, ident),
        "hub": lambda: close_node(net, ident),
        "border": lambda: close_border(net, *ident.split("-")),
    }[kind]()
    cut: list[int] = []
    extra = {"time": 0.0, "cost": 0.0}
    for k, pair in enumerate(pairs):
        if kind == "hub" and ident in (pair.origin, pair.destination):
            continue
        before = {c: _best(net, pair, c) for c in ("time", "cost")}
        if before["time"] is None:
            continue
        after = {c: _best(closed, pair, c) for c in ("time", "cost")}
        if after["time"] is None:
            cut.append(k)
            continue
        for c in extra:
            extra[c] += weight_of(pair) * (after[c] - before[c])  # type: ignore[operator]
    return ElementLoss(
        kind,  # type: ignore[arg-type]
        ident,
        name="",
        ods_cut=len(cut),
        demand_cut=sum(weight_of(pairs[k]) for k in cut),
        extra_hours=extra["time"],
        extra_cost_usd=extra["cost"],
        ods_affected=0,
    )


def test_ranking_equals_replanning_every_od_for_every_sampled_element(
    eurasia: corridor.Network, pairs: tuple[ODPair, ...], ranking: Criticality
) -> None:
    by_id = {(e.kind, e.element_id): e for e in ranking.ranking}
    sample = [e for i, e in enumerate(ranking.ranking) if i < 12 or i % 9 == 0]
    assert {e.kind for e in sample} == {"border", "crossing", "link", "hub"}
    for element in sample:
        want = _oracle(eurasia, element.kind, element.element_id, pairs)
        got = by_id[(element.kind, element.element_id)]
        assert got.ods_cut == want.ods_cut, element
        assert got.demand_cut == pytest.approx(want.demand_cut)
        assert got.extra_hours == pytest.approx(want.extra_hours, abs=1e-6)
        assert got.extra_cost_usd == pytest.approx(want.extra_cost_usd, abs=1e-6)


def test_pruned_and_exhaustive_runs_agree_and_closures_never_help(
    pairs: tuple[ODPair, ...], ranking: Criticality
) -> None:
    kinds = ["border", "crossing"]
    full = criticality(
        NetworkSpec(), pairs[:4], depart=DEPART, kinds=kinds, exhaustive=True, progress=False
    )
    quick = criticality(NetworkSpec(), pairs[:4], depart=DEPART, kinds=kinds, progress=False)
    assert [e.to_dict() for e in quick.ranking] == [e.to_dict() for e in full.ranking]
    assert quick.replans < full.replans
    assert all(e.extra_hours >= -1e-6 and e.extra_cost_usd >= -1e-6 for e in ranking.ranking)


def test_ods_left_without_a_route_rank_first(ranking: Criticality) -> None:
    cut = [e.ods_cut for e in ranking.ranking]
    assert cut == sorted(cut, reverse=True)
    first_uncut = next(e for e in ranking.ranking if e.ods_cut == 0)
    uncut = [e.extra_hours for e in ranking.ranking if e.ods_cut == 0]
    assert uncut == sorted(uncut, reverse=True) and uncut[0] == first_uncut.extra_hours


def test_the_corridor_chokepoints_are_near_the_top(
    pairs: tuple[ODPair, ...], ranking: Criticality
) -> None:
    # of 541 elements; Belarus-Poland ranks 14th since Brest's sourced 52 h wait and the
    # Lithuanian way round it (Gudogai-Kena) make its closure cost half a day
    top = [e.element_id for e in ranking.top(15)]
    assert "CN-KZ" in top and "BY-PL" in top
    crossings = criticality(
        NetworkSpec(), pairs, depart=DEPART, kinds=["crossing"], rank_by="cost", progress=False
    )
    top_crossings = [e.element_id for e in crossings.top(8)]
    assert "ALASHANKOU_DOSTYK" in top_crossings
    assert {"TURKMENBASHI_ALAT", "KURYK_ALAT", "AKTAU_ALAT"} & set(top_crossings)
    # Brest-Małaszewicze has a bypass (Bruzgi-Kuźnica) on the same border: closing the whole
    # border costs at least as much as closing the one crossing.
    loss = {(e.kind, e.element_id): e for e in ranking.ranking}
    border, brest = loss[("border", "BY-PL")], loss[("crossing", "BREST_MALASZEWICZE")]
    assert border.extra_hours >= brest.extra_hours - 1e-6
    assert border.extra_cost_usd >= brest.extra_cost_usd - 1e-6


def test_an_od_ending_at_a_closed_hub_is_not_counted_against_it(
    eurasia: corridor.Network,
) -> None:
    pairs = (ODPair("CN_XIA", "DE_DUI", teu_per_week=10.0),)
    result = criticality(NetworkSpec(), pairs, depart=DEPART, kinds=["hub"], progress=False)
    dui = next(e for e in result.ranking if e.element_id == "DE_DUI")
    assert dui.ods_cut == 0 and dui.extra_hours == 0.0
    assert "CN_XIA" in hubs(eurasia)


def test_elements_exclude_crossing_links_and_reject_unknown_kinds(
    eurasia: corridor.Network,
) -> None:
    crossing_links = {c.link_id for c in eurasia.crossings}
    links = [i for k, i in elements(eurasia, ["link"])]
    assert links and not crossing_links & set(links)
    with pytest.raises(QueryError):
        elements(eurasia, ["bridge"])


def test_dask_run_equals_the_local_run(dask_client: Any, pairs: tuple[ODPair, ...]) -> None:
    local = criticality(NetworkSpec(), pairs[:4], depart=DEPART, progress=False)
    remote = criticality(
        NetworkSpec(), pairs[:4], depart=DEPART, scheduler=dask_client, progress=False
    )
    assert [e.to_dict() for e in remote.ranking] == [e.to_dict() for e in local.ranking]


def test_cli_prints_json_and_draws_the_plot(tmp_path: Path) -> None:
    picture = tmp_path / "c.png"
    proc = subprocess.run(
        [sys.executable, "-m", "corridor.cli", "criticality", "--depart", "2026-12-01",
         "--top", "5", "--format", "json", "--plot", str(picture), "--workers", "2"],
        capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert len(data["ranking"]) == 5 and data["ranking"][0]["kind"] in {
        "border", "crossing", "link", "hub"
    }  # fmt: skip
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_cli_user_errors_are_one_line_exit_2(tmp_path: Path) -> None:
    for args, text in (
        (["--kind", "bridge"], "--kind"),
        (["--plot", str(tmp_path / "c.gif")], "--plot"),
        (["--od", str(tmp_path / "none.csv")], "none.csv"),
    ):
        proc = subprocess.run(
            [sys.executable, "-m", "corridor.cli", "criticality", *args],
            capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        lines = proc.stderr.strip().splitlines()
        assert proc.returncode == 2 and len(lines) == 1 and text in lines[0], proc


# -- small random networks: banning edges equals removing the element and enumerating routes --

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "routing"))
from hypothesis import HealthCheck, given, settings  # noqa: E402
from random_networks import Spec, brute_force, specs, write_package  # noqa: E402

TEU_COST_FACTOR = 0.5  # the random packages' manifest: a 20' box pays half a 40' box


def _without(spec: Spec, kind: str, ident: str) -> Spec:
    """`spec` with the element's links (or node) removed, as the row tables would be edited."""
    country = {nd["node_id"]: nd["country"] for nd in spec.nodes}
    if kind == "link":
        gone = {ident}
    elif kind == "crossing":
        gone = {c["link_id"] for c in spec.crossings if c["crossing_id"] == ident}
    elif kind == "border":
        pair = set(ident.split("-"))
        gone = {
            c["link_id"]
            for c in spec.crossings
            for lk in spec.links
            if lk["link_id"] == c["link_id"]
            and {country[lk["from_node"]], country[lk["to_node"]]} == pair
        }
    else:
        gone = {lk["link_id"] for lk in spec.links if ident in (lk["from_node"], lk["to_node"])}
    return Spec(
        nodes=spec.nodes,
        links=[lk for lk in spec.links if lk["link_id"] not in gone],
        transfers=spec.transfers,
        crossings=[c for c in spec.crossings if c["link_id"] not in gone],
        services=[s for s in spec.services if s["link_id"] not in gone],
    )


def _enumerated(spec: Spec, pair: ODPair, start: int) -> tuple[float, float] | None:
    """Least hours and least USD per TEU over every route the enumerator finds."""
    found = brute_force(spec, pair.origin, pair.destination, "general", start)
    if not found:
        return None
    return (min(f.time for f in found), TEU_COST_FACTOR * min(f.cost for f in found))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=specs())
def test_banned_edge_closures_equal_enumerating_routes_without_the_element(spec: Spec) -> None:
    start = 30  # hours after the epoch's Monday 00:00
    depart = datetime(2024, 1, 2, 6, tzinfo=UTC)
    pairs = tuple(
        ODPair(f"N{a}", f"N{b}", teu_per_week=float(1 + a + b))
        for a in range(3)
        for b in range(3)
        if a != b
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_package(spec, Path(tmp) / "net")
        nodes = folder / "nodes.csv"  # junctions, so that hubs are closed too
        nodes.write_text(nodes.read_text().replace(",city,", ",junction,"))
        result = criticality(NetworkSpec(str(folder)), pairs, depart=depart, progress=False)
    base = {k: _enumerated(spec, p, start) for k, p in enumerate(pairs)}
    assert result.baseline_hours == tuple(None if b is None else b[0] for b in base.values())
    for loss in result.ranking:
        closed = _without(spec, loss.kind, loss.element_id)
        cut, hours, cost = 0, 0.0, 0.0
        for k, pair in enumerate(pairs):
            before = base[k]
            if before is None or (
                loss.kind == "hub" and loss.element_id in (pair.origin, pair.destination)
            ):
                continue
            after = _enumerated(closed, pair, start)
            if after is None:
                cut += 1
                continue
            hours += weight_of(pair) * (after[0] - before[0])
            cost += weight_of(pair) * (after[1] - before[1])
        assert (loss.ods_cut, loss.extra_hours, loss.extra_cost_usd) == pytest.approx(
            (cut, hours, cost), abs=1e-6
        ), loss
