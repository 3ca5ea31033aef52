"""Loading network packages: the bundled one, the fixture, and one clear problem per mistake."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest

import corridor
from corridor.errors import NetworkValidationError, Problem
from corridor.network.loader import bundled_path, validate_network


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture no longer contains {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append(path: Path, line: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")


def problems_of(folder: Path) -> list[Problem]:
    with pytest.raises(NetworkValidationError) as info:
        corridor.load_network(folder)
    return list(info.value.problems)


def test_bundled_network_loads_and_covers_the_corridors(eurasia: corridor.Network) -> None:
    ids = set(eurasia.node_index)
    for node in (
        "CN_XIA",
        "CN_CQG",
        "CN_CTU",
        "CN_ZZH",
        "CN_YIW",
        "CN_LYG",
        "KZ_DOS",
        "KZ_ALT",
        "PL_MAL",
        "DE_DUI",
        "DE_HAM",
        "KZ_AKU",
        "KZ_KUR",
        "AZ_ALT",
        "GE_PTI",
        "GE_BUS",
        "RO_CND",
        "GE_AKH",
        "TR_IST",
        "KZ_ATS",
        "CN_AKS",
        "NL_RTM",
        "CN_SHA",
    ):
        assert node in ids
    modes = {link.mode for link in eurasia.links}
    assert modes == {"rail", "road", "sea", "ferry", "pipeline"}
    passages = {p for link in eurasia.links for p in link.passages}
    assert {"suez", "cape"} <= passages
    assert {t.node_id for t in eurasia.transfers if t.kind == "gauge_change"} >= {
        "KZ_DOS",
        "KZ_ALT",
        "PL_MAL",
        "GE_AKH",
    }


def test_every_bundled_row_names_a_declared_source() -> None:
    net = corridor.load_network()
    declared = {s.id for s in net.manifest.sources}
    groups = (
        net.nodes,
        net.links,
        net.transfers,
        net.crossings,
        net.services,
        net.commodities,
        net.emission_factors,
    )
    for rows in groups:
        for row in rows:
            assert row.provenance.sources
            assert set(row.provenance.sources) <= declared
            if row.provenance.estimate:
                assert row.provenance.note.strip()
    for source in net.manifest.sources:
        assert source.url or source.document
        assert 1990 <= source.year <= 2027


def test_bundled_package_has_no_problems() -> None:
    assert validate_network(bundled_path()) == []


def test_network_arrays_are_read_only(eurasia: corridor.Network) -> None:
    with pytest.raises(ValueError):
        eurasia.graph.hours[0] = 1.0


Mutation = Callable[[Path], None]

CASES: list[tuple[str, Mutation, str, int | None, str | None, str]] = [
    (
        "unknown node id",
        lambda d: edit(d / "links.csv", "L3,BB_C,BB_D", "L3,BB_C,ZZ_Z"),
        "links.csv",
        4,
        "to_node",
        "unknown node id",
    ),
    (
        "negative distance",
        lambda d: edit(d / "links.csv", "1435,100,50", "1435,-100,50"),
        "links.csv",
        2,
        "distance_km",
        "expected a number > 0",
    ),
    (
        "bad country code",
        lambda d: edit(d / "nodes.csv", "Alfa,AA,", "Alfa,Aa1,"),
        "nodes.csv",
        2,
        "country",
        "ISO 3166-1 alpha-2",
    ),
    (
        "duplicate id",
        lambda d: append(d / "nodes.csv", "AA_A,Again,,AA,city,40,60,test,false,"),
        "nodes.csv",
        7,
        "node_id",
        "duplicate id",
    ),
    (
        "service on a missing link",
        lambda d: edit(d / "services.csv", "FERRY_DE,L4", "FERRY_DE,L9"),
        "services.csv",
        2,
        "link_id",
        "link that does not exist",
    ),
    (
        "link no commodity may use",
        lambda d: edit(d / "links.csv", ",,crude,", ",,general,"),
        "links.csv",
        7,
        "commodities",
        "no commodity may use",
    ),
    (
        "disconnected node",
        lambda d: append(d / "nodes.csv", "DD_F,Foxtrot,,DD,city,40,70,test,false,"),
        "nodes.csv",
        7,
        "node_id",
        "disconnected node",
    ),
    (
        "border link without a crossing row",
        lambda d: edit(
            d / "crossings.csv",
            "AC_ROAD,Alpha–Echo road,L5,reverse,general,8,48,false,100,test,false,\n",
            "",
        ),
        "crossings.csv",
        None,
        "link_id",
        "has no 'general' crossing row",
    ),
    (
        "unknown source id",
        lambda d: edit(d / "nodes.csv", "40.0,60.0,test,", "40.0,60.0,nope,"),
        "nodes.csv",
        2,
        "source",
        "unknown source id",
    ),
    (
        "estimate without a note",
        lambda d: edit(d / "nodes.csv", "40.0,60.0,test,false,", "40.0,60.0,test,true,"),
        "nodes.csv",
        2,
        "note",
        "must say in its note",
    ),
    (
        "rail link without gauge",
        lambda d: edit(d / "links.csv", "rail,1435,100", "rail,,100"),
        "links.csv",
        2,
        "gauge_mm",
        "need a track gauge",
    ),
    (
        "speed and duration both given",
        lambda d: edit(d / "links.csv", "10,,1,true", "10,5,1,true"),
        "links.csv",
        3,
        "speed_kmh",
        "exactly one of",
    ),
    (
        "transfer to a layer absent at the node",
        lambda d: edit(d / "transfers.csv", "BB_C,rail_1435,rail_1520", "BB_C,rail_1435,sea"),
        "transfers.csv",
        2,
        "to_layer",
        "no link of this layer",
    ),
    (
        "headway that does not repeat weekly",
        lambda d: edit(d / "services.csv", "both,weekly,Mon;Thu,12:00,,", "both,headway,,,25,"),
        "services.csv",
        2,
        "headway_h",
        "divides 168",
    ),
    (
        "bad departure time",
        lambda d: edit(d / "services.csv", "12:00", "25:00"),
        "services.csv",
        2,
        "departure_utc",
        "HH:MM",
    ),
    (
        "tank-to-wheel above well-to-wheel",
        lambda d: edit(d / "emission_factors.csv", "diesel,100,80", "diesel,100,180"),
        "emission_factors.csv",
        3,
        "ttw_g_per_tkm",
        "cannot exceed",
    ),
    (
        "missing emission factor",
        lambda d: edit(d / "emission_factors.csv", "move,ferry,mdo,120,100,,,test,false,\n", ""),
        "links.csv",
        None,
        "energy_carrier",
        "no move factor",
    ),
    (
        "unknown column",
        lambda d: edit(d / "nodes.csv", "node_id,name", "node_id,nmae"),
        "nodes.csv",
        None,
        "nmae",
        "unknown column",
    ),
    (
        "missing file",
        lambda d: (d / "services.csv").unlink(),
        "services.csv",
        None,
        None,
        "file is missing",
    ),
    (
        "manifest without currency",
        lambda d: edit(d / "manifest.toml", 'currency = "USD"\n', ""),
        "manifest.toml",
        None,
        "currency",
        "expected a str",
    ),
    (
        "p90 below the median",
        lambda d: edit(d / "crossings.csv", "general,30,90", "general,30,9"),
        "crossings.csv",
        2,
        "dwell_p90_h",
        ">= dwell_median_h",
    ),
]


@pytest.mark.parametrize(
    ("mutate", "file", "row", "column", "message"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_each_mistake_is_reported_with_file_row_column_and_expectation(
    tiny_copy: Path, mutate: Mutation, file: str, row: int | None, column: str | None, message: str
) -> None:
    mutate(tiny_copy)
    problems = problems_of(tiny_copy)
    matching = [p for p in problems if p.file == file and message in p.message]
    assert matching, f"no {file} problem containing {message!r} in {problems}"
    assert any(p.row == row and p.column == column for p in matching), matching


def test_all_problems_are_reported_at_once(tiny_copy: Path) -> None:
    edit(tiny_copy / "nodes.csv", "Alfa,AA,", "Alfa,A1,")
    edit(tiny_copy / "links.csv", "L3,BB_C,BB_D", "L3,BB_C,ZZ_Z")
    edit(tiny_copy / "services.csv", "12:00", "noon")
    files = {p.file for p in problems_of(tiny_copy)}
    assert {"nodes.csv", "links.csv", "services.csv"} <= files


def test_problem_text_names_the_bad_value(tiny_copy: Path) -> None:
    edit(tiny_copy / "links.csv", "1435,100,50", "1435,lots,50")
    text = str(problems_of(tiny_copy)[0])
    assert "links.csv, row 2, column 'distance_km'" in text and "'lots'" in text


def test_loading_a_folder_that_is_not_a_network_fails_clearly(tmp_path: Path) -> None:
    with pytest.raises(NetworkValidationError, match="is not a network folder"):
        corridor.load_network(tmp_path / "nowhere")


def test_fixture_round_trips_through_csv(tiny_copy: Path) -> None:
    with (tiny_copy / "links.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    net = corridor.load_network(tiny_copy)
    assert [lk.link_id for lk in net.links] == [r["link_id"] for r in rows]
    rail = net.link("L1")
    assert rail.duration_h == pytest.approx(100 / 50)
    assert rail.layer == "rail_1435"


@pytest.mark.parametrize(
    ("file", "old", "new", "column"),
    [
        ("links.csv", "1435,100,50", "1435,40076,50", "distance_km"),
        ("links.csv", "1435,100,50", "1435,100,351", "speed_kmh"),
        ("links.csv", "L5,AA_A,CC_E,road,,700,50", "L5,AA_A,CC_E,road,,700,131", "speed_kmh"),
        ("links.csv", "1435,100,50", "99,100,50", "gauge_mm"),
        ("links.csv", "BB_D,CC_E,ferry,,300,,20", "BB_D,CC_E,ferry,,300,,8761", "duration_h"),
        ("links.csv", "BB_D,CC_E,ferry,,300,,20", "BB_D,CC_E,ferry,,300,,1", "duration_h"),
        ("links.csv", "mdo,0.5,100", "mdo,1001,100", "tariff_usd_per_feu_km"),
        ("links.csv", "mdo,0.5,100", "mdo,-0.5,100", "tariff_usd_per_feu_km"),
        ("transfers.csv", "gauge_change,4,12", "gauge_change,-0.5,12", "duration_h"),
        ("crossings.csv", "general,30,90", "general,30,8761", "dwell_p90_h"),
        ("crossings.csv", "general,30,90", "general,0.5,90", "dwell_p90_h"),
        ("crossings.csv", "general,30,90", "general,nan,90", "dwell_median_h"),
        ("transfers.csv", "gauge_change,4,12", "gauge_change,4,inf", "duration_p90_h"),
        ("services.csv", "Mon;Thu,12:00,,", "Mon;Thu,12:00,,169", "offset_h"),
        ("nodes.csv", "Alpha Terminal", "Alpha\x00Terminal", "name"),
    ],
    ids=lambda v: v if isinstance(v, str) and "_" in v and "," not in v else None,
)
def test_a_figure_outside_its_physical_range_is_a_located_problem(
    tiny_copy: Path, file: str, old: str, new: str, column: str
) -> None:
    edit(tiny_copy / file, old, new)
    assert any(p.file == file and p.column == column for p in problems_of(tiny_copy))


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ('name = "ti\\u0000ny"', "name"),
        ("reference_year = 1969", "reference_year"),
        ("reference_year = 2201", "reference_year"),
        ("tonnes_per_teu = nan", "cargo.tonnes_per_teu"),
        ("tonnes_per_teu = 41.0", "cargo.tonnes_per_teu"),
        ("teu_cost_factor = inf", "cargo.teu_cost_factor"),
        ("year = 1799", "sources[1].year"),
    ],
)
def test_a_manifest_value_outside_its_range_is_a_located_problem(
    tiny_copy: Path, line: str, key: str
) -> None:
    manifest = tiny_copy / "manifest.toml"
    name = line.split(" = ")[0]
    lines = manifest.read_text(encoding="utf-8").splitlines()
    lines = [line if current.startswith(name + " =") else current for current in lines]
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert any(p.file == "manifest.toml" and p.column == key for p in problems_of(tiny_copy))


def test_a_bom_and_crlf_line_ends_still_load(tiny_copy: Path) -> None:
    for path in tiny_copy.glob("*.csv"):
        data = path.read_bytes().replace(b"\n", b"\r\n")
        path.write_bytes(b"\xef\xbb\xbf" + data)
    assert corridor.load_network(tiny_copy).name == "tiny"


def test_a_column_named_twice_is_a_problem(tiny_copy: Path) -> None:
    edit(tiny_copy / "nodes.csv", "node_id,name,", "node_id,name,name,")
    found = problems_of(tiny_copy)
    assert any(
        p.file == "nodes.csv" and p.column == "name" and "more than once" in p.message
        for p in found
    )


def test_a_package_whose_every_link_is_closed_loads_with_no_edges(tiny_copy: Path) -> None:
    transfers = tiny_copy / "transfers.csv"
    transfers.write_text(transfers.read_text(encoding="utf-8").splitlines()[0] + "\n")
    path = tiny_copy / "links.csv"
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    rows = [[*rows[0], "status"], *([*r, "closed"] for r in rows[1:])]
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    net = corridor.load_network(tiny_copy)
    assert net.graph.n_edges == 0
    assert net.graph.carries.shape == (len(net.commodities), 0)
    with pytest.raises(corridor.NoRouteError):
        corridor.plan(net, corridor.Query("AA_A", "CC_E"))


def test_a_capacity_in_tonnes_below_one_a_week_is_still_a_capacity(tiny_copy: Path) -> None:
    # the range is "above 0": a tiny pipeline capacity loads and is kept as given
    edit(
        tiny_copy / "links.csv",
        "100,false,electric,,,0.01,,,crude",
        "100,false,electric,,,0.01,,0.5,crude",
    )
    net = corridor.load_network(tiny_copy)
    assert net.link("L6").capacity_t_per_week == 0.5
