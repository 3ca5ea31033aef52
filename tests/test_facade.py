"""The Python API as a notebook uses it: plain arguments, frames, short reprs, typed errors."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import corridor
from corridor.errors import CorridorError, QueryError


@pytest.fixture(scope="module")
def almaty(eurasia: corridor.Network) -> corridor.PlanResult:
    return corridor.plan(eurasia, "Almaty", "Duisburg", depart="2026-12-01")


def test_plan_takes_places_and_options_like_a_query(
    eurasia: corridor.Network, almaty: corridor.PlanResult
) -> None:
    q = corridor.Query("KZ_ALA", "DE_DUI", depart="2026-12-01T00:00Z")
    by_query = corridor.plan(eurasia, q)
    assert [r.to_dict() for r in by_query.routes] == [r.to_dict() for r in almaty.routes]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"depart": "next tuesday"}, "depart"),
        ({"speed": "fast"}, "speed"),
        ({"containers": 0}, "cargo.containers"),
    ],
)
def test_every_mistake_is_a_corridor_error(
    eurasia: corridor.Network, kwargs: dict[str, object], field: str
) -> None:
    with pytest.raises(QueryError) as info:
        corridor.plan(eurasia, "Almaty", "Duisburg", **kwargs)  # type: ignore[arg-type]
    assert info.value.field == field


def test_reprs_are_short(eurasia: corridor.Network, almaty: corridor.PlanResult) -> None:
    assert len(repr(eurasia)) < 200 and "nodes" in repr(eurasia)
    assert len(repr(almaty)) < 300 and "KZ_ALA" in repr(almaty)
    assert all(len(repr(r)) < 400 for r in almaty.routes)


def test_to_frame_has_one_row_per_route_with_lists_and_figures(
    almaty: corridor.PlanResult,
) -> None:
    frame = almaty.to_frame()
    assert len(frame) == len(almaty.routes)
    for (_, row), route in zip(frame.iterrows(), almaty.routes, strict=True):
        assert row["cost_usd"] == route.cost_usd and row["co2e_ttw_kg"] == route.co2e_ttw_kg
        assert row["countries"] == list(route.countries)
        assert row["crossings"] == list(route.corridor)


def test_legs_frame_sums_to_each_routes_totals(almaty: corridor.PlanResult) -> None:
    legs = almaty.legs_frame()
    assert len(legs) == sum(len(r.legs) for r in almaty.routes)
    totals = legs.groupby("rank")[["cost_usd", "co2e_wtw_kg", "hours"]].sum()
    for rank, route in enumerate(almaty.routes, start=1):
        assert totals.loc[rank, "cost_usd"] == pytest.approx(route.cost_usd, rel=1e-9)
        assert totals.loc[rank, "co2e_wtw_kg"] == pytest.approx(route.co2e_kg, rel=1e-9)


def test_geodataframe_lines_run_from_origin_to_destination(
    eurasia: corridor.Network, almaty: corridor.PlanResult
) -> None:
    routes = almaty.to_geodataframe()
    assert routes.crs.to_epsg() == 4326 and len(routes) == len(almaty.routes)
    o, d = eurasia.node("KZ_ALA"), eurasia.node("DE_DUI")
    for line in routes.geometry:
        assert line.coords[0] == (o.lon, o.lat) and line.coords[-1] == (d.lon, d.lat)
    legs = almaty.to_geodataframe(legs=True)
    assert len(legs) == sum(len(r.legs) for r in almaty.routes)


def test_reliability_options_fill_p90_and_on_time(eurasia: corridor.Network) -> None:
    result = corridor.plan(
        eurasia, "Kuryk", "Alat", depart="2026-12-01", deadline="2026-12-10", samples=500
    )
    for r in result.routes:
        assert r.p50_hours is not None and r.p90_hours is not None
        assert r.p50_hours <= r.p90_hours and r.on_time_probability is not None


@pytest.mark.parametrize(
    "pairs",
    [
        [("Almaty", "Duisburg", "general", 5.0)],
        pd.DataFrame({"origin": ["Almaty"], "destination": ["Duisburg"], "teu_per_week": [5.0]}),
    ],
)
def test_assign_takes_place_names_and_dataframes(eurasia: corridor.Network, pairs: object) -> None:
    result = corridor.assign(eurasia, pairs)
    assert [(o.origin, o.destination) for o in result.od] == [("KZ_ALA", "DE_DUI")]
    assert result.demand_teu == 5.0


def test_od_pairs_refuse_unknown_places_with_a_typed_error(eurasia: corridor.Network) -> None:
    with pytest.raises(CorridorError, match="pairs\\[0\\]"):
        corridor.od_pairs(eurasia, [("Atlantis", "Duisburg")])


def test_batch_runs_here_on_a_loaded_network(eurasia: corridor.Network) -> None:
    table = corridor.run_batch(eurasia, [("Kuryk", "Alat")], ["2026-12-01"])
    rows = table.to_pylist()
    assert rows and all(r["origin"] == "KZ_KUR" and r["error"] is None for r in rows)


def test_criticality_takes_a_loaded_network(eurasia: corridor.Network) -> None:
    ranked = corridor.criticality(
        eurasia, [("Kuryk", "Alat")], depart="2026-12-01", kinds=["crossing"]
    )
    assert json.dumps(ranked.to_dict())  # a result, from the network object, not a spec
