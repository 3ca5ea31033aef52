"""Every reproducer of issue 10, each a 4xx or an exit 2 with a located message.

Network packages are the tiny fixture with one value changed; scenarios run against the bundled
network over the API (in-process) and the CLI. Last, every JSON output of the CLI and the API
on a network with extreme but valid figures must parse with a strict parser (no NaN/Infinity).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from fuzzing import check_cli, cli, strict_json

from corridor.api import Settings, create_app
from corridor.batch.executor import map_tasks
from corridor.errors import CorridorError
from optional import require_module

TINY = Path(__file__).parents[1] / "fixtures" / "tiny"
TRANSFER = (TINY / "transfers.csv").read_text(encoding="utf-8").splitlines()[1]
DEEP = "x = " + "[" * 600 + "]" * 600 + "\n"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture no longer contains {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    folder = tmp_path / "tiny"
    shutil.copytree(TINY, folder)
    return folder


def _refused(folder: Path, *where: str) -> None:
    """`corridor validate` exits 2 and names each of `where` (file, column) on stderr."""
    outcome = cli("validate", str(folder))
    assert outcome.code == 2 and "Traceback" not in outcome.stderr, outcome
    for text in where:
        assert text in outcome.stderr, outcome.stderr
    route = cli("route", "AA_A", "CC_E", "--network", str(folder), "--format", "json")
    check_cli("regressions", route, json_out=True, located=where[:1])
    assert route.code == 2


# -- network packages -------------------------------------------------------------------------


def test_a_header_only_emission_factors_file_is_a_located_error(tiny: Path) -> None:
    factors = tiny / "emission_factors.csv"
    factors.write_text(factors.read_text(encoding="utf-8").splitlines()[0] + "\n")
    _refused(tiny, "emission_factors.csv", "no factor rows")


@pytest.mark.parametrize(
    ("file", "old", "new", "column"),
    [
        (
            "services.csv",
            "FERRY_DE,L4,both,weekly,Mon;Thu,12:00,,",
            "FERRY_DE,L4,both,headway,,,1e308,",
            "headway_h",
        ),
        (
            "links.csv",
            "L5,AA_A,CC_E,road,,700,50,,true,diesel,3.0",
            "L5,AA_A,CC_E,road,,700,50,,true,diesel,1e308",
            "tariff_usd_per_feu_km",
        ),
        ("emission_factors.csv", "move,road,diesel,", "move,road,diesel,1e308", "wtw_g_per_tkm"),
        (
            "crossings.csv",
            "AC_ROAD,Alpha–Echo road,L5,forward,general,8,48",
            "AC_ROAD,Alpha–Echo road,L5,forward,general,8,1e308",
            "dwell_p90_h",
        ),
        ("transfers.csv", TRANSFER, TRANSFER.replace(",12,", ",1e308,"), "duration_p90_h"),
        ("links.csv", "L5,AA_A,CC_E,road,,700,50,", "L5,AA_A,CC_E,road,,700,5000,", "speed_kmh"),
        (
            "links.csv",
            "L1,AA_A,AA_B,rail,1435,100,50,",
            "L1,AA_A,AA_B,rail,1435,100,1e-300,",
            "speed_kmh",
        ),
        (
            "crossings.csv",
            "AC_ROAD,Alpha–Echo road,L5,forward,general,8,48",
            "AC_ROAD,Alpha–Echo road,L5,forward,general,1e-300,48",
            "dwell_p90_h",
        ),
    ],
    ids=[
        "headway",
        "tariff",
        "emission-factor",
        "dwell-p90",
        "transfer-p90",
        "fast",
        "slow",
        "spread",
    ],
)
def test_a_huge_figure_in_a_table_is_a_located_error(
    tiny: Path, file: str, old: str, new: str, column: str
) -> None:
    _edit(tiny / file, old, new)
    _refused(tiny, file, column)


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e308", "0.0"])
def test_a_non_finite_or_absurd_tonnes_per_teu_is_a_located_error(tiny: Path, value: str) -> None:
    _edit(tiny / "manifest.toml", "tonnes_per_teu = 10.0", f"tonnes_per_teu = {value}")
    _refused(tiny, "manifest.toml", "cargo.tonnes_per_teu")


def test_a_nul_in_the_manifest_name_is_a_located_error(tiny: Path) -> None:
    _edit(tiny / "manifest.toml", 'name = "tiny"', 'name = "ti\\u0000ny"')
    _refused(tiny, "manifest.toml", "'name'", "control characters")


def test_nesting_in_the_manifest_is_a_located_error(tiny: Path) -> None:
    with (tiny / "manifest.toml").open("a", encoding="utf-8") as handle:
        handle.write(DEEP)
    _refused(tiny, "manifest.toml", "nested too deeply")


def test_a_nul_in_a_table_cell_is_a_located_error(tiny: Path) -> None:
    _edit(tiny / "nodes.csv", "Alpha Terminal", "Alpha\x00Terminal")
    _refused(tiny, "nodes.csv", "'name'")


# -- scenarios ---------------------------------------------------------------------------------

CHANGES = {
    "frequency_factor": 'type = "change_service"\nservice = "cre_xian"\nfrequency_factor = 1e308',
    "frequency_factor ": 'type = "change_service"\nservice = "cre_xian"\nfrequency_factor = 1000000',
    "factor": 'type = "scale_dwell"\ncrossing = "ALASHANKOU_DOSTYK"\nfactor = 1e308',
    "median_h": 'type = "set_dwell"\ncrossing = "ALASHANKOU_DOSTYK"\nmedian_h = 1e15',
    "duration_h": 'type = "change_link"\nlink = "rail_LYG_ZZH"\nduration_h = 1e308',
    "speed_factor": 'type = "change_link"\nlink = "rail_LYG_ZZH"\nspeed_factor = 1e-300',
    "headway_h": 'type = "change_service"\nservice = "cre_xian"\nheadway_h = 1e308',
    "factor  ": 'type = "change_tariff"\nfactor = 1e308',
    # found by the fuzz suite: a P90 1e300 times its median gave NaN P90 days in JSON
    "p90_h": 'type = "set_dwell"\ncrossing = "ALASHANKOU_DOSTYK"\nmedian_h = 1e-300\np90_h = 9.0',
}


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    folder = tmp_path_factory.mktemp("regressions")
    app = create_app(
        Settings(db_url=f"sqlite:///{folder / 'api.db'}", allowed_hosts=("testserver",))
    )
    with TestClient(app) as http:
        yield http
    app.state.context.jobs.shutdown()


@pytest.mark.parametrize(
    "key", list(CHANGES), ids=[k.strip() + str(i) for i, k in enumerate(CHANGES)]
)
def test_an_absurd_scenario_value_is_a_422_naming_its_key(api: TestClient, key: str) -> None:
    text = f'name = "x"\n[[change]]\n{CHANGES[key]}\n'
    response = api.post("/api/scenarios", json={"name": "x", "text": text})
    assert response.status_code == 422, response.text
    problem = strict_json(response.text)
    assert problem["field"] == "text" and key.strip() in problem["detail"], problem
    job = api.post("/api/jobs/compare", json={"text": text, "samples": 0})
    assert job.status_code == 422 and key.strip() in job.json()["detail"]


@pytest.mark.parametrize(
    "key", list(CHANGES), ids=[k.strip() + str(i) for i, k in enumerate(CHANGES)]
)
def test_an_absurd_scenario_value_exits_2_in_the_cli(tmp_path: Path, key: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(f'name = "x"\n[[change]]\n{CHANGES[key]}\n', encoding="utf-8")
    outcome = cli("compare", "--scenario", str(path), "--depart", "2026-12-01", "--samples", "0")
    check_cli("regressions", outcome, json_out=False, located=("bad.toml",))
    assert outcome.code == 2 and key.strip() in outcome.stderr


def test_deeply_nested_scenario_text_is_a_422_and_a_cli_exit_2(
    api: TestClient, tmp_path: Path
) -> None:
    response = api.post("/api/scenarios", json={"name": "deep", "text": DEEP})
    assert response.status_code == 422 and "nested too deeply" in response.json()["detail"]
    path = tmp_path / "deep.toml"
    path.write_text(DEEP, encoding="utf-8")
    outcome = cli("compare", "--scenario", str(path))
    check_cli("regressions", outcome, json_out=False, located=("deep.toml",))
    assert outcome.code == 2


# -- command line ------------------------------------------------------------------------------


@pytest.fixture
def od(tmp_path: Path) -> Path:
    path = tmp_path / "od.csv"
    path.write_text("origin,destination\nAA_A,CC_E\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("command", ["route", "compare", "criticality", "batch"])
def test_a_departure_beyond_2200_exits_2(command: str, od: Path, tmp_path: Path) -> None:
    args = {
        "route": ["route", "AA_A", "CC_E"],
        "compare": ["compare", "--od", str(od), "--scenario", str(tmp_path / "none.toml")],
        "criticality": ["criticality", "--od", str(od)],
        "batch": ["batch", "--od", str(od), "--out", str(tmp_path / "b.parquet")],
    }[command]
    outcome = cli(*args, "--network", str(TINY), "--depart", "9999-12-31")
    check_cli("regressions", outcome, json_out=False, located=("--depart",))
    assert outcome.code == 2 and "1970 and 2200" in outcome.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["assign", "--value-of-time", "inf"], "--value-of-time"),
        (["assign", "--value-of-time", "nan"], "--value-of-time"),
        (["route", "AA_A", "CC_E", "--network", "n" * 5000], "is not a network folder"),
        (["criticality", "--network", str(TINY), "--scheduler", "not-an-address"], "scheduler"),
    ],
    ids=["vot-inf", "vot-nan", "long-network", "scheduler"],
)
def test_hostile_options_exit_2_with_one_line(args: list[str], expected: str, od: Path) -> None:
    if args[0] == "criticality":
        args = [*args, "--od", str(od)]
    outcome = cli(*args)
    check_cli("regressions", outcome, json_out=False)
    assert outcome.code == 2 and expected in outcome.stderr, outcome


def test_batch_refuses_bad_criteria_and_an_unwritable_folder_before_computing(
    od: Path, tmp_path: Path
) -> None:
    bogus = cli(
        "batch",
        "--network",
        str(TINY),
        "--od",
        str(od),
        "--out",
        str(tmp_path / "b.parquet"),
        "--criteria",
        "bogus",
    )
    assert bogus.code == 2 and "--criteria" in bogus.stderr
    proc = cli("batch", "--network", str(TINY), "--od", str(od), "--out", "/proc/x.parquet")
    assert proc.code == 2 and "--out" in proc.stderr and "/proc" in proc.stderr
    check_cli("regressions", proc, json_out=False)


def test_batch_removes_partials_a_killed_run_left(od: Path, tmp_path: Path) -> None:
    target = tmp_path / "b.parquet"
    stale = tmp_path / ".b.parquet.999999999-deadbeef.partial"  # no such process
    stale.write_bytes(b"half a file")
    other = tmp_path / ".c.parquet.999999999.partial"  # another target's: left alone
    other.write_bytes(b"")
    outcome = cli(
        "batch",
        "--network",
        str(TINY),
        "--od",
        str(od),
        "--out",
        str(target),
        "--depart",
        "2026-12-01",
        "--format",
        "json",
    )
    assert outcome.code == 0, outcome
    assert strict_json(outcome.stdout)["queries"] == 1
    assert target.is_file() and not stale.exists() and other.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [".c.parquet.999999999.partial", "b.parquet", "od.csv"]
    )


def _double(x: int) -> int:
    return 2 * x


def test_a_dask_run_without_a_live_worker_fails_with_a_clear_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    distributed = require_module("distributed")
    monkeypatch.setenv("CORRIDOR_DASK_WORKER_TIMEOUT", "1")
    cluster = distributed.LocalCluster(n_workers=0, processes=False, dashboard_address=None)
    with (
        cluster,
        distributed.Client(cluster) as client,
        pytest.raises(CorridorError, match="no live Dask worker for 1 s"),
    ):
        map_tasks(_double, [1, 2, 3], scheduler=client, progress=False)


# -- every JSON output is strict JSON ----------------------------------------------------------


def _extreme(folder: Path) -> None:
    """Figures at the top of their documented ranges: still finite everywhere downstream."""
    _edit(folder / "manifest.toml", "tonnes_per_teu = 10.0", "tonnes_per_teu = 40.0")
    _edit(
        folder / "links.csv",
        "L5,AA_A,CC_E,road,,700,50,,true,diesel,3.0,0",
        "L5,AA_A,CC_E,road,,40075,130,,true,diesel,1000,1000000",
    )
    _edit(
        folder / "crossings.csv",
        "AC_ROAD,Alpha–Echo road,L5,forward,general,8,48,false,100",
        "AC_ROAD,Alpha–Echo road,L5,forward,general,8760,8760,false,1000000",
    )


def test_every_json_output_of_the_cli_parses_strictly(tiny: Path, tmp_path: Path) -> None:
    _extreme(tiny)
    (tiny / "demand.csv").write_text(
        "origin,destination,teu_per_week\nAA_A,CC_E,10000000\nCC_E,AA_A,1\n"
    )
    scenario = tmp_path / "s.toml"
    scenario.write_text(
        'name = "s"\n[[change]]\ntype = "change_tariff"\nfactor = 1000\nmodes = ["rail"]\n'
    )
    net = ["--network", str(tiny)]
    commands: list[list[str]] = [
        [
            "route",
            "AA_A",
            "CC_E",
            "--depart",
            "2200-12-20T00:00Z",
            "--samples",
            "50",
            "--deadline",
            "2200-12-31",
            "--criteria",
            "time,cost,co2e,p90",
            "--containers",
            "100000",
            "--tonnes",
            "2800000",  # the most 100,000 boxes may hold (28 t per 40')
        ],
        ["route", "CC_E", "AA_A", "--format", "geojson", "--containers", "100000"],
        ["compare", "--scenario", str(scenario), "--samples", "20", "--depart", "1970-01-05"],
        ["criticality", "--depart", "2026-12-01"],
        ["assign", "--value-of-time", "1000000"],
        ["batch", "--out", str(tmp_path / "b.parquet"), "--depart", "2026-12-01"],
        ["network", "--format", "geojson"],
    ]
    for command in commands:
        args = [*command, *net]
        if "--format" not in args:
            args += ["--format", "json"]
        outcome = cli(*args)
        assert outcome.code == 0, (command, outcome.stderr)
        strict_json(outcome.stdout)


def test_every_json_answer_of_the_api_parses_strictly(tiny: Path, tmp_path: Path) -> None:
    _extreme(tiny)
    (tiny / "demand.csv").write_text("origin,destination\nAA_A,CC_E\n")
    app = create_app(
        Settings(
            network_path=tiny,
            db_url=f"sqlite:///{tmp_path / 'a.db'}",
            allowed_hosts=("testserver",),
        )
    )
    query: dict[str, Any] = {
        "origin": "AA_A",
        "destination": "CC_E",
        "depart": "2200-12-31T00:00:00Z",
        "containers": 100000,
        "tonnes": 2800000,  # the most 100,000 boxes may hold (28 t per 40')
        "criteria": ["time", "p90"],
    }
    with TestClient(app) as http:
        answers = [
            http.get("/api/health"),
            http.get("/api/network"),
            http.get("/api/places", params={"q": "Echo"}),
            http.post("/api/routes", json=query),
            http.get("/openapi.json"),
        ]
        job = http.post(
            "/api/jobs/criticality", json={"kinds": ["link"], "depart": "2026-12-01T00:00:00Z"}
        )
        answers.append(job)
        for _ in range(600):
            done = http.get(f"/api/jobs/{job.json()['id']}")
            if done.json()["status"] not in ("queued", "running"):
                break
        answers.append(done)
        assert done.json()["status"] == "done", done.text
    app.state.context.jobs.shutdown()
    for response in answers:
        assert response.status_code < 300, response.text[:500]
        strict_json(response.text)
    assert json.loads(answers[3].text)["routes"]
