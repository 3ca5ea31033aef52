"""Running the API under uvicorn with socket limits that hold against slow or idle clients.

uvicorn bounds an idle keep-alive connection (`timeout_keep_alive`) and the size of a request
head (h11's `max_incomplete_event_size`), but not the time a client may take to send a request,
nor how many connections it may hold. `GuardedH11Protocol` adds both:

- a read deadline: a request's head and body must arrive within `request_read_timeout_s` of its
  first byte (or of the connection, for a client that sends nothing); else 408 and close;
- a connection cap: beyond `max_connections` open connections (or `max_connections_per_client`
  from one address) a new one is answered 503 with `Retry-After` and closed at once, so held
  sockets can never exhaust the file descriptors (which would make the accept loop fail and
  log a traceback per attempt), and one client cannot take every slot.

`run_server` serves one process, or `workers` processes sharing the listening socket; each
worker builds its own application (and so loads the network) from settings passed through the
environment.
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

import h11
from fastapi import FastAPI
from uvicorn import Config
from uvicorn.protocols.http.h11_impl import H11Protocol

from corridor.api.settings import Settings

SETTINGS_ENV = "CORRIDOR_SERVE_SETTINGS"
_FD_RESERVE = 64  # descriptors kept for the database, files and worker pipes
_BUSY_BODY = (
    b'{"type":"urn:corridor:problem:busy","title":"Server busy","status":503,'
    b'"detail":"too many open connections"}'
)
_BUSY = (
    b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/problem+json\r\n"
    b"retry-after: 1\r\nconnection: close\r\ncontent-length: %d\r\n\r\n%s"
    % (len(_BUSY_BODY), _BUSY_BODY)
)
_TIMEOUT = b"HTTP/1.1 408 Request Timeout\r\nconnection: close\r\ncontent-length: 0\r\n\r\n"
_HEAD_TOO_LARGE = (
    b"HTTP/1.1 431 Request Header Fields Too Large\r\nconnection: close\r\n"
    b"content-length: 0\r\n\r\n"
)


def _limits(config: Config) -> tuple[int, int, float]:
    limits: tuple[int, int, float] = getattr(config, "corridor_limits", (512, 64, 10.0))
    return limits


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a request read deadline and a cap on open connections."""

    def __init__(self, config: Config, *args: Any, **kwargs: Any) -> None:
        super().__init__(config, *args, **kwargs)
        self._max_connections, self._per_client, self._read_timeout = _limits(config)
        self._deadline: asyncio.TimerHandle | None = None
        self._refused = False

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        host = self.client[0] if self.client else None
        same = sum(_address(c) == host for c in self.connections)
        if len(self.connections) > self._max_connections or same > self._per_client:
            transport.write(_BUSY)
            self.connections.discard(self)
            # closed once the request sent with it is read: closing with unread data would
            # reset the connection, and the client would lose the answer
            self._refused = True
            self.loop.call_later(0.5, transport.close)
            return
        self._arm()

    def data_received(self, data: bytes) -> None:
        if self._refused:
            self.transport.close()
            return
        if self.conn.their_state is h11.IDLE and self._head_too_large(data):
            # h11 bounds only a head still incomplete; one that arrives whole in a read is not
            self.transport.write(_HEAD_TOO_LARGE)
            self.transport.close()
            return
        if self._deadline is None and self.conn.their_state is h11.IDLE:
            self._arm()  # the first byte of a new request on a kept-alive connection
        super().data_received(data)
        if self.conn.their_state not in (h11.IDLE, h11.SEND_BODY):
            self._disarm()  # the whole request is in

    def _head_too_large(self, data: bytes) -> bool:
        head = self.conn.trailing_data[0] + data
        end = head.find(b"\r\n\r\n")
        limit = self.config.h11_max_incomplete_event_size or 16 * 1024
        return (end if end >= 0 else len(head)) > limit

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(self._read_timeout, self._too_slow)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _too_slow(self) -> None:
        self._deadline = None
        if self.transport.is_closing() or self.conn.their_state not in (h11.IDLE, h11.SEND_BODY):
            return
        if self.conn.their_state is h11.IDLE and self.conn.our_state is h11.IDLE:
            self.transport.write(_TIMEOUT)
        self.transport.close()


def _address(connection: object) -> str | None:
    client = getattr(connection, "client", None)
    return str(client[0]) if client else None


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


def server_config(app: Any, settings: Settings, **kwargs: Any) -> Config:
    """A uvicorn Config with the settings' socket limits (the cap kept below the fd limit)."""
    cap = max(1, min(settings.max_connections, raise_fd_limit() - _FD_RESERVE))
    config = Config(
        app,
        http=GuardedH11Protocol,
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
    still frees all of them at once; only cycles wait a little longer.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 50, 100)


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
    """The workers' shared socket. Made with IPPROTO_TCP (uvicorn's own has protocol 0, so
    asyncio never sets TCP_NODELAY on its connections and a small answer waits out the
    client's delayed ACK, about 40 ms)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host.strip("[]"), port))
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock
