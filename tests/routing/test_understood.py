"""What a query was understood as, and the mistakes refused before planning (issue 9 item 4)."""

from __future__ import annotations

import pytest

import corridor
from corridor.errors import CountryAsPlaceError, QueryError
from corridor.routing.understood import plan_understood, understand


def query(**kw: object) -> corridor.Query:
    base: dict[str, object] = {"origin": "Almaty", "destination": "Duisburg"}
    base.update(kw)
    return corridor.Query(depart="2026-12-01", **base)  # type: ignore[arg-type]


def test_an_unknown_iso2_code_is_refused_with_the_networks_countries(
    eurasia: corridor.Network,
) -> None:
    with pytest.raises(QueryError) as info:
        understand(eurasia, query(constraints=corridor.Constraints(avoid_countries=["XX"])))
    assert info.value.field == "constraints.avoid_countries"
    listed = [c for c in eurasia.countries if f"{c} (" in info.value.message]
    assert listed  # nearest valid codes are offered, and they are the network's


def test_a_real_country_without_nodes_may_be_avoided_and_is_echoed(
    eurasia: corridor.Network,
) -> None:
    assert "US" not in eurasia.countries
    u = understand(eurasia, query(constraints=corridor.Constraints(avoid_countries=["US"])))
    assert u.avoid_countries == ("US",)


def test_a_built_query_is_planned_as_given(eurasia: corridor.Network) -> None:
    heavy = query(cargo=corridor.Cargo(containers=1, tonnes=30.0))
    with pytest.raises(QueryError):
        plan_understood(eurasia, heavy)
    assert corridor.plan(eurasia, heavy).understood is not None  # not strict: planned


def test_a_country_name_as_origin_is_an_error_not_an_alias_match(
    eurasia: corridor.Network,
) -> None:
    # "Kazakhstan" is a word of Lianyungang's alias "China-Kazakhstan Logistics Base"
    with pytest.raises(CountryAsPlaceError):
        plan_understood(eurasia, query(origin="Kazakhstan", destination="Warsaw"))


@pytest.mark.parametrize(("size", "per_box"), [(40, 28.0), (20, 24.0)])
def test_a_payload_beyond_the_containers_is_refused_with_the_boxes_it_needs(
    eurasia: corridor.Network, size: int, per_box: float
) -> None:
    tonnes = 500.0
    cargo = corridor.Cargo(containers=1, size_ft=size, tonnes=tonnes)
    with pytest.raises(QueryError) as info:
        understand(eurasia, query(cargo=cargo))
    assert info.value.field == "cargo.tonnes"
    needed = -(-tonnes // per_box)  # ceiling division, the oracle
    assert f"{needed:.0f} x {size}'" in info.value.message
    fits = corridor.Cargo(containers=int(needed), size_ft=size, tonnes=tonnes)
    understand(eurasia, query(cargo=fits))  # the suggested choice is accepted


def test_a_full_box_at_the_limit_is_accepted(eurasia: corridor.Network) -> None:
    limit = eurasia.manifest.max_tonnes_40ft
    understand(eurasia, query(cargo=corridor.Cargo(containers=2, tonnes=2 * limit)))


def test_the_plan_echoes_resolved_places_and_every_avoid(eurasia: corridor.Network) -> None:
    constraints = corridor.Constraints(avoid_countries=["ru"], avoid=["Brst"])
    result = plan_understood(eurasia, query(origin="Jining", constraints=constraints))
    u = result.understood
    assert u is not None
    assert (u.origin.node_id, u.origin.how) == ("CN_JNG", "name")
    assert u.avoid_countries == ("RU",)
    assert [(a.id, a.place.how if a.place else None) for a in u.avoid] == [("BY_BRS", "fuzzy")]
    assert "Brst → Brest" in u.describe_avoid() and "RU (Russia)" in u.describe_avoid()
    echoed = result.to_dict()["understood"]
    assert echoed["origin"]["matched_by"] == "name" and echoed["avoid"][0]["id"] == "BY_BRS"
    assert all("BY_BRS" not in r.nodes for r in result.routes)


def test_an_overweight_forty_foot_payload_is_also_offered_in_twenty_foot_boxes(
    eurasia: corridor.Network,
) -> None:
    tonnes = 100.0
    per_20 = eurasia.manifest.max_tonnes_20ft
    with pytest.raises(QueryError) as forty:
        understand(eurasia, query(cargo=corridor.Cargo(containers=1, size_ft=40, tonnes=tonnes)))
    assert f"{-(-tonnes // per_20):.0f} x 20'" in forty.value.message
    with pytest.raises(QueryError) as twenty:
        understand(eurasia, query(cargo=corridor.Cargo(containers=1, size_ft=20, tonnes=tonnes)))
    needed = f"{-(-tonnes // per_20):.0f} x 20'"
    assert twenty.value.message.count(needed) == 1  # offered once, not again as the alternative
