"""Optional test dependencies: skipped when missing locally, a failure where CI demands them."""

from __future__ import annotations

import pytest

from optional import require_module

MISSING = "corridor_no_such_module_for_tests"


def test_a_missing_optional_module_skips_locally(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CORRIDOR_REQUIRE_SERVICES", raising=False)
    with pytest.raises(pytest.skip.Exception):
        require_module(MISSING)


def test_a_missing_optional_module_fails_where_services_are_required(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CORRIDOR_REQUIRE_SERVICES", "1")
    with pytest.raises(ModuleNotFoundError):
        require_module(MISSING)


def test_a_present_module_is_returned_either_way(monkeypatch: pytest.MonkeyPatch) -> None:
    for required in ("", "1"):
        monkeypatch.setenv("CORRIDOR_REQUIRE_SERVICES", required)
        assert require_module("json").dumps([1]) == "[1]"
