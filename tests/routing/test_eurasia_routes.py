"""Planning on the bundled network: the corridors a shipper expects, and the rules that bind."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reachability import reachable

import corridor
from corridor import Constraints, Query
from corridor.errors import NoRouteError, QueryError

DEPART = datetime(2026, 12, 1)
CASPIAN_PORTS = {"KZ_AKU", "KZ_KUR", "TM_TKB", "AZ_ALT"}


def crosses_caspian(route: corridor.Route) -> bool:
    return any(
        leg.kind == "move" and leg.mode == "ferry" and {leg.from_node, leg.to_node} & CASPIAN_PORTS
        for leg in route.legs
    )


def test_beijing_to_moscow_offers_each_of_the_three_exits(eurasia: corridor.Network) -> None:
    # Kazakhstan, Mongolia and Manzhouli: the Manzhouli way is slower than both, and the many
    # Kazakhstan-Russia crossings must not crowd it out of the corridor search
    result = corridor.plan(eurasia, Query("Beijing", "Moscow", depart=DEPART))
    sequences = {r.countries for r in result.routes}
    assert {("CN", "KZ", "RU"), ("CN", "MN", "RU"), ("CN", "RU")} <= sequences


def test_xian_to_duisburg_offers_russia_and_a_way_round_it(eurasia: corridor.Network) -> None:
    result = corridor.plan(eurasia, Query("Xi'an", "Duisburg", depart=DEPART))
    assert any("RU" in r.countries for r in result.routes)
    assert any("RU" not in r.countries for r in result.routes)
    # Which dominated corridors appear as alternatives depends on the emission factors; the
    # Middle Corridor must be offered once Russia is avoided.
    no_russia = Constraints(avoid_countries=["RU"])
    middle = corridor.plan(
        eurasia, Query("Xi'an", "Duisburg", depart=DEPART, constraints=no_russia)
    )
    assert any(crosses_caspian(r) for r in middle.routes)
    assert result.pareto_routes and all(r.pareto for r in result.pareto_routes)
    assert all(not r.pareto for r in result.alternatives)


def test_the_classic_rail_route_is_in_the_pareto_set(eurasia: corridor.Network) -> None:
    result = corridor.plan(eurasia, Query("Xi'an", "Duisburg", depart=DEPART))
    rail = [r for r in result.pareto_routes if r.modes == ("rail",)]
    assert rail, [r.modes for r in result.routes]
    route = rail[0]
    assert "RU" in route.countries and "BY" in route.countries and "PL" in route.countries
    kinds = [leg.detail for leg in route.legs if leg.kind == "transfer"]
    assert sum("gauge change" in k for k in kinds) == 2  # 1435->1520 in KZ, 1520->1435 in PL
    # calibration (K1): 12-14 days standard, about 9,900 km; a loose price band (the ERA index,
    # USD 3,240/FEU, prices only the 1520 mm section: calibration row K5)
    assert 10 <= route.transit_days <= 18
    assert 9000 <= route.distance_km <= 11000
    assert 2000 <= route.cost_usd <= 5000


def test_avoiding_russia_leaves_only_caspian_overland_routes(eurasia: corridor.Network) -> None:
    query = Query(
        "Xi'an", "Duisburg", depart=DEPART, constraints=Constraints(avoid_countries=["RU"])
    )
    result = corridor.plan(eurasia, query)
    assert result.routes
    for route in result.routes:
        assert "RU" not in route.countries
        assert all(eurasia.node(n).country != "RU" for n in route.nodes)
        if "sea" not in route.modes:
            assert crosses_caspian(route)
    assert any(crosses_caspian(r) for r in result.routes)


def _border_hours(route: corridor.Route, a: str, b: str) -> float:
    return sum(
        leg.hours
        for leg in route.legs
        if leg.kind == "border"
        and {eurasia_country(leg.from_node), eurasia_country(leg.to_node)} == {a, b}
    )


def eurasia_country(node_id: str) -> str:
    return node_id.split("_")[0]


def test_agricultural_goods_clear_the_china_kazakhstan_border_faster(
    eurasia: corridor.Network,
) -> None:
    def fastest(commodity: str, mode: str) -> corridor.Route:
        others = [m for m in ("rail", "road", "sea", "ferry") if m != mode]
        query = Query(
            "Urumqi",
            "Almaty",
            depart=DEPART,
            commodity=commodity,
            criteria=("time",),
            alternatives=0,
            constraints=Constraints(avoid_modes=others),
        )
        return corridor.plan(eurasia, query).routes[0]

    for mode in ("rail", "road"):
        general, agri = fastest("general", mode), fastest("agri", mode)
        assert _border_hours(agri, "CN", "KZ") < _border_hours(general, "CN", "KZ")
        assert agri.transit_hours < general.transit_hours
        lanes = [leg for leg in agri.legs if leg.kind == "border" and "green lane" in leg.detail]
        assert lanes


def test_crude_oil_reaches_alashankou_by_pipeline(eurasia: corridor.Network) -> None:
    result = corridor.plan(
        eurasia,
        Query(
            "Atasu",
            "Alashankou",
            depart=DEPART,
            commodity="crude_oil",
            cargo=corridor.Cargo(tonnes=50_000),
        ),
    )
    assert result.routes
    for route in result.routes:
        assert route.modes == ("pipeline",)
        assert route.countries == ("KZ", "CN")
    assert result.tonnes == 50_000


def test_natural_gas_cannot_leave_the_pipeline_network(eurasia: corridor.Network) -> None:
    with pytest.raises(NoRouteError, match="natural_gas"):
        corridor.plan(eurasia, Query("Gedaim", "Duisburg", commodity="natural_gas", depart=DEPART))


node_ids = st.sampled_from(sorted(corridor.load_network().node_index))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    origin=node_ids, destination=node_ids, commodity=st.sampled_from(("general", "agri", "reefer"))
)
def test_containers_never_use_a_pipeline(
    eurasia: corridor.Network, origin: str, destination: str, commodity: str
) -> None:
    if origin == destination:
        return
    try:
        result = corridor.plan(
            eurasia, Query(origin, destination, depart=DEPART, commodity=commodity)
        )
    except NoRouteError:
        # no route must mean no chain of container links and transfers at all (networkx)
        assert not reachable(eurasia, origin, destination, commodity)
        return
    for route in result.routes:
        assert "pipeline" not in route.modes
        assert all(leg.mode != "pipeline" for leg in route.legs)


def test_the_same_query_gives_the_same_answer(eurasia: corridor.Network) -> None:
    query = Query("Chongqing", "Hamburg", depart=DEPART)
    first = corridor.plan(eurasia, query).to_dict()
    second = corridor.plan(eurasia, query).to_dict()
    assert first == second


def test_max_transfers_is_respected(eurasia: corridor.Network) -> None:
    query = Query("Almaty", "Duisburg", depart=DEPART, constraints=Constraints(max_transfers=1))
    for route in corridor.plan(eurasia, query).routes:
        assert sum(leg.kind == "transfer" for leg in route.legs) <= 1


def test_avoiding_a_crossing_by_id_removes_it(eurasia: corridor.Network) -> None:
    crossing = next(c.crossing_id for c in eurasia.crossings if "Dostyk" in c.name)
    query = Query("Xi'an", "Duisburg", depart=DEPART, constraints=Constraints(avoid=[crossing]))
    for route in corridor.plan(eurasia, query).routes:
        assert crossing not in route.corridor


def test_a_constraint_that_removes_every_route_is_named(eurasia: corridor.Network) -> None:
    query = Query(
        "Xi'an", "Duisburg", depart=DEPART, constraints=Constraints(avoid_modes=["rail", "road"])
    )
    with pytest.raises(NoRouteError, match="--avoid-mode"):
        corridor.plan(eurasia, query)


def test_avoiding_the_origin_country_is_a_query_error(eurasia: corridor.Network) -> None:
    with pytest.raises(QueryError, match="Xi'an"):
        corridor.plan(
            eurasia, Query("Xi'an", "Duisburg", constraints=Constraints(avoid_countries=["CN"]))
        )


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: Query("A", "B", criteria=("speed",)), "criteria"),
        (lambda: corridor.Cargo(containers=0), "cargo.containers"),
        (lambda: corridor.Cargo(size_ft=30), "cargo.size_ft"),
        (lambda: Constraints(avoid_countries=["Russia"]), "constraints.avoid_countries"),
        (lambda: Constraints(avoid_modes=["air"]), "constraints.avoid_modes"),
        (lambda: Query("A", "B", alternatives=-1), "alternatives"),
    ],
)
def test_bad_query_fields_name_the_field(make: object, field: str) -> None:
    with pytest.raises(QueryError) as info:
        make()  # type: ignore[operator]
    assert info.value.field == field


def test_unknown_commodity_is_a_query_error(eurasia: corridor.Network) -> None:
    with pytest.raises(QueryError, match="commodity"):
        corridor.plan(eurasia, Query("Xi'an", "Duisburg", commodity="coal"))
