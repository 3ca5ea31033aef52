"""`corridor batch`: plan every OD pair x departure x scenario and write the routes to Parquet."""

from __future__ import annotations

import json
import os
import time
import uuid
from datetime import UTC, datetime
from glob import escape as glob_escape
from pathlib import Path
from typing import Annotated

import typer

from corridor.batch.parquet import check_parquet_path, write_parquet
from corridor.batch.queries import BatchJob, run_batch
from corridor.batch.spec import NetworkSpec
from corridor.cli.app import (
    NetworkOption,
    OdOption,
    OutputFormat,
    SchedulerOption,
    WorkersOption,
    app,
    fail,
    one_line,
    open_network,
    out,
    parse_depart,
)
from corridor.errors import CorridorError, QueryError
from corridor.routing.clock import today_utc
from corridor.routing.odset import default_od_path, read_od_pairs
from corridor.routing.query import Cargo, Query


def prepare_target(target: Path) -> None:
    """Before any computing: the target's folder must take a new file (a probe is written and
    removed), and partial files a killed run left for this target are removed."""
    folder = target.parent
    for stale in folder.glob(f".{glob_escape(target.name)}.*.partial"):
        pid = stale.name.removesuffix(".partial").rpartition(".")[2].split("-")[0]
        if not (pid.isdigit() and _alive(int(pid))):
            stale.unlink(missing_ok=True)
    probe = folder / f".{target.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.probe"
    try:
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        fail(f"--out: cannot write into {folder} ({exc.strerror or exc})")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, another user's
        return True
    return pid != os.getpid()


@app.command()
def batch(
    out_path: Annotated[Path, typer.Option("--out", help="Parquet file to write.")],
    od: OdOption = None,
    depart: Annotated[
        list[str] | None,
        typer.Option("--depart", help="Departure, UTC (repeatable; default: today 00:00)."),
    ] = None,
    scenario: Annotated[
        list[Path] | None,
        typer.Option("--scenario", help="Scenario TOML, each run alone (repeatable)."),
    ] = None,
    no_baseline: Annotated[
        bool, typer.Option("--no-baseline", help="Skip the network without scenarios.")
    ] = False,
    containers: Annotated[int, typer.Option(min=1, help="Containers per query.")] = 1,
    size: Annotated[int, typer.Option(help="Container size in feet: 20 or 40.")] = 40,
    criteria: Annotated[str, typer.Option(help="Pareto criteria: time,cost,co2e.")] = (
        "time,cost,co2e"
    ),
    alternatives: Annotated[
        int, typer.Option(min=0, max=20, help="Other corridors per query besides the Pareto set.")
    ] = 0,
    all_routes: Annotated[bool, typer.Option("--all-routes", help="Keep near-ties.")] = False,
    workers: WorkersOption = 1,
    scheduler: SchedulerOption = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", help="Summary format.")] = (
        OutputFormat.table
    ),
    network: NetworkOption = None,
) -> None:
    """Plan many queries (OD pairs x departures x scenarios); one Parquet row per route."""
    if size not in (20, 40):
        fail(f"--size: expected 20 or 40, got {size}")
    if no_baseline and not scenario:
        fail("--no-baseline: give at least one --scenario, or nothing is left to plan")
    try:
        target = check_parquet_path(out_path)
        Query("-", "-", criteria=tuple(c for c in criteria.split(",") if c.strip()))
    except QueryError as exc:
        fail(f"--{exc.field.replace('_', '-')}: {exc.message}")
    prepare_target(target)
    net = open_network(network)
    network_path = str(network) if network is not None else None
    today = today_utc()
    departs = tuple(dict.fromkeys(parse_depart(d) or today for d in depart or [])) or (today,)
    try:
        pairs = read_od_pairs(od if od is not None else default_od_path(network), net)
        for file in scenario or []:
            NetworkSpec(network_path, (str(file),)).open()  # check each file here, once
        job = BatchJob(
            pairs=pairs,
            departs=departs,
            network=network_path,
            scenarios=tuple(str(f) for f in scenario or []),
            baseline=not no_baseline,
            cargo=Cargo(containers=containers, size_ft=size),
            criteria=tuple(c for c in criteria.split(",") if c.strip()),
            alternatives=alternatives,
            thin=not all_routes,
        )
        job.tasks()[0]  # an empty axis fails here, before any worker starts
        started = time.perf_counter()
        table = run_batch(job, workers=workers, scheduler=scheduler)
        seconds = time.perf_counter() - started
    except QueryError as exc:
        fail(f"--{exc.field.replace('_', '-')}: {exc.message}")
    except CorridorError as exc:
        fail(one_line(exc))
    write_parquet(
        table,
        target,
        {
            "corridor.network": f"{net.name} {net.version}",
            "corridor.criteria": ",".join(job.criteria),
            "corridor.created": datetime.now(UTC).isoformat(timespec="seconds"),
        },
    )
    queries = len(job.tasks())
    import pyarrow.compute as pc  # imported here: keeps `corridor --help` fast

    failed = pc.sum(pc.is_valid(table["error"])).as_py() or 0
    routes = table.num_rows - failed
    summary = {
        "out": str(target),
        "queries": queries,
        "routes": routes,
        "failed_queries": failed,
        "seconds": round(seconds, 2),
        "queries_per_second": round(queries / seconds, 1) if seconds > 0 else None,
    }
    if fmt is OutputFormat.json:
        print(json.dumps(summary, indent=2))
    else:
        out.print(
            f"{queries} queries ({len(pairs)} OD pairs x {len(departs)} departures x "
            f"{len(job.scenario_axis())} scenarios) -> {routes} routes, {failed} failed, "
            f"in {seconds:.1f} s ({summary['queries_per_second']} queries/s); wrote {target}"
        )
