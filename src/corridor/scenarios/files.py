"""Scenario files: TOML read into a `Scenario`, with every problem reported at once.

A file has `name`, `description` and an ordered array of `[[change]]` tables, each with a `type`
and that type's keys (docs/scenarios.md). Problems name the file, the line of the change's
`[[change]]` header (TOML), the key (`change[2].crossing`) and what was expected. With a network
given, each change is also applied in turn, so unknown ids and values that would break the
network are reported as well.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corridor.errors import InputFileError, Problem, ScenarioError
from corridor.network import limits as L
from corridor.network.model import Network
from corridor.network.records import CrossingRule, Link, Provenance, Service
from corridor.network.tables import load_toml
from corridor.network.tables import text as plain_text
from corridor.scenarios.apply import apply_step
from corridor.scenarios.model import (
    AddLink,
    AddService,
    Change,
    ChangeLink,
    ChangeService,
    ChangeTariff,
    CloseBorder,
    CloseCountry,
    CloseCrossing,
    CloseLink,
    CloseNode,
    ClosePassage,
    OpenLink,
    ScaleDwell,
    Scenario,
    SetDwell,
)
from corridor.scenarios.transforms import headway_departures, weekly_departures

TOP_KEYS = ("name", "description", "change")
_HEADER = re.compile(r"^\s*\[\[\s*change\s*\]\]")


class _Invalid(Exception):
    """A key's value is unusable; the reader records it and moves on to the next change."""

    def __init__(self, key: str, value: Any, message: str) -> None:
        super().__init__(message)
        self.key, self.value, self.message = key, value, message


@dataclass
class _Table:
    """One `[[change]]` table; typed getters record which keys were read."""

    data: dict[str, Any]
    used: set[str] = field(default_factory=set)

    def get(self, key: str, kind: str, *, required: bool = False, default: Any = None) -> Any:
        self.used.add(key)
        if key not in self.data:
            if required:
                raise _Invalid(key, None, f"missing; expected {kind}")
            return default
        value = self.data[key]
        checks: dict[str, Callable[[Any], bool]] = {
            "a string": lambda v: isinstance(v, str) and bool(v.strip()),
            "a number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
            "a whole number": lambda v: isinstance(v, int) and not isinstance(v, bool),
            "true or false": lambda v: isinstance(v, bool),
            "a list of strings": lambda v: (
                isinstance(v, list) and all(isinstance(x, str) for x in v)
            ),
            "a table": lambda v: isinstance(v, dict),
        }
        if not checks[kind](value):
            raise _Invalid(key, value, f"expected {kind}")
        if kind == "a number":
            return _in_range(key, float(value))
        if kind == "a string":
            try:
                plain_text(value)
            except ValueError as exc:
                raise _Invalid(key, None, f"expected {exc}") from None
        if kind == "a list of strings":
            return tuple(value)
        return value

    def text(self, key: str, *, required: bool = True) -> Any:
        return self.get(key, "a string", required=required)

    def number(self, key: str, *, required: bool = False) -> Any:
        return self.get(key, "a number", required=required)

    def names(self, key: str) -> tuple[str, ...]:
        """A string or a list of strings (closures take several ids at once)."""
        value = self.data.get(key)
        if isinstance(value, str):
            return (self.text(key),)
        names: tuple[str, ...] = self.get(key, "a list of strings", required=True)
        if not names:
            raise _Invalid(key, value, "expected at least one id")
        return names

    def provenance(self) -> Provenance:
        self.used.add("source")
        source = self.data.get("source", ())
        sources = (source,) if isinstance(source, str) else self.get("source", "a list of strings")
        note = self.get("note", "a string", default="")
        return Provenance(
            tuple(sources or ("scenario",)),
            self.get("estimate", "true or false", default=True),
            note,
        )


# The range of every number a change may give (docs/scenarios.md); the transforms check what
# the values make of the network (a speed within its mode's limit, a dwell within a year).
_HOURS = (0.0, L.HOURS_PER_YEAR)
RANGES: dict[str, tuple[float, float]] = {
    "frequency_factor": L.FREQUENCY_FACTOR,
    "factor": L.SCALE_FACTOR,
    "speed_factor": L.SPEED_FACTOR,
    "capacity_factor": L.CAPACITY_FACTOR,
    "median_h": _HOURS,
    "p90_h": _HOURS,
    "dwell_median_h": _HOURS,
    "dwell_p90_h": _HOURS,
    "duration_h": L.DURATION_H,
    "headway_h": L.HEADWAY_H,
    "offset_h": (0.0, L.HEADWAY_H[1]),
    "distance_km": L.DISTANCE_KM,
    "speed_kmh": (0.0, max(L.MAX_SPEED_KMH.values())),
    "tariff_usd_per_feu_km": L.TARIFF_PER_FEU_KM,
    "tariff_usd_per_feu": L.TARIFF_PER_FEU,
    "tariff_usd_per_t_km": L.TARIFF_PER_T_KM,
    "fee_usd_per_feu": L.TARIFF_PER_FEU,
    "capacity_teu_per_week": L.CAPACITY_TEU_PER_WEEK,
    "capacity_t_per_week": L.CAPACITY_T_PER_WEEK,
}


def _in_range(key: str, value: float) -> float:
    """A finite number within its key's range (no range known: any finite number)."""
    if not math.isfinite(value):
        raise _Invalid(key, value, "expected a finite number")
    low, high = RANGES.get(key, (-math.inf, math.inf))
    if not low <= value <= high:
        raise _Invalid(key, value, f"expected a number between {low:g} and {high:g}")
    return value


def _closures(t: _Table, key: str, make: Callable[[str], Change]) -> list[Change]:
    return [make(name) for name in t.names(key)]


def _close_border(t: _Table) -> list[Change]:
    countries = t.get("countries", "a list of strings", required=True)
    if len(countries) != 2:
        raise _Invalid("countries", list(countries), "expected two ISO2 codes, e.g. ['PL', 'BY']")
    return [CloseBorder(countries[0], countries[1])]


def _direction(t: _Table) -> str | None:
    direction: str | None = t.get("direction", "a string")
    if direction is not None and direction not in ("forward", "reverse"):
        raise _Invalid("direction", direction, "expected forward or reverse (omit for both)")
    return direction


def _scale_dwell(t: _Table) -> list[Change]:
    return [
        ScaleDwell(
            crossing_id,
            t.number("factor", required=True),
            commodity=t.text("commodity", required=False),
            direction=_direction(t),
        )
        for crossing_id in t.names("crossing")
    ]


def _set_dwell(t: _Table) -> list[Change]:
    return [
        SetDwell(
            crossing_id,
            median_h=t.number("median_h", required=True),
            p90_h=t.number("p90_h"),
            commodity=t.text("commodity", required=False),
            direction=_direction(t),
            green_lane=t.get("green_lane", "true or false"),
            fee_usd_per_feu=t.number("fee_usd_per_feu"),
        )
        for crossing_id in t.names("crossing")
    ]


def _add_link(t: _Table) -> list[Change]:
    link_id = t.text("link_id")
    mode = t.text("mode")
    distance = t.number("distance_km", required=True)
    speed, duration = t.number("speed_kmh"), t.number("duration_h")
    if (speed is None) == (duration is None):
        raise _Invalid("speed_kmh", speed, "give exactly one of speed_kmh and duration_h")
    if speed is not None and speed <= 0:
        raise _Invalid("speed_kmh", speed, "expected a speed > 0")
    gauge = t.get("gauge_mm", "a whole number")
    provenance = t.provenance()
    link = Link(
        link_id=link_id,
        from_node=t.text("from_node"),
        to_node=t.text("to_node"),
        mode=mode,
        gauge_mm=gauge,
        distance_km=distance,
        duration_h=duration if duration is not None else distance / speed,
        bidirectional=t.get("bidirectional", "true or false", default=True),
        energy_carrier=t.text("energy_carrier"),
        tariff_usd_per_feu_km=t.number("tariff_usd_per_feu_km") or 0.0,
        tariff_usd_per_feu=t.number("tariff_usd_per_feu") or 0.0,
        tariff_usd_per_t_km=t.number("tariff_usd_per_t_km") or 0.0,
        capacity_teu_per_week=t.number("capacity_teu_per_week"),
        capacity_t_per_week=t.number("capacity_t_per_week"),
        commodities=t.get("commodities", "a list of strings", default=("*",)),
        passages=t.get("passages", "a list of strings", default=()),
        provenance=provenance,
    )
    crossings: tuple[CrossingRule, ...] = ()
    spec = t.get("crossing", "a table")
    if spec is not None:
        c = _Table(spec)
        try:
            crossing_id, name = c.text("id"), c.text("name")
            median, p90 = c.number("dwell_median_h", required=True), c.number("dwell_p90_h")
            lane = c.get("green_lane", "true or false", default=False)
            fee = c.number("fee_usd_per_feu") or 0.0
            extra = sorted(set(spec) - c.used)
        except _Invalid as exc:
            raise _Invalid(f"crossing.{exc.key}", exc.value, exc.message) from None
        if extra:
            raise _Invalid(f"crossing.{extra[0]}", None, "unknown key")
        if median < 0 or (p90 is not None and p90 < median):
            raise _Invalid("crossing.dwell_p90_h", p90, "expected 0 <= dwell_median_h <= P90")
        directions = ("forward", "reverse") if link.bidirectional else ("forward",)
        crossings = tuple(
            CrossingRule(
                crossing_id,
                name,
                link_id,
                d,  # type: ignore[arg-type]
                "general",
                median,
                median if p90 is None else p90,
                lane,
                fee,
                provenance,
            )
            for d in directions
        )
    return [AddLink(link, crossings)]


_LINK_FIGURES = (
    "distance_km",
    "duration_h",
    "speed_kmh",
    "speed_factor",
    "tariff_usd_per_feu_km",
    "tariff_usd_per_feu",
    "tariff_usd_per_t_km",
    "capacity_teu_per_week",
    "capacity_t_per_week",
    "capacity_factor",
)


def _change_link(t: _Table) -> list[Change]:
    figures = {key: t.number(key) for key in _LINK_FIGURES}
    if all(v is None for v in figures.values()):
        raise _Invalid("link", None, "give at least one of " + ", ".join(_LINK_FIGURES))
    return [ChangeLink(link_id, **figures) for link_id in t.names("link")]


def _change_tariff(t: _Table) -> list[Change]:
    def listed(key: str) -> tuple[str, ...]:
        return t.names(key) if key in t.data else ()

    return [
        ChangeTariff(
            t.number("factor", required=True),
            links=listed("links"),
            modes=listed("modes"),
            countries=listed("countries"),
        )
    ]


def _timetable(t: _Table) -> tuple[str, tuple[float, ...]]:
    """(kind, departures) from headway_h [+ offset_h] or weekdays + departure_utc."""
    headway, weekdays = t.number("headway_h"), t.get("weekdays", "a list of strings")
    offset = t.number("offset_h") or 0.0
    departure = t.get("departure_utc", "a string")
    try:
        if headway is not None and weekdays is None:
            return "headway", headway_departures(headway, offset)
        if weekdays is not None and headway is None:
            if departure is None:
                raise _Invalid("departure_utc", None, "weekly timetables need HH:MM (UTC)")
            return "weekly", weekly_departures(weekdays, departure)
    except ScenarioError as exc:
        raise _Invalid(exc.field, t.data.get(exc.field), exc.message) from None
    raise _Invalid("headway_h", headway, "give either headway_h or weekdays + departure_utc")


def _add_service(t: _Table) -> list[Change]:
    direction = t.get("direction", "a string", default="both")
    if direction not in ("forward", "reverse", "both"):
        raise _Invalid("direction", direction, "expected forward, reverse or both")
    kind, departures = _timetable(t)
    return [
        AddService(
            Service(
                service_id=t.text("service_id"),
                link_id=t.text("link"),
                direction=direction,
                kind=kind,  # type: ignore[arg-type]
                departures_h=departures,
                operator=t.get("operator", "a string", default=""),
                provenance=t.provenance(),
            )
        )
    ]


def _change_service(t: _Table) -> list[Change]:
    factor = t.number("frequency_factor")
    if factor is not None:
        if factor <= 0:
            raise _Invalid("frequency_factor", factor, "expected a factor > 0")
        return [ChangeService(s, frequency_factor=factor) for s in t.names("service")]
    kind, _ = _timetable(t)  # checks the timetable keys here, where the line is known
    if kind == "headway":
        return [
            ChangeService(s, headway_h=t.number("headway_h"), offset_h=t.number("offset_h") or 0.0)
            for s in t.names("service")
        ]
    return [
        ChangeService(
            s,
            weekdays=t.get("weekdays", "a list of strings"),
            departure_utc=t.text("departure_utc"),
        )
        for s in t.names("service")
    ]


READERS: dict[str, Callable[[_Table], list[Change]]] = {
    "close_link": lambda t: _closures(t, "link", CloseLink),
    "open_link": lambda t: _closures(t, "link", OpenLink),
    "close_node": lambda t: _closures(t, "node", CloseNode),
    "close_crossing": lambda t: _closures(t, "crossing", CloseCrossing),
    "close_border": _close_border,
    "close_country": lambda t: _closures(t, "country", CloseCountry),
    "close_passage": lambda t: _closures(t, "passage", ClosePassage),
    "scale_dwell": _scale_dwell,
    "set_dwell": _set_dwell,
    "add_link": _add_link,
    "change_link": _change_link,
    "change_tariff": _change_tariff,
    "add_service": _add_service,
    "change_service": _change_service,
}
_COMMON_KEYS = {"type", "note"}


def _parse(path: Path) -> tuple[dict[str, Any], list[int | None]]:
    """The file's data and the line of each `[[change]]` header."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputFileError(
            str(path), [Problem(path.name, None, None, None, f"cannot read the file: {exc}")]
        ) from None
    try:
        data = load_toml(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputFileError(
            str(path), [Problem(path.name, None, None, None, f"not valid TOML: {exc}")]
        ) from None
    lines = [n for n, line in enumerate(text.splitlines(), start=1) if _HEADER.match(line)]
    return data, list(lines)


def load_scenario(path: str | Path, network: Network | None = None) -> Scenario:
    """Read and check a scenario file; with `network`, also check that every change applies.

    Raises `InputFileError` listing every problem (file, line, key, what was expected).
    """
    file = Path(path)
    data, header_lines = _parse(file)
    problems: list[Problem] = []

    def problem(line: int | None, key: str | None, value: Any, message: str) -> None:
        shown = None if value is None else str(value)
        problems.append(Problem(file.name, line, key, shown, message))

    for key in sorted(set(data) - set(TOP_KEYS)):
        problem(None, key, None, f"unknown key; expected {', '.join(TOP_KEYS)}")
    name = data.get("name", file.stem)
    if not isinstance(name, str) or not name.strip():
        problem(None, "name", name, "expected a string")
    description = data.get("description", "")
    if not isinstance(description, str):
        problem(None, "description", description, "expected a string")
    for key, value in (("name", name), ("description", description)):
        try:
            plain_text(value if isinstance(value, str) else "")
        except ValueError as exc:
            problem(None, key, None, f"expected {exc}")
    tables = data.get("change", [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        problem(None, "change", None, "expected [[change]] tables")
        tables = []

    changes: list[tuple[int, Change]] = []
    for i, raw in enumerate(tables, start=1):
        line = header_lines[i - 1] if i - 1 < len(header_lines) else None
        where = f"change[{i}]"
        kind = raw.get("type")
        reader = READERS.get(kind) if isinstance(kind, str) else None
        if reader is None:
            problem(line, f"{where}.type", kind, "expected one of " + ", ".join(READERS))
            continue
        table = _Table(raw, used=set(_COMMON_KEYS))
        try:
            if raw.get("note") != "":  # any change may carry a note: text like the rest
                table.get("note", "a string")
            made = reader(table)
        except _Invalid as exc:
            problem(line, f"{where}.{exc.key}", exc.value, exc.message)
            continue
        for key in sorted(set(raw) - table.used):
            problem(line, f"{where}.{key}", None, f"unknown key for {kind}")
        changes += [(i, c) for c in made]

    if network is not None and not problems:
        current = network
        for i, change in changes:
            line = header_lines[i - 1] if i - 1 < len(header_lines) else None
            try:
                current = apply_step(network, current, change)
            except ScenarioError as exc:
                key = _key_of(str(tables[i - 1].get("type")), exc.field)
                problem(line, f"change[{i}].{key}", None, exc.message)
    if problems:
        raise InputFileError(str(file), problems)
    return Scenario(
        name=str(name), description=str(description), changes=tuple(c for _, c in changes)
    )


def _key_of(kind: str, field: str) -> str:
    """The file's key for a transform's argument name (close_link's link_id is `link`)."""
    if kind == "add_link":
        return field
    if kind == "add_service":
        return "link" if field == "link_id" else field
    renamed = {"link_id": "link", "node_id": "node", "crossing_id": "crossing"}
    return renamed.get(field, "service" if field == "service_id" else field)


__all__ = ["READERS", "load_scenario"]
