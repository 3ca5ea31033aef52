"""Routes and legs as JSON-ready dicts."""

from __future__ import annotations

from datetime import UTC, datetime

from corridor.routing.result import Leg, Route

T0 = datetime(2026, 12, 1, 8, 30, tzinfo=UTC)
T1 = datetime(2026, 12, 2, 9, 45, 12, tzinfo=UTC)


def _leg() -> Leg:
    return Leg("move", "A", "B", "rail", T0, T1, 25.2533, 812.34, 1234.567, 98.765, 80.1, "r", "L")


def test_a_leg_dict_is_fresh_each_call_and_keeps_its_values() -> None:
    leg = _leg()
    first = leg.to_dict()
    first["hours"] = -1
    first.pop("ref")
    again = leg.to_dict()
    assert again["hours"] == 25.253 and again["ref"] == "L"
    assert again["depart"] == "2026-12-01T08:30:00Z" and again["arrive"] == "2026-12-02T09:45:12Z"
    assert again is not leg.to_dict()


def test_a_route_dict_without_legs_is_the_full_dict_less_its_legs() -> None:
    leg = _leg()
    route = Route(
        pareto=True,
        corridor=(),
        depart=T0,
        arrive=T1,
        transit_hours=25.2533,
        cost_usd=1234.567,
        co2e_kg=98.765,
        co2e_ttw_kg=80.1,
        distance_km=812.34,
        transfers=0,
        countries=("CN",),
        modes=("rail",),
        nodes=("A", "B"),
        legs=(leg,),
    )
    full = route.to_dict()
    assert full.pop("legs") == [leg.to_dict()]
    assert route.to_dict(legs=False) == full
    assert leg == _leg()  # the cached dict takes no part in equality
