"""HTTP API under load: route queries per second and latency over loopback, beside a bare peer.

`corridor serve --workers N` runs in a subprocess, exactly as a user starts it, for N = 1 and
2 (CORRIDOR_BENCH_API_WORKERS="1,2"); an async httpx client in this process keeps
CORRIDOR_BENCH_API_CONCURRENCY (8) requests in flight for a bounded time and records every
latency. Three runs per N, each after a warm-up:

* hello (peer): the same POST bodies to a bare FastAPI endpoint that parses the JSON and
  answers `{"hello": "world"}` under uvicorn with N workers: what the HTTP stack costs.
* routes, cached: POST /api/routes for the bundled OD set (15 pairs) at a fixed departure, as
  a page sends them; after the first of each, answers come from each worker's result cache.
* routes, uncached: every query different (a random pair of the network's places and a random
  departure, seeded), so every one is planned from scratch. A 422 `no-route` answer counts as
  answered (some random pairs have no route), anything else but 200 as an error.

Targets (2 cores): cached route queries >= 300 requests/s with p99 <= 100 ms and no errors with
one worker; uncached >= 300 requests/s with p99 <= 100 ms with two workers (issue 11).
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from harness import Options, Report, Section, Target, skip

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
TARGET_RPS = 300.0
TARGET_P99_MS = 100.0
WORKER_SETS = tuple(
    int(w) for w in os.environ.get("CORRIDOR_BENCH_API_WORKERS", "1,2").split(",") if w.strip()
)
WORKERS = int(os.environ.get("CORRIDOR_BENCH_API_SERVE_WORKERS", "1"))  # of a --serve child
CONCURRENCY = int(os.environ.get("CORRIDOR_BENCH_API_CONCURRENCY", "8"))
WARMUP_S = 2.0
DEPART = datetime(2026, 12, 1, tzinfo=UTC)

try:  # the peer application, imported by uvicorn from this module in its worker processes
    from fastapi import FastAPI, Request

    hello_app = FastAPI()

    @hello_app.post("/api/routes")
    async def _hello(request: Request) -> dict[str, str]:
        await request.json()
        return {"hello": "world"}

except ImportError:  # the server extra is missing; the section says so
    pass


@dataclass(frozen=True)
class Load:
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def _uvicorn(target: str, env: dict[str, str], workers: int) -> Iterator[str]:
    """Run `target` under uvicorn (see `_serve`) on a free loopback port; yields the base URL.
    `corridor` runs `corridor serve --workers N` itself."""
    port = _free_port()
    if target == "corridor":
        command = [sys.executable, "-m", "corridor.cli", "serve", "--port", str(port)]
        command += ["--workers", str(workers)]
    else:
        command = [sys.executable, __file__, "--serve", target, "--port", str(port)]
    env = {**env, "CORRIDOR_BENCH_API_SERVE_WORKERS": str(workers)}
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    with _running(server, port) as url:
        yield url


@contextmanager
def _running(server: subprocess.Popen[bytes], port: int) -> Iterator[str]:
    import httpx

    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"uvicorn exited: {server.stderr.read().decode()[-500:]}")  # type: ignore[union-attr]
            try:
                # every worker must be up before the clock starts: a few probes reach each
                if all(httpx.get(f"{url}/openapi.json").status_code == 200 for _ in range(8)):
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start within 120 s")
            time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


async def _drive(url: str, body: Callable[[int], bytes], seconds: float) -> Load:
    import httpx

    limits = httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY)
    latencies: list[float] = []
    errors = 0
    headers = {"Content-Type": "application/json"}
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30) as client:
        start = time.perf_counter()
        stop = start + seconds

        async def worker(k: int) -> None:
            nonlocal errors
            i = k
            while time.perf_counter() < stop:
                content = body(i)
                i += CONCURRENCY
                sent = time.perf_counter()
                try:
                    response = await client.post("/api/routes", content=content, headers=headers)
                    ok = response.status_code == 200 or (
                        response.status_code == 422 and b"no-route" in response.content
                    )
                except httpx.HTTPError:
                    ok = False
                latencies.append((time.perf_counter() - sent) * 1000)
                errors += not ok

        await asyncio.gather(*(worker(k) for k in range(CONCURRENCY)))
        elapsed = time.perf_counter() - start
    return Load(len(latencies), errors, elapsed, latencies)


def _load(url: str, body: Callable[[int], bytes], seconds: float) -> Load:
    asyncio.run(_drive(url, body, WARMUP_S))
    return asyncio.run(_drive(url, body, seconds))


def api_load(options: Options, report: Report) -> None:
    """Route queries over loopback against the bare-FastAPI ceiling (see the module docstring)."""
    what = "API route queries over loopback"
    bound = f">= {TARGET_RPS:.0f} req/s, p99 <= {TARGET_P99_MS:.0f} ms, 0 errors"
    try:
        import httpx  # noqa: F401
        import uvicorn  # noqa: F401

        sys.path.insert(0, str(SRC))
        from corridor.network.loader import load_network
        from corridor.routing.odset import default_od_path, read_od_pairs
        from corridor.store import open_store
    except ImportError as exc:
        skip(report, what, bound, f"needs the server and dev extras ({exc.name} missing)")
        return
    seconds = max(3.0, min(options.budget_s, 10.0))
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(
        f"\n== api-load: corridor serve --workers {'/'.join(map(str, WORKER_SETS))}, "
        f"{CONCURRENCY} requests in flight, {seconds:.0f} s per run, {cores} cores "
        "(client on the same machine) =="
    )
    network = load_network()
    pairs = read_od_pairs(default_od_path(), network)
    queries = [
        {"origin": p.origin, "destination": p.destination, "commodity": p.commodity} for p in pairs
    ]
    fixed = [
        json.dumps({**q, "depart": DEPART.isoformat().replace("+00:00", "Z")}).encode()
        for q in queries
    ]
    places = sorted(n.node_id for n in network.nodes)
    salt = int(time.time())  # a fresh server per run, but never an answer cached across runs

    def fresh(i: int) -> bytes:  # a random pair and departure: no cache can answer
        draw = random.Random(f"{salt}-{i}")
        origin, destination = draw.sample(places, 2)
        moment = DEPART + timedelta(minutes=draw.randrange(60 * 24 * 365))
        q = {"origin": origin, "destination": destination, "alternatives": 3}
        return json.dumps({**q, "depart": moment.isoformat().replace("+00:00", "Z")}).encode()

    with tempfile.TemporaryDirectory(prefix="corridor-bench-api-") as folder:
        db = f"sqlite:///{Path(folder) / 'bench.db'}"
        open_store(db).close()  # migrate once, before the workers start
        env = {
            **os.environ,
            "CORRIDOR_DB_URL": db,
            "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
        }
        runs: dict[tuple[str, int], Load] = {}
        try:
            for workers in WORKER_SETS:
                with _uvicorn("bench_api:hello_app", env, workers) as url:
                    runs["hello (peer)", workers] = _load(
                        url, lambda i: fixed[i % len(fixed)], seconds
                    )
                with _uvicorn("corridor", env, workers) as url:
                    runs["routes, cached", workers] = _load(
                        url, lambda i: fixed[i % len(fixed)], seconds
                    )
                    runs["routes, uncached", workers] = _load(url, fresh, seconds)
        except RuntimeError as exc:
            report.failures.append(f"api-load: {exc}")
            skip(report, what, bound, str(exc))
            return
    _table(runs)
    for name, workers in (("routes, cached", min(WORKER_SETS)), ("routes, uncached", 2)):
        run = runs.get((name, workers))
        if run is None:
            continue
        report.targets.append(
            Target(
                f"{what}, {name}, {workers} worker(s)",
                f"{run.rps:.0f} req/s, p99 {run.percentile(0.99):.1f} ms, {run.errors} errors",
                bound,
                run.rps >= TARGET_RPS and run.percentile(0.99) <= TARGET_P99_MS and run.errors == 0,
            )
        )


def _table(runs: dict[tuple[str, int], Load]) -> None:
    print(
        f"{'run':<20}{'workers':>8}{'requests':>9}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}"
        f"{'errors':>8}{'vs hello':>10}"
    )
    for (name, workers), run in runs.items():
        peer = runs["hello (peer)", workers].rps
        print(
            f"{name:<20}{workers:>8}{run.requests:>9}{run.rps:>9.0f}{run.percentile(0.50):>9.1f}"
            f"{run.percentile(0.99):>9.1f}{run.errors:>8}{run.rps / peer:>10.2f}"
        )
    for (name, workers), run in runs.items():
        if name != "hello (peer)" and run.latencies_ms:
            mean = statistics.fmean(run.latencies_ms)
            print(f"{name}, {workers} worker(s): mean latency {mean:.1f} ms")


SECTIONS: dict[str, Section] = {"api-load": api_load}


def _serve(argv: list[str]) -> None:
    """`bench_api.py --serve TARGET --port P`: the peer under uvicorn with WORKERS processes.

    Like `uvicorn --workers`, but the shared listening socket is created with IPPROTO_TCP:
    uvicorn's own has protocol 0, so asyncio never sets TCP_NODELAY on its connections and a
    small response waits out the client's delayed ACK (~40 ms). `corridor serve` (one process,
    uvicorn binding by host and port) is not affected.
    """
    import argparse

    import uvicorn
    from uvicorn.supervisors import Multiprocess

    parser = argparse.ArgumentParser()
    parser.add_argument("--serve", required=True)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(HERE))
    config = uvicorn.Config(
        args.serve,
        host="127.0.0.1",
        port=args.port,
        workers=WORKERS,
        log_level="warning",
        access_log=False,
    )
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", args.port))
    sock.set_inheritable(True)
    if WORKERS == 1:
        uvicorn.Server(config).run(sockets=[sock])
    else:
        Multiprocess(config, sockets=[sock]).run()


if __name__ == "__main__":
    _serve(sys.argv[1:])
