"""ISO 14083 accounting: every leg's CO2e recomputed from the factor table, independently."""

from __future__ import annotations

from datetime import datetime

import pytest

import corridor


@pytest.mark.parametrize("size", [20, 40])
def test_leg_emissions_follow_the_factor_table(eurasia: corridor.Network, size: int) -> None:
    cargo = corridor.Cargo(containers=2, size_ft=size)
    result = corridor.plan(
        eurasia, corridor.Query("Chengdu", "Rotterdam", depart=datetime(2026, 12, 1), cargo=cargo)
    )
    tonnes = 2 * (2 if size == 40 else 1) * eurasia.manifest.tonnes_per_teu
    assert result.tonnes == tonnes
    move = {(f.mode, f.energy_carrier): f for f in eurasia.emission_factors if f.activity == "move"}
    hub = {f.mode: f for f in eurasia.emission_factors if f.activity == "hub"}
    kinds = {(t.node_id, frozenset((t.from_layer, t.to_layer))): t.kind for t in eurasia.transfers}
    for route in result.routes:
        for leg in route.legs:
            if leg.kind == "move":
                link = eurasia.link(leg.ref)
                factor = move[(link.mode, link.energy_carrier)]
                assert leg.co2e_kg == pytest.approx(tonnes * link.distance_km * factor.wtw_g / 1000)
                assert leg.co2e_ttw_kg == pytest.approx(
                    tonnes * link.distance_km * factor.ttw_g / 1000
                )
            elif leg.kind == "transfer":
                node, layers = leg.ref.split(":")
                a, b = layers.split(">")
                factor = hub[kinds[(node, frozenset((a, b)))]]
                assert leg.co2e_kg == pytest.approx(tonnes * factor.wtw_g / 1000)
            else:
                assert leg.co2e_kg == 0.0
            assert leg.co2e_ttw_kg <= leg.co2e_kg + 1e-9
        assert route.co2e_kg == pytest.approx(sum(leg.co2e_kg for leg in route.legs))


def test_twenty_foot_boxes_cost_the_manifest_share_of_forty(eurasia: corridor.Network) -> None:
    def cheapest(size: int) -> float:
        q = corridor.Query(
            "Almaty",
            "Hamburg",
            depart=datetime(2026, 12, 1),
            criteria=("cost",),
            cargo=corridor.Cargo(size_ft=size),
            alternatives=0,
        )
        return corridor.plan(eurasia, q).routes[0].cost_usd

    assert cheapest(20) == pytest.approx(cheapest(40) * eurasia.manifest.teu_cost_factor)


def test_emissions_scale_with_the_cargo_mass(eurasia: corridor.Network) -> None:
    def co2(tonnes: float) -> float:
        q = corridor.Query(
            "Almaty",
            "Hamburg",
            depart=datetime(2026, 12, 1),
            criteria=("co2e",),
            cargo=corridor.Cargo(tonnes=tonnes),
            alternatives=0,
        )
        return corridor.plan(eurasia, q).routes[0].co2e_kg

    assert co2(30.0) == pytest.approx(2 * co2(15.0))
