"""The bundled rail lines follow the line-class rule of docs/calibration.md ("Line classes").

Every open rail line inside one class runs at that class's one sourced speed, and a line across
a border between two classes at the harmonic mean of the two (half its length in each).
Kazakhstan has two classes by infrastructure: the single-track western lines listed below and
the mainline class (every other Kazakh line). Hungary has a class of its own since its freight
trains' national average was found (docs/calibration.md, "Central Europe and the Balkans"). The
checks read links.csv and nodes.csv directly; the class speeds are taken from the data, so the
tests pin the rule, not the figures.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from corridor.network.loader import bundled_path

# The classes of the rule, by ISO2 country (docs/calibration.md, "Line classes").
CLASSES: dict[str, frozenset[str]] = {
    "kazakh": frozenset({"KZ"}),
    "russian": frozenset({"RU"}),
    "belarusian": frozenset({"BY"}),
    "central_european": frozenset({"PL", "DE", "CZ", "SK", "AT", "NL", "BE", "IT", "SI", "HR"}),
    "hungarian": frozenset({"HU"}),
    "balkan": frozenset({"RS", "MK", "GR", "BG"}),
    "romanian": frozenset({"RO"}),
    "turkish": frozenset({"TR"}),
}

# Lines given a sourced section running time (duration_h) instead of their class speed
# (docs/calibration.md): Halkalı-Kapıkule, the Turkish ministry's 8.5 h.
SECTION_TIMES = frozenset({"rail_IST_KPK"})


# Kazakh lines of the single-track class (docs/calibration.md: built with crossing loops, or
# judged single-track where no track count was found). Every other Kazakh line is "kazakh".
KAZAKH_SINGLE_TRACK = frozenset(
    {"rail_ZHZ_SAK", "rail_BEY_AKU", "rail_BEY_KUR", "rail_AKU_ZHN", "rail_ZHN_BOL"}
)
# Saksaulskaya-Beyneu: 162 km of double-track Trans-Aral line and 471 km of the new single-track
# Shalkar-Beyneu section (of 633 km), run at the length-weighted harmonic mean of the two.
KAZAKH_MIXED = {"rail_SAK_BEY": (162 / 633, 471 / 633)}


def _rows(name: str) -> list[dict[str, str]]:
    with (Path(bundled_path()) / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _class_of(country: str) -> str | None:
    return next((name for name, members in CLASSES.items() if country in members), None)


def _open_rail_links() -> list[tuple[str, str | None, str | None, float]]:
    """(link id, class of the from end, class of the to end, speed) of every open rail link."""
    country = {r["node_id"]: r["country"] for r in _rows("nodes.csv")}
    out = []
    for r in _rows("links.csv"):
        if r["mode"] != "rail" or r["status"] == "closed" or not r["speed_kmh"]:
            continue
        a, b = _class_of(country[r["from_node"]]), _class_of(country[r["to_node"]])
        if r["link_id"] in KAZAKH_MIXED:
            continue
        if r["link_id"] in KAZAKH_SINGLE_TRACK:
            assert a == b == "kazakh", f"{r['link_id']} is not a Kazakh domestic line"
            a = b = "kazakh_single_track"
        out.append((r["link_id"], a, b, float(r["speed_kmh"])))
    return out


def _class_speeds() -> dict[str, set[float]]:
    speeds: dict[str, set[float]] = {name: set() for name in [*CLASSES, "kazakh_single_track"]}
    for _, a, b, speed in _open_rail_links():
        if a is not None and a == b:
            speeds[a].add(speed)
    return speeds


@pytest.mark.parametrize("name", sorted([*CLASSES, "kazakh_single_track"]))
def test_every_line_inside_a_class_runs_at_one_speed(name: str) -> None:
    speeds = _class_speeds()[name]
    assert len(speeds) == 1, f"class {name}: lines run at {sorted(speeds)} km/h, expected one speed"


def test_every_line_inside_the_classes_gives_a_speed_not_a_running_time() -> None:
    # A line given a duration_h instead of a speed would escape the class rule unnoticed.
    country = {r["node_id"]: r["country"] for r in _rows("nodes.csv")}
    timed = [
        r["link_id"]
        for r in _rows("links.csv")
        if r["mode"] == "rail"
        and r["status"] != "closed"
        and _class_of(country[r["from_node"]]) is not None
        and _class_of(country[r["to_node"]]) is not None
        and not r["speed_kmh"]
        and r["link_id"] not in SECTION_TIMES
    ]
    assert timed == [], f"lines inside the line classes without a class speed: {timed}"


def test_a_line_between_two_classes_runs_at_their_harmonic_mean() -> None:
    speed_of = {name: next(iter(v)) for name, v in _class_speeds().items() if len(v) == 1}
    checked = 0
    for link_id, a, b, speed in _open_rail_links():
        if a is None or b is None or a == b:
            continue
        expected = 2 / (1 / speed_of[a] + 1 / speed_of[b])
        assert speed == pytest.approx(expected, abs=0.01), (
            f"{link_id} ({a}-{b}): {speed} km/h, expected the harmonic mean {expected:.2f}"
        )
        checked += 1
    assert checked >= 5  # Kazakhstan-Russia, Russia-Belarus, Belarus-Poland, Bulgaria-Romania, ...


def test_kazakhstan_has_two_classes_and_the_single_track_one_is_slower() -> None:
    speeds = _class_speeds()
    (mainline,) = speeds["kazakh"]
    (single,) = speeds["kazakh_single_track"]
    assert single < mainline, f"single-track {single} km/h is not slower than mainline {mainline}"


def test_a_line_partly_single_track_runs_at_the_length_weighted_harmonic_mean() -> None:
    speeds = _class_speeds()
    (mainline,) = speeds["kazakh"]
    (single,) = speeds["kazakh_single_track"]
    speed_of = {r["link_id"]: float(r["speed_kmh"]) for r in _rows("links.csv") if r["speed_kmh"]}
    for link_id, (share_main, share_single) in KAZAKH_MIXED.items():
        expected = 1 / (share_main / mainline + share_single / single)
        assert speed_of[link_id] == pytest.approx(expected, abs=0.01), (
            f"{link_id}: {speed_of[link_id]} km/h, expected {expected:.2f}"
        )
