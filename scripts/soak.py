"""A loopback soak of `corridor serve`: hostile load, crashes, and what must hold afterwards.

Starts a throwaway PostgreSQL cluster (initdb in a temporary folder, `pg_ctl start` on a free
port; SQLite where PostgreSQL is not installed) and `corridor serve --workers 2` on a free port,
both through their real command lines, then for `--minutes` runs at once:

- slowloris: sockets that send a request head a byte at a time, sockets that send nothing, and
  kept-alive sockets left idle after one request (each reopened when the server closes it);
- floods of heavy route queries (long random routes, alternatives, p90, deadlines, samples) and
  of cheap ones (health, places, one cached route), saves of shipments (each acknowledged id
  recorded), malformed requests (bad JSON, oversize and lying bodies, bad headers, the fuzz
  reproducers) and, every few minutes, a job storm (compare and criticality jobs from several
  client addresses at once, half of them cancelled) and a connection flood past the caps;
- crashes: SIGKILL of one worker, of the whole server (then restarted with the same command)
  and of PostgreSQL (every server process; then restarted, with crash recovery).

Meanwhile it samples every server process's RSS and the health latency. When the load stops it
checks, and exits 1 if any check fails:

- health answers in under 100 ms (median of 50 requests, each on a new connection);
- memory is flat once warm: for every worker still serving at the end that lived at least
  `--fit-minutes`, the least-squares slope of its RSS over the part of its life after
  `--judge-after` (a fraction, default the second half: the first covers loading, warming and
  filling the bounded caches) is within +-`--max-slope` MB/min; a worker the soak killed earlier
  must have ended no more than `--level-margin` MB above the highest end level of those; a run in
  which no worker serving at the end lived that long fails the check;
- nothing acknowledged is lost: every shipment whose save got 201 reads back, and every job that
  got 202 ends done, failed or cancelled (jobs of a process that was killed are gone with it, as
  documented, and reported apart);
- no 5xx but 503 `busy` with Retry-After, 503 `time-budget`, and 503 `database-unavailable`
  while the database is down; no request hangs (client timeout); no traceback in the server log;
- the server recovers from each crash; slow and idle sockets are closed within the documented
  read and keep-alive timeouts; malformed requests get their 4xx.

    python scripts/soak.py --minutes 30 --out build/soak      # make soak (SOAK_MINUTES=30)
    python scripts/soak.py --smoke --out build/soak-smoke     # about 40 s

It prints a summary table and writes `report.json` (and the server and PostgreSQL logs) to
`--out`. It needs `corridor[server,postgres]`; psutil is used when installed (else /proc).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

READ_TIMEOUT_S = 10.0  # Settings.request_read_timeout_s (docs/api.md "Limits")
KEEP_ALIVE_S = 5.0  # Settings.keep_alive_timeout_s
SOCKET_SLACK_S = 5.0  # how much later than the timeout a held socket may be closed
CLIENT_TIMEOUT_S = 40.0  # a request unanswered this long counts as a hang (budget is 10 s)
HEALTH_LIMIT_MS = 100.0
QUERY_BUDGET_S = 10.0  # Settings.query_timeout_s: from arrival to answer, queueing included
BUDGET_SLACK_S = 5.0
GRACE_S = 3.0  # after a crash's recovery, errors are still put down to the crash
BUSY_KINDS = ("busy",)
SLOW_HEAD = b"POST /api/routes HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + b"a" * 4000


# --- settings ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """How hard and how long to push."""

    minutes: float
    smoke: bool
    workers: int
    db: str  # "postgresql", "sqlite" or "auto"
    out: Path
    heavy_clients: int
    cheap_clients: int
    slow_sockets: int
    idle_sockets: int
    kept_sockets: int
    job_storm_every_s: float
    jobs_per_storm: int
    sample_every_s: float
    fit_minutes: float
    judge_after: float  # the fraction of a worker's life after which its RSS must be flat
    max_slope_mb_min: float
    level_margin_mb: float  # how far above the last workers' level a killed worker may end
    db_down_s: float
    seed: int

    @property
    def seconds(self) -> float:
        return self.minutes * 60.0


def parse_plan(argv: list[str] | None = None) -> Plan:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=30.0, help="load duration")
    parser.add_argument("--smoke", action="store_true", help="about 20 s of load, light")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--db", choices=("auto", "postgresql", "sqlite"), default="auto")
    parser.add_argument("--out", type=Path, default=Path("build/soak"))
    parser.add_argument("--fit-minutes", type=float, default=5.0, help="shortest life judged")
    parser.add_argument(
        "--judge-after", type=float, default=0.5, help="fraction of a life that is warm-up"
    )
    parser.add_argument("--max-slope", type=float, default=1.0, help="MB/min, memory check")
    parser.add_argument(
        "--level-margin", type=float, default=10.0, help="MB a killed worker may end above the last"
    )
    parser.add_argument("--seed", type=int, default=20261129)
    args = parser.parse_args(argv)
    plan = Plan(
        minutes=args.minutes,
        smoke=False,
        workers=args.workers,
        db=args.db,
        out=args.out,
        heavy_clients=12,
        cheap_clients=6,
        slow_sockets=120,
        idle_sockets=60,
        kept_sockets=60,
        job_storm_every_s=120.0,
        jobs_per_storm=12,
        sample_every_s=3.0,
        fit_minutes=args.fit_minutes,
        judge_after=args.judge_after,
        max_slope_mb_min=args.max_slope,
        level_margin_mb=args.level_margin,
        db_down_s=20.0,
        seed=args.seed,
    )
    if not args.smoke:
        return plan
    # the smoke run (tests/scripts/test_soak.py): the same plan, scaled down to seconds
    return replace(
        plan,
        minutes=min(args.minutes, 0.3),
        smoke=True,
        heavy_clients=3,
        cheap_clients=2,
        slow_sockets=20,
        idle_sockets=10,
        kept_sockets=10,
        job_storm_every_s=8.0,
        jobs_per_storm=6,
        sample_every_s=1.0,
        db_down_s=1.0,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- PostgreSQL ----------------------------------------------------------------------------------


def pg_bindir() -> Path | None:
    """The folder of initdb/pg_ctl/postgres: Debian's newest, or the PATH's."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: p.parts)
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


class Postgres:
    """A throwaway cluster in a temporary folder (run as `postgres` when we are root)."""

    def __init__(self, bindir: Path, folder: Path) -> None:
        self.bindir = bindir
        self.folder = folder
        self.data = folder / "pgdata"
        self.log = folder / "postgresql.log"
        self.port = free_port()
        self.user = os.environ.get("USER") or "postgres"
        self.prefix: list[str] = []
        if os.getuid() == 0:
            self.user = "postgres" if _has_user("postgres") else "nobody"
            shutil.chown(folder, user=self.user)
            self.prefix = ["runuser", "-u", self.user, "--"]
        else:
            import getpass

            self.user = getpass.getuser()

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/corridor"

    def _run(self, *args: str) -> None:
        subprocess.run([*self.prefix, *args], check=True, capture_output=True, timeout=120)

    def init(self) -> None:
        self._run(
            str(self.bindir / "initdb"), "-D", str(self.data), "-U", self.user, "-A", "trust",
            "-E", "UTF8", "--no-sync",
        )  # fmt: skip
        self.start()
        self._run(
            str(self.bindir / "createdb"), "-h", "127.0.0.1", "-p", str(self.port),
            "-U", self.user, "corridor",
        )  # fmt: skip

    def start(self, tries: int = 5) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        for attempt in range(tries):
            try:
                self._run(
                    str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", str(self.log),
                    "-w", "-t", "120", "-o", options, "start",
                )  # fmt: skip
                return
            except subprocess.CalledProcessError:
                if attempt == tries - 1:
                    tail = self.log.read_text(errors="replace")[-2000:]
                    raise SystemExit(f"soak: PostgreSQL did not start:\n{tail}") from None
                time.sleep(1.0)

    def master(self) -> int | None:
        try:
            return int((self.data / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def kill(self) -> int:
        """SIGKILL every server process at once (a crash: no shutdown, no checkpoint). The
        postmaster is stopped first, so it forks no backend that the kill would miss."""
        master = self.master()
        if master is None:
            return 0
        with contextlib.suppress(ProcessLookupError):
            os.kill(master, signal.SIGSTOP)
        pids = [master, *children_of(master)]
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        for pid in pids:
            wait_gone(pid)
        return len(pids)

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")


def _has_user(name: str) -> bool:
    import pwd

    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


# --- processes -----------------------------------------------------------------------------------


def children_of(pid: int) -> list[int]:
    """Every descendant of `pid` (from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, ValueError, IndexError):
                stat = (entry / "stat").read_text()
                parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found: list[int] = []
    frontier = [pid]
    while frontier:
        current = frontier.pop()
        kids = [child for child, parent in parents.items() if parent == current]
        found.extend(kids)
        frontier.extend(kids)
    return found


def wait_gone(pid: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
        state = _proc_state(pid)
        if state in ("Z", "X", None):
            return
        time.sleep(0.02)


def _proc_state(pid: int) -> str | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return None


def rss_bytes(pid: int) -> int | None:
    """Resident memory of `pid` (psutil when installed, else /proc/PID/statm)."""
    try:
        import psutil  # type: ignore[import-untyped]
    except ImportError:
        try:
            pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
        except (OSError, ValueError, IndexError):
            return None
        return pages * os.sysconf("SC_PAGE_SIZE")
    try:
        return int(psutil.Process(pid).memory_info().rss)
    except psutil.Error:
        return None


def role_of(pid: int) -> str:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
    except OSError:
        return "gone"
    if b"spawn_main" in cmdline:
        return "worker"
    if b"resource_tracker" in cmdline:
        return "tracker"
    return "supervisor"


def socket_owner(server_port: int, client_addr: tuple[str, int], pids: list[int]) -> int | None:
    """Which of `pids` holds the server side of the TCP connection from `client_addr`."""
    wanted_local = f"{server_port:04X}"
    wanted_remote = f"{_hex_ip(client_addr[0])}:{client_addr[1]:04X}"
    inode = None
    with contextlib.suppress(OSError):
        for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
            parts = line.split()
            if parts[1].endswith(":" + wanted_local) and parts[2] == wanted_remote:
                inode = parts[9]
                break
    if inode is None:
        return None
    target = f"socket:[{inode}]"
    for pid in pids:
        fds = Path(f"/proc/{pid}/fd")
        with contextlib.suppress(OSError):
            for fd in fds.iterdir():
                with contextlib.suppress(OSError):
                    if os.readlink(fd) == target:
                        return pid
    return None


def _hex_ip(ip: str) -> str:
    return "".join(f"{int(part):02X}" for part in reversed(ip.split(".")))


class Server:
    """`corridor serve` in its own session, so a SIGKILL takes every process of it."""

    def __init__(self, folder: Path, db_url: str, workers: int) -> None:
        self.port = free_port()
        self.db_url = db_url
        self.workers = workers
        self.log = folder / "server.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        corridor = Path(sys.executable).with_name("corridor")
        exe = [str(corridor)] if corridor.exists() else [sys.executable, "-m", "corridor.cli"]
        return [
            *exe, "serve", "--port", str(self.port), "--workers", str(self.workers),
            "--db", self.db_url,
        ]  # fmt: skip

    def start(self) -> None:
        self.starts += 1
        with self.log.open("ab") as log:
            log.write(f"\n=== soak: start {self.starts} at {_now_iso()}\n".encode())
            log.flush()
            # a crash in native code prints its Python stack instead of vanishing silently
            env = {**os.environ, "PYTHONFAULTHANDLER": "1"}
            self.process = subprocess.Popen(
                self.command(),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                env=env,
            )

    def pids(self) -> list[int]:
        if self.process is None or self.process.poll() is not None:
            return []
        return [self.process.pid, *children_of(self.process.pid)]

    def worker_pids(self) -> list[int]:
        return [pid for pid in self.pids() if role_of(pid) == "worker"]

    def kill(self) -> None:
        """SIGKILL every process of the server at once."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGINT)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.kill()


def _now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# --- what happened -------------------------------------------------------------------------------


@dataclass
class Outcome:
    """One request's fate: `status` 0 for a transport error (`error` says which)."""

    category: str
    started: float
    ended: float
    status: int
    kind: str = ""  # the problem type's last part
    retry_after: bool = False
    error: str = ""


@dataclass
class Window:
    """A crash, from the kill until recovery (+ grace): errors inside are put down to it."""

    what: str
    started: float
    recovered: float | None = None
    detail: dict[str, Any] = field(default_factory=dict)

    def covers(self, start: float, end: float) -> bool:
        until = (self.recovered if self.recovered is not None else float("inf")) + GRACE_S
        return start <= until and end >= self.started


@dataclass
class Job:
    id: str
    kind: str
    client: str
    owner: int | None
    accepted_at: float
    cancel_sent: bool = False
    cancel_status: str = ""
    final: str = ""


@dataclass
class SlowSocket:
    mode: str  # "slow" (head a byte at a time), "silent", "kept" (idle after one request)
    opened: float
    closed: float
    answer: str  # the status line the server sent, or "" (closed without an answer)


@dataclass
class Log:
    """Everything measured during a run."""

    t0: float = field(default_factory=time.monotonic)
    outcomes: list[Outcome] = field(default_factory=list)
    windows: list[Window] = field(default_factory=list)
    shipments: dict[int, str] = field(default_factory=dict)  # acknowledged id -> name
    jobs: list[Job] = field(default_factory=list)
    job_answers: Counter[str] = field(default_factory=Counter)
    sockets: list[SlowSocket] = field(default_factory=list)
    rss: dict[int, list[tuple[float, int]]] = field(default_factory=dict)
    roles: dict[int, str] = field(default_factory=dict)
    health: list[tuple[float, float, int]] = field(default_factory=list)  # t, ms, status
    load: list[tuple[float, float]] = field(default_factory=list)  # t, 1-min load average
    flood: Counter[str] = field(default_factory=Counter)

    def now(self) -> float:
        return time.monotonic() - self.t0

    def in_window(self, start: float, end: float, *whats: str) -> bool:
        return any(w.covers(start, end) for w in self.windows if w.what in whats)


async def timed(
    log: Log, category: str, call: Callable[[], Awaitable[httpx.Response]]
) -> httpx.Response | None:
    """Run one request and record its outcome."""
    started = log.now()
    try:
        response = await call()
    except httpx.TimeoutException as exc:
        log.outcomes.append(Outcome(category, started, log.now(), 0, error=_name(exc)))
        return None
    except httpx.HTTPError as exc:
        log.outcomes.append(Outcome(category, started, log.now(), 0, error=_name(exc)))
        return None
    kind = ""
    if response.headers.get("content-type", "").startswith("application/problem+json"):
        with contextlib.suppress(ValueError, AttributeError):
            kind = str(response.json().get("type", "")).rsplit(":", 1)[-1]
    log.outcomes.append(
        Outcome(
            category,
            started,
            log.now(),
            response.status_code,
            kind,
            "retry-after" in response.headers,
        )
    )
    return response


def _name(exc: BaseException) -> str:
    return type(exc).__name__


def client(base: str, source: str = "127.0.0.1", connections: int = 10) -> httpx.AsyncClient:
    """An HTTP client from the loopback address `source` (a client address of its own)."""
    transport = httpx.AsyncHTTPTransport(
        local_address=source,
        retries=0,
        limits=httpx.Limits(max_connections=connections, keepalive_expiry=KEEP_ALIVE_S - 1.5),
    )
    timeout = httpx.Timeout(CLIENT_TIMEOUT_S, connect=10.0)
    return httpx.AsyncClient(base_url=base, transport=transport, timeout=timeout)


# --- load ----------------------------------------------------------------------------------------


@dataclass
class Context:
    plan: Plan
    log: Log
    server: Server
    postgres: Postgres | None
    nodes: list[str]
    stop: asyncio.Event
    rng: random.Random
    sample_route: dict[str, Any]


def heavy_query(rng: random.Random, nodes: list[str]) -> dict[str, Any]:
    """A long, expensive route request: alternatives, reliability, a deadline."""
    origin, destination = rng.sample(nodes, 2)
    depart = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(hours=rng.randrange(0, 2 * 365 * 24))
    body: dict[str, Any] = {
        "origin": origin,
        "destination": destination,
        "depart": depart.isoformat().replace("+00:00", "Z"),
        "alternatives": rng.randint(3, 12),
        "samples": rng.choice((1000, 2000, 5000)),
        "seed": rng.randrange(1000),
    }
    if rng.random() < 0.5:
        body["criteria"] = ["time", "cost", "co2e", "p90"]
    if rng.random() < 0.6:
        deadline = depart + timedelta(days=rng.randint(12, 40))
        body["deadline"] = deadline.isoformat().replace("+00:00", "Z")
    if rng.random() < 0.15:
        body["all_routes"] = True
    return body


CACHED_ROUTE = {"origin": "Almaty", "destination": "Duisburg", "depart": "2026-12-01T00:00Z"}


async def heavy_flood(ctx: Context, index: int) -> None:
    rng = random.Random(ctx.plan.seed * 100 + index)
    async with client(ctx.server.url, connections=1) as http:
        while not ctx.stop.is_set():
            body = heavy_query(rng, ctx.nodes)
            response = await timed(
                ctx.log,
                "heavy",
                lambda b=body: http.post("/api/routes", json=b),  # type: ignore[misc]
            )
            await _pause(ctx, response, 0.05)


async def cheap_flood(ctx: Context, index: int) -> None:
    rng = random.Random(ctx.plan.seed * 200 + index)
    words = ("al", "duis", "bak", "xi", "port", "ist", "tbil", "aktau", "brest", "zzz")
    async with client(ctx.server.url, connections=1) as http:
        while not ctx.stop.is_set():
            pick = rng.random()
            if pick < 0.35:
                call = http.get("/api/health")
                category = "health"
            elif pick < 0.7:
                q = rng.choice(words)
                call = http.get("/api/places", params={"q": q, "limit": 10})
                category = "places"
            elif pick < 0.97:
                call = http.post("/api/routes", json=CACHED_ROUTE)
                category = "cached-route"
            else:
                call = http.get("/api/network")
                category = "network"
            response = await timed(ctx.log, category, lambda c=call: c)  # type: ignore[misc]
            await _pause(ctx, response, 0.02)


async def _pause(ctx: Context, response: httpx.Response | None, base: float) -> None:
    """A short pause; longer after a refusal or a transport error, as a polite client would."""
    delay = base
    if response is None:
        delay = 0.5
    elif response.status_code == 503:
        delay = min(2.0, float(response.headers.get("retry-after", "1") or 1))
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(ctx.stop.wait(), timeout=delay)


async def shipment_saver(ctx: Context) -> None:
    """Save shipments one after another; a 201 is an acknowledgement to check at the end."""
    async with client(ctx.server.url, connections=1) as http:
        while not ctx.stop.is_set():
            name = f"soak-{uuid.uuid4().hex[:16]}"
            body = {
                "name": name,
                "query": {"origin": "Almaty", "destination": "Duisburg"},
                "route_index": 0,
                "route": ctx.sample_route,
            }
            response = await timed(
                ctx.log,
                "save",
                lambda b=body: http.post("/api/shipments", json=b),  # type: ignore[misc]
            )
            if response is not None and response.status_code == 201:
                ctx.log.shipments[int(response.json()["id"])] = name
            await _pause(ctx, response, 0.15)


NESTED = '{"a":' * 3000 + "1" + "}" * 3000
DEEP_TOML = "name = 'x'\nv = " + "[" * 600 + "]" * 600 + "\n"
HUGE_FACTOR = (
    'name="x"\n[[change]]\ntype="change_service"\nservice="cre_xian"\nfrequency_factor=1e308\n'
)


def malformed_requests() -> list[tuple[str, str, str, dict[str, str], bytes, tuple[int, ...]]]:
    """(name, method, path, headers, body, the statuses it may get)."""
    json_type = {"content-type": "application/json"}
    return [
        ("bad-json", "POST", "/api/routes", json_type, b'{"origin": "Almaty",', (400,)),
        ("not-json-type", "POST", "/api/routes", {"content-type": "text/plain"}, b"{}", (422,)),
        ("nested-json", "POST", "/api/routes", json_type, NESTED.encode(), (400, 422)),
        ("unknown-field", "POST", "/api/routes", json_type, b'{"origin":"A","nope":1}', (422,)),
        ("array-body", "POST", "/api/shipments", json_type, b"[1,2,3]", (422,)),
        ("nul-name", "POST", "/api/shipments", json_type, b'{"name":"a\\u0000b"}', (422,)),
        ("oversize", "POST", "/api/routes", json_type, b"[" + b"1," * 300_000 + b"1]", (413,)),
        ("huge-factor", "POST", "/api/scenarios", json_type,
         json.dumps({"name": "x", "text": HUGE_FACTOR}).encode(), (422,)),
        ("deep-toml", "POST", "/api/scenarios", json_type,
         json.dumps({"name": "x", "text": DEEP_TOML}).encode(), (422,)),
        ("bad-depart", "POST", "/api/routes", json_type,
         b'{"origin":"Almaty","destination":"Duisburg","depart":"9999-12-31"}', (422,)),
        ("nan", "POST", "/api/routes", json_type,
         b'{"origin":"Almaty","destination":"Duisburg","tonnes":NaN}', (400, 422)),
        ("bad-id", "GET", "/api/shipments/99999999999", {}, b"", (404, 422)),
        ("bad-job", "GET", "/api/jobs/compare", {}, b"", (405,)),
        ("bad-host", "GET", "/api/health", {"host": "evil.example"}, b"", (400,)),
    ]  # fmt: skip


async def malformed(ctx: Context) -> None:
    cases = malformed_requests()
    rng = random.Random(ctx.plan.seed * 300)
    async with client(ctx.server.url, connections=1) as http:
        while not ctx.stop.is_set():
            name, method, path, headers, body, allowed = rng.choice(cases)
            request = http.build_request(method, path, headers=headers, content=body)
            response = await timed(ctx.log, f"malformed:{name}", lambda r=request: http.send(r))  # type: ignore[misc]
            if response is not None and response.status_code not in allowed:
                ctx.log.outcomes[-1].error = f"expected {allowed}"
            await _pause(ctx, response, 0.3)
        await raw_garbage(ctx)


async def raw_garbage(ctx: Context) -> None:
    """Bytes that are no HTTP at all, and a head past the size limit: a 4xx or a close."""
    for name, payload in (
        ("garbage", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + os.urandom(64) + b"\r\n\r\n"),
        ("huge-head", b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX: " + b"a" * 40_000 + b"\r\n\r\n"),
        (
            "lying-length",
            b"POST /api/routes HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/json\r\nContent-Length: abc\r\n\r\n{}",
        ),
    ):
        started = ctx.log.now()
        status = 0
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", ctx.server.port)
            writer.write(payload)
            await writer.drain()
            line = await asyncio.wait_for(reader.readline(), timeout=15)
            status = int(line.split()[1]) if line.startswith(b"HTTP/1.1") else 0
            writer.close()
        except (OSError, TimeoutError, ValueError, IndexError):
            pass
        outcome = Outcome(f"malformed:{name}", started, ctx.log.now(), status)
        if status and not 400 <= status < 500:
            outcome.error = "expected a 4xx"
        ctx.log.outcomes.append(outcome)


# --- slowloris -----------------------------------------------------------------------------------


async def slow_socket(ctx: Context, mode: str, source: str) -> None:
    """Hold a socket as a slowloris client would; reopen it whenever the server closes it."""
    while not ctx.stop.is_set():
        try:
            reader, writer = await asyncio.open_connection(
                "127.0.0.1", ctx.server.port, local_addr=(source, 0)
            )
        except OSError:
            await asyncio.sleep(1.0)
            continue
        opened = ctx.log.now()
        answer = await _hold(ctx, mode, reader, writer)
        if answer is None:  # we stopped first
            writer.close()
            return
        ctx.log.sockets.append(SlowSocket(mode, opened, ctx.log.now(), answer))
        writer.close()
        await asyncio.sleep(0.2)


async def _hold(
    ctx: Context, mode: str, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> str | None:
    """Dribble, stay silent or idle after one request until the server closes the socket:
    the status line it sent ("" for none), or None once the soak stops."""
    if mode == "kept":
        writer.write(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        head = await _read_head(reader)
        if head is None:
            return ""
        # idle from now on: only the keep-alive timeout should close it
    read = asyncio.ensure_future(reader.read(65536))
    sent = 0
    try:
        while not ctx.stop.is_set():
            done, _ = await asyncio.wait({read}, timeout=1.0)
            if done:
                data = read.result() if not read.exception() else b""
                return data.split(b"\r\n", 1)[0].decode("latin-1") if data else ""
            if mode == "slow" and sent < len(SLOW_HEAD):
                try:
                    writer.write(SLOW_HEAD[sent : sent + 1])
                except OSError:
                    return ""
                sent += 1
        return None
    finally:
        read.cancel()


async def _read_head(reader: asyncio.StreamReader) -> bytes | None:
    try:
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout=30)
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":", 1)[1])
        await asyncio.wait_for(reader.readexactly(length), timeout=30)
    except (OSError, TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
        return None
    return head


async def heavy_burst(ctx: Context, count: int) -> None:
    """`count` heavy queries at once, each on a connection of its own: past what the server
    can plan within the budget they must be shed (503 busy, Retry-After) or time out (503
    time-budget), every answer within the budget plus slack."""
    rng = random.Random(ctx.plan.seed * 500)
    bodies = [heavy_query(rng, ctx.nodes) for _ in range(count)]

    async def one(index: int, body: dict[str, Any]) -> None:
        async with client(ctx.server.url, source=f"127.0.0.{40 + index % 4}", connections=1) as h:
            await timed(ctx.log, "burst", lambda: h.post("/api/routes", json=body))

    await asyncio.gather(*(one(i, b) for i, b in enumerate(bodies)))


async def connection_flood(ctx: Context, count: int) -> None:
    """Open `count` connections from one address at once, each sending a whole request: past
    the per-client cap they must be answered 503 busy (with Retry-After) and closed, not hang."""
    source = "127.0.0.9"

    async def one() -> str:
        try:
            reader, writer = await asyncio.open_connection(
                "127.0.0.1", ctx.server.port, local_addr=(source, 0)
            )
        except OSError as exc:
            return f"connect-error:{exc.errno}"
        try:
            writer.write(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            head = await _read_head(reader)
            if head is None:
                return "closed"
            status = head.split()[1].decode()
            retry = b"retry-after" in head.lower()
            await asyncio.sleep(2.0)  # hold it, so the others meet a full table
            return f"{status}{'+retry-after' if retry else ''}"
        finally:
            writer.close()

    answers = await asyncio.gather(*(one() for _ in range(count)))
    ctx.log.flood.update(answers)


# --- jobs ----------------------------------------------------------------------------------------


async def job_storm(ctx: Context, storm: int) -> None:
    """Many jobs at once from four client addresses; half of the accepted ones cancelled."""
    rng = random.Random(ctx.plan.seed * 400 + storm)
    sources = [f"127.0.0.{20 + i}" for i in range(4)]
    tasks = [
        submit_job(ctx, sources[i % len(sources)], rng.random() < 0.5, rng.random())
        for i in range(ctx.plan.jobs_per_storm)
    ]
    await asyncio.gather(*tasks)


def job_body(pick: float) -> tuple[str, dict[str, Any]]:
    if pick < 0.5:
        text = 'name = "dearer"\n[[change]]\ntype = "change_tariff"\nfactor = 1.2\n'
        return "compare", {"text": text, "alternatives": 0, "samples": 100}
    return "criticality", {"kinds": ["hub"], "top": 5}


async def submit_job(ctx: Context, source: str, cancel: bool, pick: float) -> None:
    kind, body = job_body(pick)
    async with client(ctx.server.url, source=source, connections=1) as http:
        response = await timed(ctx.log, "job", lambda: http.post(f"/api/jobs/{kind}", json=body))
        if response is None:
            ctx.log.job_answers["transport-error"] += 1
            return
        ctx.log.job_answers[str(response.status_code)] += 1
        if response.status_code != 202:
            return
        owner = _owner(ctx, response)
        job = Job(response.json()["id"], kind, source, owner, ctx.log.now())
        ctx.log.jobs.append(job)
        if cancel:
            job.cancel_sent = True
            answer = await timed(ctx.log, "job", lambda: http.delete(f"/api/jobs/{job.id}"))
            if answer is not None and answer.status_code == 200 and _owner(ctx, answer) == owner:
                job.cancel_status = str(answer.json()["status"])


def _owner(ctx: Context, response: httpx.Response) -> int | None:
    stream = response.extensions.get("network_stream")
    if stream is None:
        return None
    try:
        addr = stream.get_extra_info("client_addr")
    except OSError:  # the server closed the kept-alive socket after answering: owner unknown
        return None
    if not addr:
        return None
    return socket_owner(ctx.server.port, (str(addr[0]), int(addr[1])), ctx.server.worker_pids())


async def ask_owner(
    ctx: Context, owner: int, method: str, path: str, attempts: int = 60
) -> httpx.Response | None:
    """Send a request to the worker process `owner` (job ids are known only to it): open
    connections until one lands on it, then ask on that connection."""
    for _ in range(attempts):
        if owner not in ctx.server.worker_pids():
            return None
        async with client(ctx.server.url, source="127.0.0.30", connections=1) as http:
            try:
                probe = await http.get("/api/health")
            except httpx.HTTPError:
                await asyncio.sleep(0.2)
                continue
            if _owner(ctx, probe) != owner:
                # the other worker took it: the owner may be busy planning, give it a moment
                await asyncio.sleep(0.25)
                continue
            try:
                answer = await http.request(method, path)
            except httpx.HTTPError:
                continue
            if _owner(ctx, answer) == owner:
                return answer
    return None


async def find_owner(ctx: Context, job_id: str) -> int | None:
    """The live worker that knows the job (job ids are per worker), or None if none does."""
    for pid in ctx.server.worker_pids():
        answer = await ask_owner(ctx, pid, "GET", f"/api/jobs/{job_id}")
        if answer is not None and answer.status_code == 200:
            return pid
    return None


async def settle_jobs(ctx: Context, wait_s: float) -> None:
    """Wait for every acknowledged job to finish (or cancel it at the end): none may vanish."""
    deadline = time.monotonic() + wait_s
    for job in ctx.log.jobs:
        if job.owner is None:
            # the accepting socket was gone before its worker could be read (a loaded machine):
            # ask every live worker; one that knows the job owns it
            job.owner = await find_owner(ctx, job.id)
        if job.owner is None:
            job.final = "owner-unknown"
            continue
        while True:
            if job.owner not in ctx.server.worker_pids():
                job.final = "process-killed"
                break
            answer = await ask_owner(ctx, job.owner, "GET", f"/api/jobs/{job.id}")
            if answer is None:
                job.final = "unreachable"
                break
            if answer.status_code == 404:
                job.final = "vanished"
                break
            status = str(answer.json()["status"])
            if status in ("done", "failed", "cancelled"):
                job.final = status
                break
            if time.monotonic() > deadline:
                cancel = await ask_owner(ctx, job.owner, "DELETE", f"/api/jobs/{job.id}")
                job.final = (
                    "vanished"
                    if cancel is None or cancel.status_code == 404
                    else ("cancelled-at-end:" + str(cancel.json()["status"]))
                )
                break
            await asyncio.sleep(1.0)


# --- monitoring and crashes ----------------------------------------------------------------------


async def monitor(ctx: Context) -> None:
    """Sample every server process's RSS and one health request (on a new connection)."""
    while not ctx.stop.is_set():
        t = ctx.log.now()
        for pid in ctx.server.pids():
            rss = rss_bytes(pid)
            if rss:  # a zombie has none
                ctx.log.rss.setdefault(pid, []).append((t, rss))
                ctx.log.roles.setdefault(pid, role_of(pid))
        ctx.log.load.append((t, os.getloadavg()[0]))
        ms, status = await health_once(ctx.server.url)
        ctx.log.health.append((t, ms, status))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(ctx.stop.wait(), timeout=ctx.plan.sample_every_s)


async def health_once(base: str) -> tuple[float, int]:
    """One GET /api/health on a new connection: milliseconds from connecting to the whole
    answer, and its status (0: no answer). A raw socket, so the figure is the server's time
    and not an HTTP client's set-up."""
    host, port = base.removeprefix("http://").split(":")
    started = time.perf_counter()
    status = 0
    writer = None
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(host, int(port)), 10)
        writer.write(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        head = await asyncio.wait_for(_read_head(reader), 10)
        if head is not None:
            status = int(head.split()[1])
    except (OSError, TimeoutError, ValueError, IndexError):
        status = 0
    finally:
        if writer is not None:
            writer.close()
    return (time.perf_counter() - started) * 1000, status


async def wait_healthy(base: str, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        _, status = await health_once(base)
        if status == 200:
            return True
        await asyncio.sleep(0.25)
    return False


async def kill_worker(ctx: Context) -> None:
    workers = ctx.server.worker_pids()
    if not workers:
        return
    victim = workers[0]
    window = Window("worker", ctx.log.now(), detail={"pid": victim})
    ctx.log.windows.append(window)
    os.kill(victim, signal.SIGKILL)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:  # uvicorn's supervisor should start a replacement
        current = ctx.server.worker_pids()
        replaced = victim not in current and len(current) >= ctx.plan.workers
        if replaced and await wait_healthy(ctx.server.url, 5):
            window.recovered = ctx.log.now()
            window.detail["replacement"] = True
            break
        await asyncio.sleep(0.5)
    else:
        window.recovered = ctx.log.now()
        window.detail["replacement"] = False


async def kill_server(ctx: Context) -> None:
    window = Window("server", ctx.log.now(), detail={"pids": ctx.server.pids()})
    ctx.log.windows.append(window)
    await asyncio.to_thread(ctx.server.kill)
    ctx.server.start()
    ok = await wait_healthy(ctx.server.url, 300)
    window.recovered = ctx.log.now() if ok else None
    window.detail["health_ok"] = ok


async def kill_database(ctx: Context) -> None:
    assert ctx.postgres is not None
    window = Window("db", ctx.log.now())
    ctx.log.windows.append(window)
    window.detail["killed"] = await asyncio.to_thread(ctx.postgres.kill)
    await asyncio.sleep(ctx.plan.db_down_s)
    await asyncio.to_thread(ctx.postgres.start)
    window.detail["restarted_at_s"] = round(ctx.log.now(), 1)
    # recovered: a shipment save succeeds again
    deadline = time.monotonic() + 120
    async with client(ctx.server.url, connections=1) as http:
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                answer = await http.get("/api/shipments", params={"limit": 1})
                if answer.status_code == 200:
                    window.recovered = ctx.log.now()
                    break
            await asyncio.sleep(0.25)
    window.detail["recovered"] = window.recovered is not None


async def director(ctx: Context) -> None:
    """The crashes, storms and floods, at fixed points of the run."""
    total = ctx.plan.seconds
    events: list[tuple[float, str]] = [(0.15, "flood"), (0.8, "flood"), (0.55, "burst")]
    if ctx.plan.workers > 1:
        events.append((0.25, "worker"))
    if not ctx.plan.smoke:  # a restart takes 10-20 s: the full run only
        events.append((0.4, "server"))
    if ctx.postgres is not None:
        events.append((0.65, "db"))
    storms = max(1, int(total // ctx.plan.job_storm_every_s))
    events += [((i + 0.5) / storms * 0.9, "storm") for i in range(storms)]
    events.sort()
    background: list[asyncio.Task[None]] = []
    for index, (fraction, what) in enumerate(events):
        delay = fraction * total - ctx.log.now()
        if delay > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(ctx.stop.wait(), timeout=delay)
        if ctx.stop.is_set():
            break
        print(f"soak: {ctx.log.now():7.1f} s  {what}", flush=True)
        if what == "storm":
            background.append(asyncio.create_task(job_storm(ctx, index)))
        elif what == "burst":
            background.append(asyncio.create_task(heavy_burst(ctx, 40 if ctx.plan.smoke else 200)))
        elif what == "flood":
            background.append(asyncio.create_task(connection_flood(ctx, 150)))
        elif what == "worker":
            await kill_worker(ctx)
        elif what == "server":
            await kill_server(ctx)
        elif what == "db":
            await kill_database(ctx)
    await asyncio.gather(*background)


# --- the run -------------------------------------------------------------------------------------


async def run_load(ctx: Context) -> None:
    plan = ctx.plan
    tasks = [asyncio.create_task(monitor(ctx))]
    tasks += [asyncio.create_task(heavy_flood(ctx, i)) for i in range(plan.heavy_clients)]
    tasks += [asyncio.create_task(cheap_flood(ctx, i)) for i in range(plan.cheap_clients)]
    tasks += [asyncio.create_task(shipment_saver(ctx)), asyncio.create_task(malformed(ctx))]
    sources = [f"127.0.0.{2 + i}" for i in range(4)]
    for mode, count in (
        ("slow", plan.slow_sockets),
        ("silent", plan.idle_sockets),
        ("kept", plan.kept_sockets),
    ):
        tasks += [
            asyncio.create_task(slow_socket(ctx, mode, sources[i % len(sources)]))
            for i in range(count)
        ]
    director_task = asyncio.create_task(director(ctx))
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(ctx.stop.wait(), timeout=plan.seconds)
    await director_task  # a crash in progress finishes (and recovers) before the load stops
    ctx.stop.set()
    await asyncio.gather(*tasks)


async def prepare(plan: Plan, log: Log, server: Server, pg: Postgres | None) -> Context:
    if not await wait_healthy(server.url, 300):
        raise SystemExit(f"soak: the server did not answer health; see {server.log}")
    async with client(server.url) as http:
        geo = (await http.get("/api/network")).json()
        nodes = sorted(
            f["properties"]["id"] for f in geo["features"] if f["properties"].get("kind") == "node"
        )
        route = (await http.post("/api/routes", json=CACHED_ROUTE, timeout=120)).json()
    sample = route["routes"][0] if route.get("routes") else {}
    return Context(plan, log, server, pg, nodes, asyncio.Event(), random.Random(plan.seed), sample)


async def soak(plan: Plan, folder: Path) -> dict[str, Any]:
    pg, db_url = setup_database(plan, folder)
    server = Server(folder, db_url, plan.workers)
    log = Log()
    try:
        server.start()
        ctx = await prepare(plan, log, server, pg)
        log.t0 = time.monotonic()
        print(f"soak: {plan.minutes:g} min of load on {server.url} ({db_url})", flush=True)
        await run_load(ctx)
        print(f"soak: {log.now():7.1f} s  load stopped; settling", flush=True)
        await settle_jobs(ctx, 3.0 if plan.smoke else 180.0)
        await asyncio.sleep(2.0 if plan.smoke else 10.0)
        print(f"soak: {log.now():7.1f} s  final health and read-back", flush=True)
        final_health = [await health_once(server.url) for _ in range(20 if plan.smoke else 50)]
        readback = await read_back(ctx)
        final_rss = {pid: rss_bytes(pid) for pid in server.pids()}
    finally:
        server.stop()
        if pg is not None:
            pg.stop()
    return evaluate(plan, log, server, db_url, final_health, readback, final_rss)


def setup_database(plan: Plan, folder: Path) -> tuple[Postgres | None, str]:
    bindir = pg_bindir() if plan.db in ("auto", "postgresql") else None
    if bindir is None:
        if plan.db == "postgresql":
            raise SystemExit("soak: PostgreSQL (initdb, pg_ctl) is not installed")
        return None, f"sqlite:///{folder / 'soak.db'}"
    pg = Postgres(bindir, folder)
    pg.init()
    return pg, pg.url


async def read_back(ctx: Context) -> dict[str, int]:
    """Read every acknowledged shipment back: found with its name, missing, or wrong."""
    counts: Counter[str] = Counter()
    semaphore = asyncio.Semaphore(8)
    async with client(ctx.server.url, connections=8) as http:

        async def check(ident: int, name: str) -> None:
            async with semaphore:
                for _ in range(5):
                    try:
                        answer = await http.get(f"/api/shipments/{ident}")
                    except httpx.HTTPError:
                        await asyncio.sleep(0.5)
                        continue
                    if answer.status_code == 200:
                        counts["kept" if answer.json()["name"] == name else "changed"] += 1
                    elif answer.status_code == 404:
                        counts["lost"] += 1
                    else:
                        await asyncio.sleep(0.5)
                        continue
                    return
                counts["unreadable"] += 1

        await asyncio.gather(*(check(i, n) for i, n in ctx.log.shipments.items()))
    return dict(counts)


# --- checks --------------------------------------------------------------------------------------


def slope_mb_per_min(samples: list[tuple[float, int]], after: float = 0.5) -> float | None:
    """Least-squares slope of RSS over the samples after the fraction `after` of their span, in
    MB/min (None with fewer than 3 samples there).

    >>> round(slope_mb_per_min([(60.0 * i, 1_000_000 * (100 + 2 * i)) for i in range(9)]), 3)
    2.0
    """
    if len(samples) < 3:
        return None
    start = samples[0][0] + (samples[-1][0] - samples[0][0]) * after
    tail = [(t, r) for t, r in samples if t >= start]
    if len(tail) < 3:
        return None
    mean_t = statistics.fmean(t for t, _ in tail)
    mean_r = statistics.fmean(r for _, r in tail)
    var = sum((t - mean_t) ** 2 for t, _ in tail)
    if var == 0:
        return None
    cov = sum((t - mean_t) * (r - mean_r) for t, r in tail)
    return cov / var * 60.0 / 1e6


def _memory_mark(row: dict[str, Any]) -> str:
    if row["judged"] == "level":
        verdict = "ok" if row["ok"] else "<-- above"
        return f"  ended early: end level vs {row['ceiling_mb']} MB {verdict}"
    if row["judged"] == "slope":
        return "" if row["ok"] else "  <-- not flat"
    return "  (not judged)"


def memory_table(plan: Plan, log: Log) -> tuple[list[dict[str, Any]], bool]:
    """A row per server process, and whether memory was flat.

    Flat when every worker still serving at the end of the run that lived `fit_minutes` has a
    slope within the tolerance over its warm part (and one was judged so), and every worker that
    ended earlier (killed by the soak's crashes, often while still warming) ended no higher than
    the highest end level of those plus `level_margin_mb`: a worker cut short is judged by where
    it got to, not by a slope it had no time to level off.
    """
    end = max(samples[-1][0] for samples in log.rss.values())
    ended_early = {
        pid
        for pid, samples in log.rss.items()
        if log.roles.get(pid) == "worker" and samples[-1][0] < end - 2 * plan.sample_every_s
    }
    rows = [_memory_row(plan, log, pid, pid in ended_early) for pid in _by_start(log)]
    final = [row for row in rows if row["judged"] == "slope"]
    ceiling = max((row["end_mb"] for row in final), default=0.0) + plan.level_margin_mb
    for row in rows:
        if row["judged"] == "level":
            row["ok"] = bool(final) and row["end_mb"] <= ceiling
            row["ceiling_mb"] = round(ceiling, 1)
    return rows, bool(final) and all(row["ok"] for row in rows)


def _by_start(log: Log) -> list[int]:
    return [pid for pid, _ in sorted(log.rss.items(), key=lambda kv: kv[1][0][0])]


def _memory_row(plan: Plan, log: Log, pid: int, ended_early: bool) -> dict[str, Any]:
    """One process's figures; `judged` is "slope" (a worker serving at the end that lived
    `fit_minutes`), "level" (a worker that ended early) or "" (not judged)."""
    samples = log.rss[pid]
    life = (samples[-1][0] - samples[0][0]) / 60.0
    slope = slope_mb_per_min(samples, plan.judge_after)
    judged = ""
    if log.roles.get(pid) == "worker":
        judged = "level" if ended_early else "slope" if life >= plan.fit_minutes else ""
    ok = judged != "slope" or (slope is not None and abs(slope) <= plan.max_slope_mb_min)
    warm_from = samples[0][0] + (samples[-1][0] - samples[0][0]) * plan.judge_after
    warm = [r for t, r in samples if t >= warm_from]
    return {
        "pid": pid,
        "role": log.roles.get(pid, "?"),
        "from_s": round(samples[0][0], 1),
        "minutes": round(life, 2),
        "start_mb": round(samples[0][1] / 1e6, 1),
        "peak_mb": round(max(r for _, r in samples) / 1e6, 1),
        "end_mb": round(samples[-1][1] / 1e6, 1),
        "slope_mb_min": None if slope is None else round(slope, 3),
        "judged_from_s": round(warm_from, 1),
        "warm_min_mb": round(min(warm) / 1e6, 1),
        "warm_max_mb": round(max(warm) / 1e6, 1),
        "judged": judged,
        "ok": ok,
        # one sample a minute: [seconds into the run, MB]
        "series": [
            [round(t), round(r / 1e6, 1)]
            for i, (t, r) in enumerate(samples)
            if i == len(samples) - 1 or int(t // 60) != int(samples[i + 1][0] // 60)
        ],
    }


def classify_5xx(log: Log, outcome: Outcome) -> str:
    """'ok' for the documented 503s, else why it is not."""
    if outcome.status != 503:
        return f"{outcome.status} {outcome.kind}"
    if outcome.kind in BUSY_KINDS:
        return "ok" if outcome.retry_after else "503 busy without Retry-After"
    if outcome.kind == "time-budget":
        return "ok"
    if outcome.kind == "database-unavailable" and log.in_window(
        outcome.started, outcome.ended, "db"
    ):
        return "ok"
    return f"503 {outcome.kind or '(no problem type)'}"


def request_checks(log: Log) -> dict[str, Any]:
    bad_5xx: Counter[str] = Counter()
    transport: Counter[str] = Counter()
    hangs: Counter[str] = Counter()
    wrong: Counter[str] = Counter()
    for o in log.outcomes:
        if o.status >= 500:
            verdict = classify_5xx(log, o)
            if verdict != "ok":
                bad_5xx[f"{o.category}: {verdict}"] += 1
        elif o.status == 0:
            if "Timeout" in o.error and "Connect" not in o.error:
                hangs[o.category] += 1
            elif not log.in_window(o.started, o.ended, "server", "worker"):
                transport[f"{o.category}: {o.error}"] += 1
        if o.category.startswith("malformed") and o.error.startswith("expected"):
            wrong[f"{o.category}: {o.status}"] += 1
    burst = [o.ended - o.started for o in log.outcomes if o.category == "burst" and o.status]
    late = sorted(
        (o for o in log.outcomes if o.status and not o.category.startswith("malformed")),
        key=lambda o: o.started - o.ended,
    )[:10]
    return {
        "burst_max_s": round(max(burst), 2) if burst else None,
        "slowest": [
            [o.category, round(o.started, 1), round(o.ended - o.started, 2), o.status, o.kind]
            for o in late
        ],
        "unexpected_5xx": dict(bad_5xx),
        "hangs": dict(hangs),
        "transport_errors_outside_crashes": dict(transport),
        "malformed_wrong_status": dict(wrong),
    }


def socket_checks(log: Log) -> dict[str, Any]:
    """How long slow, silent and idle sockets were held (outside crashes)."""
    result: dict[str, Any] = {}
    for mode, limit in (
        ("slow", READ_TIMEOUT_S),
        ("silent", READ_TIMEOUT_S),
        ("kept", KEEP_ALIVE_S),
    ):
        held = [
            s.closed - s.opened
            for s in log.sockets
            if s.mode == mode and not log.in_window(s.opened, s.closed, "server", "worker")
        ]
        answers = Counter(s.answer or "(closed)" for s in log.sockets if s.mode == mode)
        longest = sorted(
            (s for s in log.sockets if s.mode == mode),
            key=lambda s: s.opened - s.closed,
        )[:5]
        result[mode] = {
            "closed_by_server": len(held),
            "max_held_s": round(max(held), 2) if held else None,
            "median_held_s": round(statistics.median(held), 2) if held else None,
            "limit_s": limit + SOCKET_SLACK_S,
            "answers": dict(answers.most_common(5)),
            "longest": [[round(s.opened, 1), round(s.closed - s.opened, 2)] for s in longest],
            "ok": bool(held) and max(held) <= limit + SOCKET_SLACK_S,
        }
    return result


def tracebacks(path: Path) -> list[str]:
    if not path.exists():
        return []
    lines = path.read_text(errors="replace").splitlines()
    return [
        lines[min(i + 1, len(lines) - 1)][:200]
        for i, line in enumerate(lines)
        if "Traceback (most recent call last)" in line or "Fatal Python error" in line
    ]


def evaluate(
    plan: Plan,
    log: Log,
    server: Server,
    db_url: str,
    final_health: list[tuple[float, int]],
    readback: dict[str, int],
    final_rss: dict[int, int | None],
) -> dict[str, Any]:
    health_ms = [ms for ms, status in final_health if status == 200]
    health_median = statistics.median(health_ms) if health_ms else None
    memory, flat = memory_table(plan, log)
    requests = request_checks(log)
    sockets = socket_checks(log)
    traces = tracebacks(server.log)
    job_finals = Counter(j.final for j in log.jobs)
    acked = len(log.shipments)
    checks = {
        "health_under_100ms": health_median is not None
        and len(health_ms) == len(final_health)
        and health_median < HEALTH_LIMIT_MS,
        "memory_flat": flat,
        "shipments_kept": readback.get("kept", 0) == acked and acked > 0,
        "jobs_accounted": not any(
            j.final in ("vanished", "unreachable", "owner-unknown", "") for j in log.jobs
        )
        and bool(log.jobs),
        "no_unexpected_5xx": not requests["unexpected_5xx"],
        "no_hangs": not requests["hangs"],
        "burst_answered_within_budget": requests["burst_max_s"] is not None
        and requests["burst_max_s"] <= QUERY_BUDGET_S + BUDGET_SLACK_S,
        "no_transport_errors_outside_crashes": not requests["transport_errors_outside_crashes"],
        "malformed_refused": not requests["malformed_wrong_status"],
        "no_tracebacks": not traces,
        "recovered": all(w.recovered is not None for w in log.windows) and bool(log.windows),
        "slow_sockets_closed": all(s["ok"] for s in sockets.values()),
        "connection_cap_answers_503": any(k.startswith("503+retry-after") for k in log.flood),
    }
    statuses = Counter((o.category.split(":")[0], o.status) for o in log.outcomes)
    return {
        "plan": {k: str(v) if isinstance(v, Path) else v for k, v in asdict(plan).items()},
        "database": db_url,
        "server_command": server.command(),
        "server_starts": server.starts,
        "duration_s": round(log.now(), 1),
        "load_average": _load_summary(log),
        "checks": checks,
        "passed": all(checks.values()),
        "health": {
            "final_median_ms": None if health_median is None else round(health_median, 2),
            "final_p90_ms": _pct(health_ms, 0.9),
            "final_answered": f"{len(health_ms)}/{len(final_health)}",
            "under_load_median_ms": _pct([ms for _, ms, s in log.health if s == 200], 0.5),
            "under_load_p99_ms": _pct([ms for _, ms, s in log.health if s == 200], 0.99),
        },
        "memory": memory,
        "final_rss_mb": {
            str(p): None if r is None else round(r / 1e6, 1) for p, r in final_rss.items()
        },
        "shipments": {"acknowledged": acked, **readback},
        "jobs": {
            "answers": dict(log.job_answers),
            "accepted": len(log.jobs),
            "cancel_sent": sum(j.cancel_sent for j in log.jobs),
            "finals": dict(job_finals),
        },
        "requests": _request_summary(log),
        "statuses": {f"{c} {s}": n for (c, s), n in sorted(statuses.items())},
        **requests,
        "sockets": sockets,
        "connection_floods": dict(log.flood),
        "crashes": [
            {
                "what": w.what,
                "at_s": round(w.started, 1),
                "recovered_after_s": None
                if w.recovered is None
                else round(w.recovered - w.started, 1),
                **w.detail,
            }
            for w in log.windows
        ],
        "tracebacks": traces[:20],
        "traceback_count": len(traces),
    }


def _pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 2)


def _load_summary(log: Log) -> dict[str, float | None]:
    values = [v for _, v in log.load]
    return {
        "mean_1min": round(statistics.fmean(values), 2) if values else None,
        "max_1min": round(max(values), 2) if values else None,
        "cpus": os.cpu_count() or 0,
    }


def _request_summary(log: Log) -> dict[str, dict[str, Any]]:
    by: dict[str, list[Outcome]] = {}
    for o in log.outcomes:
        by.setdefault(o.category.split(":")[0], []).append(o)
    summary = {}
    for category, outcomes in sorted(by.items()):
        ok = [(o.ended - o.started) * 1000 for o in outcomes if 200 <= o.status < 300]
        summary[category] = {
            "requests": len(outcomes),
            "2xx": len(ok),
            "503": sum(o.status == 503 for o in outcomes),
            "transport_errors": sum(o.status == 0 for o in outcomes),
            "p50_ms_2xx": _pct(ok, 0.5),
            "p99_ms_2xx": _pct(ok, 0.99),
        }
    return summary


def print_summary(report: dict[str, Any]) -> None:
    print()
    print(f"soak: {report['duration_s']} s on {report['database']}; load average "
          f"{report['load_average']['mean_1min']} (max {report['load_average']['max_1min']}) "
          f"on {report['load_average']['cpus']} CPUs")  # fmt: skip
    print(f"{'requests':<14}{'n':>8}{'2xx':>8}{'503':>7}{'errors':>7}{'p50 ms':>9}{'p99 ms':>9}")
    for category, row in report["requests"].items():
        print(
            f"{category:<14}{row['requests']:>8}{row['2xx']:>8}{row['503']:>7}"
            f"{row['transport_errors']:>7}{_fmt(row['p50_ms_2xx']):>9}{_fmt(row['p99_ms_2xx']):>9}"
        )
    print(
        f"\n{'process':<20}{'minutes':>8}{'start MB':>10}{'peak MB':>9}{'end MB':>8}"
        f"{'warm MB':>14}{'MB/min':>8}"
    )
    for row in report["memory"]:
        mark = _memory_mark(row)
        warm = f"{row['warm_min_mb']}-{row['warm_max_mb']}"
        print(
            f"{row['role'] + ' ' + str(row['pid']):<20}{row['minutes']:>8}{row['start_mb']:>10}"
            f"{row['peak_mb']:>9}{row['end_mb']:>8}{warm:>14}{_fmt(row['slope_mb_min']):>8}{mark}"
        )
    if not any(row["judged"] == "slope" for row in report["memory"]):
        print("memory: no worker serving at the end lived --fit-minutes (memory_flat fails)")
    h = report["health"]
    print(f"\nhealth after load: median {h['final_median_ms']} ms, p90 {h['final_p90_ms']} ms "
          f"({h['final_answered']}); under load: median {h['under_load_median_ms']} ms, "
          f"p99 {h['under_load_p99_ms']} ms")  # fmt: skip
    print(f"burst of heavy queries: slowest answer {report['burst_max_s']} s")
    print(f"shipments: {report['shipments']}")
    print(f"jobs: {report['jobs']}")
    for crash in report["crashes"]:
        print(f"crash: {crash}")
    print(
        f"sockets: { {m: (s['max_held_s'], s['answers']) for m, s in report['sockets'].items()} }"
    )
    print(f"connection floods: {report['connection_floods']}")
    for key in ("unexpected_5xx", "hangs", "transport_errors_outside_crashes",
                "malformed_wrong_status"):  # fmt: skip
        if report[key]:
            print(f"{key}: {report[key]}")
    if report["tracebacks"]:
        print(f"tracebacks ({report['traceback_count']}): {report['tracebacks'][:3]}")
    print()
    for name, ok in report["checks"].items():
        print(f"  {'PASS' if ok else 'FAIL'}  {name}")
    print(f"\nsoak: {'PASSED' if report['passed'] else 'FAILED'}")


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


@contextlib.contextmanager
def workspace(out: Path) -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="corridor-soak-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        out.mkdir(parents=True, exist_ok=True)
        for name in ("server.log", "postgresql.log"):
            if (folder / name).exists():
                shutil.copyfile(folder / name, out / name)
        shutil.rmtree(folder, ignore_errors=True)


def raise_fd_limit() -> None:
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def _terminate(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt  # so the server and PostgreSQL are stopped on the way out


def main(argv: list[str] | None = None) -> int:
    plan = parse_plan(argv)
    signal.signal(signal.SIGTERM, _terminate)
    raise_fd_limit()
    with workspace(plan.out) as folder:
        report = asyncio.run(soak(plan, folder))
    plan.out.mkdir(parents=True, exist_ok=True)
    (plan.out / "report.json").write_text(json.dumps(report, indent=2) + "\n")
    print_summary(report)
    print(f"soak: report in {plan.out / 'report.json'}")
    return 0 if report["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
