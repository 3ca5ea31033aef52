"""Socket limits of `corridor serve` under both HTTP protocols it serves with (httptools' and
h11's): the read deadline, the answer past the connection cap, heads over the size limit sent
whole or in pieces, keep-alive across the deadline, and workers started while the database is
down."""

from __future__ import annotations

import json
import socket
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.reduction import ForkingPickler
from pathlib import Path
from typing import Any

import h11
import pytest
import uvicorn

import corridor.api.app
import corridor.api.server
from corridor.api import Settings, create_app
from corridor.api.protocols import GuardedH11Protocol, GuardedHttpToolsProtocol
from corridor.api.server import (
    SETTINGS_ENV,
    listening_socket,
    server_config,
    settings_to_env,
    worker_app,
)
from corridor.errors import StoreError

PROTOCOLS = pytest.mark.parametrize("http", [GuardedHttpToolsProtocol, GuardedH11Protocol])


@contextmanager
def guarded(settings: Settings, http: Any = None) -> Iterator[int]:
    """The application under `server_config` on a loopback port; yields the port."""
    app = create_app(settings)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(server_config(app, settings, http=http))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "server did not start"
        time.sleep(0.01)
    try:
        yield sock.getsockname()[1]
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()
        app.state.context.store.close()


def read_response(conn: socket.socket) -> tuple[h11.Response, bytes]:
    """One whole HTTP response, parsed as a client would; fails on a reset or a short body."""
    client = h11.Connection(h11.CLIENT)
    client.send(h11.Request(method="GET", target="/", headers=[("Host", "x")]))
    conn.settimeout(10)
    head: h11.Response | None = None
    body = b""
    while True:
        event = client.next_event()
        if event is h11.NEED_DATA:
            client.receive_data(conn.recv(65536))  # ConnectionResetError: the answer was lost
            continue
        if isinstance(event, h11.Response):
            head = event
        elif isinstance(event, h11.Data):
            body += event.data
        elif isinstance(event, h11.EndOfMessage):
            assert head is not None
            return head, body
        else:
            raise AssertionError(f"unexpected {event!r}")


@PROTOCOLS
def test_a_connection_past_the_cap_reads_a_whole_503_even_after_sending_its_request(
    tmp_path: Path, http: Any
) -> None:
    limits = Settings(
        db_url=f"sqlite:///{tmp_path / 'x.db'}", max_connections=2, request_read_timeout_s=5
    )
    with guarded(limits, http) as port:
        held = [socket.create_connection(("127.0.0.1", port)) for _ in range(2)]
        time.sleep(0.2)
        answers = []
        for _ in range(5):  # the request is already sent when the server refuses the connection
            extra = socket.create_connection(("127.0.0.1", port))
            extra.sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            answers.append(read_response(extra))
            extra.close()
        for conn in held:
            conn.close()
    for head, body in answers:
        headers = {k.decode().lower(): v.decode() for k, v in head.headers}
        assert head.status_code == 503 and headers["retry-after"] == "1"
        assert int(headers["content-length"]) == len(body)
        assert json.loads(body)["type"] == "urn:corridor:problem:busy"


@PROTOCOLS
def test_a_head_over_the_limit_is_refused_even_when_it_arrives_whole(
    tmp_path: Path, http: Any
) -> None:
    limits = Settings(db_url=f"sqlite:///{tmp_path / 'x.db'}", max_header_bytes=4096)
    with guarded(limits, http) as port:
        whole = socket.create_connection(("127.0.0.1", port))
        whole.sendall(
            b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-big: " + b"a" * 8000 + b"\r\n\r\n"
        )
        head, _ = read_response(whole)
        assert head.status_code == 431
        small = socket.create_connection(("127.0.0.1", port))
        small.sendall(
            b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-big: " + b"a" * 3000 + b"\r\n\r\n"
        )
        assert read_response(small)[0].status_code == 200  # under the limit: answered


def _closed_by_server(conn: socket.socket, wait: float) -> bytes:
    """What the server sent before closing `conn` (b'' if it closed silently)."""
    conn.settimeout(wait)
    received = b""
    while chunk := conn.recv(4096):
        received += chunk
    return received


@PROTOCOLS
def test_the_read_deadline_closes_silent_half_headed_and_half_bodied_requests(
    tmp_path: Path, http: Any
) -> None:
    limits = Settings(db_url=f"sqlite:///{tmp_path / 'x.db'}", request_read_timeout_s=0.5)
    with guarded(limits, http) as port:
        silent = socket.create_connection(("127.0.0.1", port))
        head = socket.create_connection(("127.0.0.1", port))
        head.sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-a: ")
        body = socket.create_connection(("127.0.0.1", port))
        body.sendall(
            b"POST /api/routes HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json"
            b"\r\nContent-Length: 100\r\n\r\n{"
        )
        started = time.monotonic()
        for conn in (silent, head):
            assert _closed_by_server(conn, 10).startswith(b"HTTP/1.1 408")
        assert _closed_by_server(body, 10) == b""  # cut off in its body: no answer
        assert time.monotonic() - started < 5
        fine = socket.create_connection(("127.0.0.1", port))
        fine.sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert read_response(fine)[0].status_code == 200


@PROTOCOLS
def test_a_kept_alive_connection_outlives_the_read_deadline_between_requests(
    tmp_path: Path, http: Any
) -> None:
    limits = Settings(
        db_url=f"sqlite:///{tmp_path / 'x.db'}", request_read_timeout_s=0.3, keep_alive_timeout_s=5
    )
    with guarded(limits, http) as port:
        conn = socket.create_connection(("127.0.0.1", port))
        for _ in range(3):  # each request whole, then idle past the read deadline
            conn.sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            head, body = read_response(conn)
            assert head.status_code == 200 and json.loads(body)["status"] == "ok"
            time.sleep(0.8)


@PROTOCOLS
def test_a_head_over_the_limit_sent_in_pieces_is_refused_before_the_read_deadline(
    tmp_path: Path, http: Any
) -> None:
    limits = Settings(
        db_url=f"sqlite:///{tmp_path / 'x.db'}", max_header_bytes=4096, request_read_timeout_s=30
    )
    with guarded(limits, http) as port:
        conn = socket.create_connection(("127.0.0.1", port))
        conn.sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-big: ")
        started = time.monotonic()
        try:
            for _ in range(10):  # 10 kB of one header line, never finished
                conn.sendall(b"a" * 1000)
                time.sleep(0.05)
        except OSError:
            pass  # closed by the server already
        assert _closed_by_server(conn, 10).startswith(b"HTTP/1.1 431")
        assert time.monotonic() - started < 10


def test_the_server_serves_httptools_on_uvloop_where_installed(tmp_path: Path) -> None:
    config = server_config("x:app", Settings(db_url=f"sqlite:///{tmp_path / 'x.db'}"))
    assert config.http is GuardedHttpToolsProtocol
    assert config.loop == "uvloop"


def test_the_server_falls_back_to_asyncio_without_uvloop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "uvloop", None)  # import fails as if absent
    config = server_config("x:app", Settings(db_url=f"sqlite:///{tmp_path / 'x.db'}"))
    assert config.loop == "asyncio"


def test_a_worker_started_while_the_database_is_down_waits_for_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(SETTINGS_ENV, settings_to_env(Settings(db_url="sqlite:///unused.db")))
    failures = [StoreError("cannot open database x: refused")] * 2
    made: list[Any] = []

    def flaky(settings: Settings) -> Any:
        if failures:
            raise failures.pop()
        made.append(settings)
        return "the app"

    monkeypatch.setattr(corridor.api.app, "create_app", flaky)
    assert worker_app(retry_s=0.0) == "the app"  # type: ignore[comparison-overlap]
    assert made and made[0].db_url == "sqlite:///unused.db"
    err = capsys.readouterr().err
    assert err.count("retrying") == 2 and "Traceback" not in err


def test_a_listener_handed_to_a_worker_arrives_as_its_own_socket_on_the_same_port() -> None:
    parent = listening_socket("127.0.0.1", 0)
    port = parent.getsockname()[1]
    workers = [ForkingPickler.loads(ForkingPickler.dumps(parent)) for _ in range(2)]
    try:
        for sock in workers:
            assert sock.getsockname() == ("127.0.0.1", port)
            assert sock.fileno() != parent.fileno()
            assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT)
            sock.listen(64)
            sock.setblocking(False)
        clients = [socket.create_connection(("127.0.0.1", port)) for _ in range(64)]
        time.sleep(0.2)
        accepted = [0, 0]
        for k, sock in enumerate(workers):
            while True:
                try:
                    sock.accept()[0].close()
                except BlockingIOError:
                    break
                accepted[k] += 1
        # the kernel spreads them (by a hash of the address): both take some, none is lost
        assert sum(accepted) == 64 and min(accepted) >= 8, accepted
        for client in clients:
            client.close()
    finally:
        for sock in (parent, *workers):
            sock.close()


def test_a_worker_fixes_the_mmap_threshold_of_its_settings_before_loading_the_network(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = Settings(db_url="sqlite:///unused.db", mmap_threshold_bytes=512 * 1024)
    monkeypatch.setenv(SETTINGS_ENV, settings_to_env(settings))
    calls: list[Any] = []
    monkeypatch.setattr(corridor.api.server, "fix_mmap_threshold", calls.append)
    monkeypatch.setattr(corridor.api.app, "create_app", lambda s: calls.append("app") or "app")
    worker_app(retry_s=0.0)
    assert calls == [512 * 1024, "app"]
