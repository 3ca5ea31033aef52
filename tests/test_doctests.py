"""The examples in the public functions' docstrings run and give what they show."""

from __future__ import annotations

import doctest
import importlib

import pytest

PUBLIC = [
    "corridor",
    "corridor.facade",
    "corridor.frames",
    "corridor.network.places",
    "corridor.network.countries",
    "corridor.network.lines",
    "corridor.routing.understood",
    "corridor.routing.clock",
    "corridor.reliability.summary",
    "corridor.cli.tables",
    "corridor.assignment.result",
    "corridor.batch.parquet",
]


@pytest.mark.parametrize("name", PUBLIC)
def test_docstring_examples_pass(name: str) -> None:
    module = importlib.import_module(name)
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    outcome = doctest.testmod(module, optionflags=flags, verbose=False)
    assert outcome.attempted > 0, f"{name} has no examples"
    assert outcome.failed == 0
