"""Per-leg lognormals fitted to median and P90, and the mapping of a route's legs onto the graph."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from statistics import NormalDist

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

import corridor
from corridor.errors import CorridorError
from corridor.reliability.distributions import (
    Z90,
    RouteModel,
    lognormal_quantile,
    lognormal_sigma,
    route_model,
)


def test_z90_is_the_standard_normal_ninety_percent_quantile() -> None:
    assert pytest.approx(NormalDist().inv_cdf(0.9), abs=1e-12) == Z90


@settings(max_examples=50)
@given(
    median=st.floats(0.01, 1000.0),
    ratio=st.floats(1.0001, 30.0),
)
def test_fitted_lognormal_has_the_given_median_and_p90(median: float, ratio: float) -> None:
    sigma = float(lognormal_sigma(np.array([median]), np.array([median * ratio]))[0])
    fitted = stats.lognorm(s=sigma, scale=median)  # scipy's independent parametrisation
    assert fitted.ppf(0.5) == pytest.approx(median, rel=1e-9)
    assert fitted.ppf(0.9) == pytest.approx(median * ratio, rel=1e-9)
    assert lognormal_quantile(median, sigma, 0.9) == pytest.approx(median * ratio, rel=1e-9)


def test_no_spread_or_no_median_means_a_fixed_duration() -> None:
    sigma = lognormal_sigma(np.array([5.0, 0.0, 3.0]), np.array([5.0, 4.0, 2.0]))
    assert sigma.tolist() == [0.0, 0.0, 0.0]


def test_route_model_times_borders_for_the_route_commodity(eurasia: corridor.Network) -> None:
    query = corridor.Query("Almaty", "Urumqi", depart=datetime(2026, 12, 1), alternatives=0)
    general = corridor.plan(eurasia, query).routes[0]
    agri = corridor.plan(eurasia, dataclasses.replace(query, commodity="agri")).routes[0]
    borders = [i for i, leg in enumerate(general.legs) if leg.kind == "border"]
    assert borders, "the route crosses into China"
    g_model, a_model = route_model(eurasia, general), route_model(eurasia, agri)
    # one step per leg that is not a wait, with the planner's median hours
    for route, model in ((general, g_model), (agri, a_model)):
        steps = [leg for leg in route.legs if leg.kind != "wait"]
        assert model.n_steps == len(steps)
        for step, leg in zip(range(model.n_steps), steps, strict=True):
            if leg.kind != "move" or model.schedule[step] < 0:
                assert model.median[step] == pytest.approx(leg.hours, abs=1e-6)

    def border_medians(route: corridor.Route, model: RouteModel) -> list[float]:
        steps = [leg for leg in route.legs if leg.kind != "wait"]
        return [
            float(m) for m, leg in zip(model.median, steps, strict=True) if leg.kind == "border"
        ]

    assert sum(border_medians(agri, a_model)) < sum(border_medians(general, g_model))


def test_a_route_from_another_network_is_refused_with_the_missing_leg(
    eurasia: corridor.Network,
) -> None:
    route = corridor.plan(
        eurasia, corridor.Query("Kuryk", "Alat", depart=datetime(2026, 12, 1), alternatives=0)
    ).routes[0]
    move = next(leg for leg in route.legs if leg.kind == "move")
    renamed = f"{move.ref}_renamed"

    def rename(link_id: str) -> str:
        return renamed if link_id == move.ref else link_id

    other = dataclasses.replace(
        eurasia,
        links=tuple(dataclasses.replace(lk, link_id=rename(lk.link_id)) for lk in eurasia.links),
        crossings=tuple(
            dataclasses.replace(c, link_id=rename(c.link_id)) for c in eurasia.crossings
        ),
        services=tuple(dataclasses.replace(s, link_id=rename(s.link_id)) for s in eurasia.services),
    )
    with pytest.raises(CorridorError, match=move.ref):
        route_model(other, route)
