"""Running the API under uvicorn: the socket limits, one process or several, ready to serve.

`server_config` makes uvicorn's Config with the guarded HTTP protocol of
`corridor.api.protocols` (httptools' parser where installed, else h11's: a request read
deadline, a cap on open connections, a bound on the request head) on uvloop where installed,
and the settings' limits. `run_server` serves one process, or `workers` processes sharing the
listening socket; each worker builds its own application (and so loads the network) from
settings passed through the environment.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import resource
import socket
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from uvicorn import Config

from corridor.api.allocator import fix_mmap_threshold
from corridor.api.protocols import (  # noqa: F401  (GuardedH11Protocol: re-exported)
    GuardedH11Protocol,
    best_loop,
    best_protocol,
)
from corridor.api.settings import Settings

SETTINGS_ENV = "CORRIDOR_SERVE_SETTINGS"
_FD_RESERVE = 64  # descriptors kept for the database, files and worker pipes


def raise_fd_limit() -> int:
    """Raise this process's open-file limit to its hard limit; returns the soft limit now."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or hard > soft:
        wanted = 65_536 if hard == resource.RLIM_INFINITY else hard
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
            soft = wanted
        except (ValueError, OSError):
            pass
    return soft


def server_config(
    app: Any, settings: Settings, *, http: type[asyncio.Protocol] | None = None, **kwargs: Any
) -> Config:
    """A uvicorn Config with the settings' socket limits (the cap kept below the fd limit),
    serving with `http` (default: httptools' guarded protocol where installed, else h11's)
    on uvloop where installed."""
    cap = max(1, min(settings.max_connections, raise_fd_limit() - _FD_RESERVE))
    config = Config(
        app,
        http=http or best_protocol(),
        loop=best_loop(),
        timeout_keep_alive=max(1, round(settings.keep_alive_timeout_s)),
        h11_max_incomplete_event_size=settings.max_header_bytes,
        timeout_graceful_shutdown=5,
        # uvicorn kills a worker that misses a 5 s health ping (and resets its connections); a
        # worker loading the network or planning on a busy machine can miss one, so allow 60 s
        timeout_worker_healthcheck=60,
        log_level="warning",
        access_log=False,
        **kwargs,
    )
    limits = (cap, settings.max_connections_per_client, settings.request_read_timeout_s)
    config.corridor_limits = limits  # type: ignore[attr-defined]
    return config


def settings_to_env(settings: Settings) -> str:
    """Settings as JSON for worker processes (paths as text, tuples as lists)."""
    values = asdict(settings)
    return json.dumps({k: str(v) if isinstance(v, Path) else v for k, v in values.items()})


def settings_from_env() -> Settings:
    """The settings a parent process put in CORRIDOR_SERVE_SETTINGS (defaults without it)."""
    raw = os.environ.get(SETTINGS_ENV)
    if not raw:
        return Settings()
    values: dict[str, Any] = json.loads(raw)
    for f in fields(Settings):
        value = values.get(f.name)
        if f.name in ("network_path", "static_dir") and value is not None:
            values[f.name] = Path(value)
        elif isinstance(value, list):
            values[f.name] = tuple(value)
    return Settings(**values)


def ready_to_serve() -> None:
    """Make this process ready for its first request: every search kernel loaded (compiled, or
    read from numba's on-disk cache, about a second) so no query pays for it within its time
    budget, then the garbage collector tuned (`tune_gc`)."""
    from corridor.routing import pareto, shortest

    pareto.warm_up()
    shortest.warm_up()
    tune_gc()


def tune_gc() -> None:
    """Set the garbage collector for serving, once the application is built.

    The loaded network, the compiled graph and the imported libraries are frozen out of every
    later collection, and the youngest generation is collected every 50,000 allocations instead
    of 700: an answer allocates tens of thousands of short-lived objects (legs, dicts, floats),
    and the default thresholds ran several full collections per request. Reference counting
    still frees all of them at once; only cycles wait a little longer. The older generations
    keep Python's ratios (10 and 10): a cycle that outlived two young collections while its
    request ran is freed within 100 of them, not 5,000 (docs/soak.md, "What grew").
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 10, 10)


def worker_app(retry_s: float = 2.0) -> FastAPI:
    """The application of one worker process (uvicorn's factory), from the parent's settings.

    The parent checked the database before serving, so a worker that uvicorn (re)starts while
    the database is down waits for it, one line on stderr per try, instead of dying with a
    traceback (uvicorn would restart it in a loop, each time loading the network again).
    """
    import sys
    import time

    from corridor.api.app import create_app
    from corridor.errors import StoreError

    settings = settings_from_env()
    fix_mmap_threshold(settings.mmap_threshold_bytes)  # before the network's arrays are made
    while True:
        try:
            app = create_app(settings)
            break
        except StoreError as exc:
            print(
                f"corridor: worker {os.getpid()}: {exc}; retrying in {retry_s:g} s", file=sys.stderr
            )
            time.sleep(retry_s)
            retry_s = min(30.0, retry_s * 1.5)
    ready_to_serve()
    return app


def run_server(
    settings: Settings, port: int, *, workers: int = 1, app: FastAPI | None = None
) -> None:
    """Serve until interrupted: `app` in this process, or `workers` processes."""
    import uvicorn

    if workers <= 1:
        fix_mmap_threshold(settings.mmap_threshold_bytes)
        target: Any = app
        if target is None:
            from corridor.api.app import create_app

            target = create_app(settings)
        ready_to_serve()
        uvicorn.Server(server_config(target, settings, host=settings.host, port=port)).run()
        return
    os.environ[SETTINGS_ENV] = settings_to_env(settings)
    config = server_config(
        "corridor.api.server:worker_app",
        settings,
        factory=True,
        host=settings.host,
        port=port,
        workers=workers,
    )
    from uvicorn.supervisors import Multiprocess

    Multiprocess(config, sockets=[listening_socket(settings.host, port)]).run()


def listening_socket(host: str, port: int) -> socket.socket:
    """The workers' listening socket. Made with IPPROTO_TCP (uvicorn's own has protocol 0, so
    asyncio never sets TCP_NODELAY on its connections and a small answer waits out the
    client's delayed ACK, about 40 ms).

    Where the system has SO_REUSEPORT (Linux, the BSDs, macOS) it is a `ReusePortListener`:
    each worker process listens on a socket of its own on the same port, and the kernel spreads
    new connections over them. With one shared socket, whichever worker wakes first accepts
    every connection waiting, so on a busy machine a handful of keep-alive clients can all land
    on one worker while the other idles (the api-load benchmark saw 100%/0% splits).
    """
    if hasattr(socket, "SO_REUSEPORT"):
        return ReusePortListener.bound(host, port)
    shared: socket.socket = _bound(socket.socket, host, port, reuse_port=False)
    return shared


def _bound(kind: type[socket.socket], host: str, port: int, *, reuse_port: bool) -> Any:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = kind(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((host.strip("[]"), port))
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


class ReusePortListener(socket.socket):
    """A socket bound with SO_REUSEPORT that, handed to a worker process (pickled, as uvicorn
    hands its sockets over), arrives there as a new socket of the worker's own bound to the
    same address, not as a duplicate of this one. The parent's stays bound but never listens,
    so it takes no connections; it holds the port between worker restarts."""

    address: tuple[str, int]

    @classmethod
    def bound(cls, host: str, port: int) -> ReusePortListener:
        """A new listener bound to `host`:`port` (the port free or held by listeners like it)."""
        sock: ReusePortListener = _bound(cls, host, port, reuse_port=True)
        sock.address = (host, sock.getsockname()[1])  # the port bound, if 0 was asked
        return sock

    def __reduce_ex__(self, protocol: Any) -> Any:
        return (ReusePortListener.bound, self.address)
