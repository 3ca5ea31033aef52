"""`NetworkSpec`: how a worker process opens the network to work on (a path plus scenarios).

A `Network` is not shipped to workers; this small picklable recipe is, and each process opens
the network once and keeps it. The cache key includes the files' modification times, so a
long-lived worker never serves a network from a scenario file that has since changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from corridor.network.loader import bundled_path, load_network
from corridor.network.model import Network

_Stamp = tuple[str, int, int]


@dataclass(frozen=True)
class NetworkSpec:
    """A network package folder (`None`: the bundled one) and scenario files applied in order."""

    path: str | None = None
    scenarios: tuple[str, ...] = ()

    def open(self) -> Network:
        """The network with every scenario applied; cached per process (up to 4 packages and 8
        scenario recipes)."""
        folder = Path(self.path) if self.path is not None else bundled_path()
        if not self.scenarios:
            return _package(self.path, _stamp(folder))
        scenario_stamps = tuple(_file_stamp(Path(s)) for s in self.scenarios)
        return _with_scenarios(self.path, self.scenarios, _stamp(folder), scenario_stamps)

    def label(self) -> str:
        """A short name for reports: the scenario file stems, or `baseline`."""
        return "+".join(Path(s).stem for s in self.scenarios) or "baseline"


def _file_stamp(path: Path) -> _Stamp:
    try:
        info = path.stat()
    except OSError:
        return (str(path), -1, -1)
    return (str(path), info.st_mtime_ns, info.st_size)


def _stamp(folder: Path) -> tuple[_Stamp, ...]:
    if not folder.is_dir():
        return (_file_stamp(folder),)
    return tuple(_file_stamp(f) for f in sorted(folder.iterdir()) if f.is_file())


def forget_opened() -> None:
    """Drop the networks with scenarios that `NetworkSpec.open` keeps in this process (the API
    does so after a job whose scenario file was temporary: no later call can name that file
    again). The plain packages stay: the next job reuses them and what was derived from them."""
    _with_scenarios.cache_clear()


@lru_cache(maxsize=4)
def _package(path: str | None, network_stamp: tuple[_Stamp, ...]) -> Network:
    return load_network(path)


@lru_cache(maxsize=8)
def _with_scenarios(
    path: str | None,
    scenarios: tuple[str, ...],
    network_stamp: tuple[_Stamp, ...],
    scenario_stamps: tuple[_Stamp, ...],
) -> Network:
    from corridor.scenarios import apply_scenario, load_scenario

    network = _package(path, network_stamp)
    for file in scenarios:
        network = apply_scenario(network, load_scenario(file, network))
    return network
