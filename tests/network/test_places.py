"""Place search: ids and names, case-, accent- and punctuation-insensitive, tolerant of typos."""

from __future__ import annotations

import pytest

import corridor
from corridor.errors import AmbiguousPlaceError, UnknownPlaceError
from corridor.network.places import normalize, resolve_place


@pytest.mark.parametrize(
    ("query", "node_id"),
    [
        ("Xian", "CN_XIA"),
        ("xi'an", "CN_XIA"),
        ("XI’AN", "CN_XIA"),
        ("CN_XIA", "CN_XIA"),
        ("cn_xia", "CN_XIA"),
        ("Duisburg", "DE_DUI"),
        ("Duisbrug", "DE_DUI"),
        ("Lodz", "PL_LDZ"),
        ("Łódź", "PL_LDZ"),
        ("Malaszewicze", "PL_MAL"),
        ("Constanta", "RO_CND"),
        ("Alma-Ata", "KZ_ALA"),
        ("almaty", "KZ_ALA"),
    ],
)
def test_place_names_resolve_to_one_node(
    eurasia: corridor.Network, query: str, node_id: str
) -> None:
    assert resolve_place(eurasia, query).node_id == node_id


def test_normalize_folds_case_accents_and_apostrophes() -> None:
    assert normalize("Xi'an") == "xian"
    assert normalize("  ŁÓDŹ ") == "lodz"
    assert normalize("Constanța") == "constanta"


def test_an_ambiguous_name_lists_the_candidates(eurasia: corridor.Network) -> None:
    with pytest.raises(AmbiguousPlaceError) as info:
        resolve_place(eurasia, "Port")
    assert len(info.value.candidates) >= 2
    assert all("_" in c for c in info.value.candidates)  # ids are shown so the user can pick


def test_an_unknown_name_suggests_close_ones(eurasia: corridor.Network) -> None:
    with pytest.raises(UnknownPlaceError) as info:
        resolve_place(eurasia, "Atlantis")
    assert "no place matches 'Atlantis'" in str(info.value)


def test_find_places_ranks_exact_matches_first(eurasia: corridor.Network) -> None:
    matches = corridor.find_places(eurasia, "Aktau")
    assert matches[0].node.node_id == "KZ_AKU"
    assert matches[0].score == 100
