"""Plain data at the boundaries: every public dataclass of the package is frozen."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil

import corridor

# caches and accumulators filled while they work, never handed to a user as a result
MUTABLE = {"corridor.assignment.columns.PathSink", "corridor.scenarios.optima.Searches"}


def test_every_public_dataclass_is_frozen() -> None:
    checked = 0
    for info in pkgutil.walk_packages(corridor.__path__, "corridor."):
        if info.name.endswith("__main__"):
            continue  # running it starts the CLI
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if (
                name.startswith("_")
                or not inspect.isclass(obj)
                or obj.__module__ != module.__name__
            ):
                continue
            if not dataclasses.is_dataclass(obj) or f"{obj.__module__}.{name}" in MUTABLE:
                continue
            checked += 1
            assert obj.__dataclass_params__.frozen, f"{obj.__module__}.{name} is not frozen"  # type: ignore[attr-defined]
    assert checked > 50  # the walk found the package's types
