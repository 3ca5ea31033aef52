"""HTTP API under load: route queries per second and latency over loopback, beside a bare peer.

`corridor serve --workers N` runs in a subprocess, exactly as a user starts it, for N = 1 and
2 (CORRIDOR_BENCH_API_WORKERS="1,2"). The load client runs in this process on the same cores,
so it is kept lean (about 0.1 ms of CPU per request): CORRIDOR_BENCH_API_CONCURRENCY (8)
keep-alive connections on asyncio streams (uvloop where installed), each sending requests
encoded before the clock starts and reading each answer whole by its Content-Length, for a
bounded time, recording every latency. Besides rate and latency each run reports the CPU per
request of the server (user + system time of every server process, from psutil) and of the
client, each server process's share (are both workers busy?), and the rate those CPU costs
allow on the machine's cores. Three runs per N, each after a warm-up:

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
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

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
FRESH_PER_S = 2000  # uncached queries encoded per second of a run: well above any rate reached
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
    client_cpu_s: float  # this process (the load client) during the run
    server_cpu_s: dict[int, float]  # per server process (supervisor and workers), by pid

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")

    def cpu_ms(self) -> tuple[float, float]:
        """CPU per request, server (every process) and client, in ms."""
        n = max(1, self.requests)
        return sum(self.server_cpu_s.values()) * 1000 / n, self.client_cpu_s * 1000 / n

    def shares(self) -> list[float]:
        """Each worker's share of the server CPU, largest first (the supervisor left out)."""
        total = sum(self.server_cpu_s.values()) or 1.0
        busy = sorted(self.server_cpu_s.values(), reverse=True)
        return [s / total for s in busy if s / total > 0.02]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class _Server:
    process: subprocess.Popen[bytes]
    port: int

    def cpu_s(self) -> dict[int, float]:
        """User + system CPU seconds of the server and its worker processes, by pid."""
        import psutil

        seconds = {}
        root = psutil.Process(self.process.pid)
        for proc in [root, *root.children(recursive=True)]:
            try:
                times = proc.cpu_times()
            except psutil.NoSuchProcess:
                continue
            seconds[proc.pid] = times.user + times.system
        return seconds


@contextmanager
def _uvicorn(target: str, env: dict[str, str], workers: int) -> Iterator[_Server]:
    """Run `target` under uvicorn (see `_serve`) on a free loopback port.
    `corridor` runs `corridor serve --workers N` itself."""
    port = _free_port()
    if target == "corridor":
        command = [sys.executable, "-m", "corridor.cli", "serve", "--port", str(port)]
        command += ["--workers", str(workers)]
    else:
        command = [sys.executable, __file__, "--serve", target, "--port", str(port)]
    env = {**env, "CORRIDOR_BENCH_API_SERVE_WORKERS": str(workers)}
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    with _running(server, port):
        yield _Server(server, port)


@contextmanager
def _running(server: subprocess.Popen[bytes], port: int) -> Iterator[None]:
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
        yield
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


def _request(body: bytes) -> bytes:
    """A whole HTTP/1.1 keep-alive POST /api/routes, encoded once before the clock starts."""
    head = (
        b"POST /api/routes HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"Content-Length: %d\r\n\r\n" % len(body)
    )
    return head + body


class _Bodies:
    """Pre-encoded requests handed out in turn; `fresh` ones are never handed out twice."""

    def __init__(self, bodies: list[bytes], *, fresh: bool) -> None:
        self._requests = [_request(b) for b in bodies]
        self._fresh = fresh
        self._next = 0

    def take(self) -> bytes:
        if self._fresh and self._next >= len(self._requests):
            raise RuntimeError("api-load: ran out of fresh queries; raise FRESH_PER_S")
        request = self._requests[self._next % len(self._requests)]
        self._next += 1
        return request


async def _connection(port: int, bodies: _Bodies, stop: float, load: _Tally) -> None:
    """One keep-alive connection sending a request as soon as the last answer is read whole
    (Content-Length framing; a 422 `no-route` counts as answered, any other non-200 as an
    error)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while time.perf_counter() < stop:
            writer.write(bodies.take())
            sent = time.perf_counter()
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head[9:12])
            length = int(_CONTENT_LENGTH.search(head).group(1))  # type: ignore[union-attr]
            content = await reader.readexactly(length)
            load.latencies_ms.append((time.perf_counter() - sent) * 1000)
            load.errors += not (status == 200 or (status == 422 and b"no-route" in content))
            if b"connection: close" in head.lower():
                raise ConnectionError("the server closed a keep-alive connection")
    finally:
        writer.close()


_CONTENT_LENGTH = re.compile(rb"(?i)\r\ncontent-length:\s*(\d+)")


@dataclass
class _Tally:
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0


async def _drive(port: int, bodies: _Bodies, seconds: float) -> tuple[_Tally, float]:
    tally = _Tally()
    start = time.perf_counter()
    stop = start + seconds
    await asyncio.gather(*(_connection(port, bodies, stop, tally) for _ in range(CONCURRENCY)))
    return tally, time.perf_counter() - start


def _run_loop(coroutine: Any) -> Any:
    try:  # the client's own loop costs CPU the server could use: uvloop where installed
        import uvloop

        factory: Callable[[], asyncio.AbstractEventLoop] | None = uvloop.new_event_loop
    except ImportError:
        factory = None
    with asyncio.Runner(loop_factory=factory) as runner:
        return runner.run(coroutine)


def _load(server: _Server, bodies: _Bodies, seconds: float) -> Load:
    _run_loop(_drive(server.port, bodies, WARMUP_S))
    before_client = time.process_time()
    before = server.cpu_s()
    tally, elapsed = _run_loop(_drive(server.port, bodies, seconds))
    after = server.cpu_s()
    client_s = time.process_time() - before_client
    per_worker = {pid: after.get(pid, 0.0) - s for pid, s in before.items()}
    return Load(
        len(tally.latencies_ms), tally.errors, elapsed, tally.latencies_ms, client_s, per_worker
    )


def api_load(options: Options, report: Report) -> None:
    """Route queries over loopback against the bare-FastAPI ceiling (see the module docstring)."""
    what = "API route queries over loopback"
    bound = f">= {TARGET_RPS:.0f} req/s, p99 <= {TARGET_P99_MS:.0f} ms, 0 errors"
    try:
        import httpx  # noqa: F401
        import psutil  # noqa: F401
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
                with _uvicorn("bench_api:hello_app", env, workers) as server:
                    runs["hello (peer)", workers] = _load(
                        server, _Bodies(fixed, fresh=False), seconds
                    )
                with _uvicorn("corridor", env, workers) as server:
                    cached = _Bodies(fixed, fresh=False)
                    runs["routes, cached", workers] = _load(server, cached, seconds)
                    count = int(FRESH_PER_S * (seconds + WARMUP_S))
                    new = _Bodies([fresh(workers * 10**7 + i) for i in range(count)], fresh=True)
                    runs["routes, uncached", workers] = _load(server, new, seconds)
        except RuntimeError as exc:
            report.failures.append(f"api-load: {exc}")
            skip(report, what, bound, str(exc))
            return
    _table(runs, cores or 1)
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


def _table(runs: dict[tuple[str, int], Load], cores: int) -> None:
    print(
        f"{'run':<20}{'workers':>8}{'requests':>9}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}"
        f"{'errors':>8}{'vs hello':>10}{'server CPU':>12}{'client CPU':>12}"
    )
    for (name, workers), run in runs.items():
        peer = runs["hello (peer)", workers].rps
        server_ms, client_ms = run.cpu_ms()
        print(
            f"{name:<20}{workers:>8}{run.requests:>9}{run.rps:>9.0f}{run.percentile(0.50):>9.1f}"
            f"{run.percentile(0.99):>9.1f}{run.errors:>8}{run.rps / peer:>10.2f}"
            f"{server_ms:>9.2f} ms{client_ms:>9.2f} ms"
        )
    print("(CPU per request: user + system time of every server process, and of the client)")
    for (name, workers), run in runs.items():
        if name != "hello (peer)" and run.latencies_ms:
            mean = statistics.fmean(run.latencies_ms)
            server_ms, client_ms = run.cpu_ms()
            shares = "/".join(f"{s:.0%}" for s in run.shares())
            print(
                f"{name}, {workers} worker(s): mean latency {mean:.1f} ms; server CPU by "
                f"process {shares}; {cores} cores / (server + client CPU per request) = "
                f"{cores * 1000 / (server_ms + client_ms):.0f} req/s"
            )


SECTIONS: dict[str, Section] = {"api-load": api_load}


def _serve(argv: list[str]) -> None:
    """`bench_api.py --serve TARGET --port P`: the peer under uvicorn with WORKERS processes.

    Like `uvicorn --workers`, but listening as `corridor serve` does (`listening_socket`: with
    IPPROTO_TCP, so TCP_NODELAY is set on connections, and a socket of its own per worker
    where SO_REUSEPORT exists), on uvicorn's default protocol and loop (httptools and uvloop
    where installed, as `corridor serve` picks them).
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
    sys.path.insert(0, str(SRC))
    from corridor.api.server import listening_socket

    sock = listening_socket("127.0.0.1", args.port)  # as `corridor serve` makes it
    if WORKERS == 1:
        uvicorn.Server(config).run(sockets=[sock])
    else:
        Multiprocess(config, sockets=[sock]).run()


if __name__ == "__main__":
    _serve(sys.argv[1:])
