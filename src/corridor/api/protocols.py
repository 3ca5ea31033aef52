"""uvicorn's HTTP/1.1 protocols with socket limits that hold against slow or idle clients.

uvicorn bounds an idle keep-alive connection (`timeout_keep_alive`), but not the time a client
may take to send a request, nor how many connections it may hold; its httptools protocol does
not bound a request head either (h11 bounds only a head still incomplete). Both guarded
protocols add:

- a read deadline: a request's head and body must arrive within `request_read_timeout_s` of its
  first byte (or of the connection, for a client that sends nothing); else 408 and close (a
  request cut off in its body is closed without an answer);
- a connection cap: beyond `max_connections` open connections (or `max_connections_per_client`
  from one address) a new one is answered 503 with `Retry-After` and closed at once, so held
  sockets can never exhaust the file descriptors, and one client cannot take every slot;
- a head limit: a request line and headers longer than `max_header_bytes` are answered 431 and
  the connection closed, whether the head arrives whole or a piece at a time.

`GuardedHttpToolsProtocol` (httptools' C parser, several times cheaper per request) serves when
httptools is installed (the `server` extra); `GuardedH11Protocol` otherwise.
"""

from __future__ import annotations

import asyncio
from typing import Any

import h11
from uvicorn import Config
from uvicorn.protocols.http.h11_impl import H11Protocol

try:
    import httptools
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
except ImportError:  # pragma: no cover - the server extra installs it
    httptools = None  # type: ignore[assignment]
    HttpToolsProtocol = None  # type: ignore[assignment,misc]

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
DEFAULT_HEAD_BYTES = 16 * 1024


def _limits(config: Config) -> tuple[int, int, float]:
    limits: tuple[int, int, float] = getattr(config, "corridor_limits", (512, 64, 10.0))
    return limits


def _address(connection: object) -> str | None:
    client = getattr(connection, "client", None)
    return str(client[0]) if client else None


class _Guard:
    """The connection cap and the read deadline, shared by both protocols. The protocol
    provides `config`, `loop`, `transport`, `client` and `connections` (uvicorn's)."""

    config: Config
    loop: asyncio.AbstractEventLoop
    transport: asyncio.Transport
    client: tuple[str, int] | None
    connections: set[Any]

    def _guard_init(self) -> None:
        self._max_connections, self._per_client, self._read_timeout = _limits(self.config)
        self._deadline: asyncio.TimerHandle | None = None
        self._refused = False

    def _admit(self, transport: asyncio.Transport) -> bool:
        """Arm the deadline of a new connection, or refuse it past the cap (False)."""
        host = self.client[0] if self.client else None
        same = sum(_address(c) == host for c in self.connections)
        if len(self.connections) > self._max_connections or same > self._per_client:
            transport.write(_BUSY)
            self.connections.discard(self)
            # closed once the request sent with it is read: closing with unread data would
            # reset the connection, and the client would lose the answer
            self._refused = True
            self.loop.call_later(0.5, transport.close)
            return False
        self._arm()
        return True

    def _arm(self) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(self._read_timeout, self._too_slow)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _too_slow(self) -> None:
        raise NotImplementedError

    def _head_limit(self) -> int:
        return self.config.h11_max_incomplete_event_size or DEFAULT_HEAD_BYTES


class GuardedH11Protocol(_Guard, H11Protocol):
    """uvicorn's h11 protocol with a request read deadline and a cap on open connections."""

    def __init__(self, config: Config, *args: Any, **kwargs: Any) -> None:
        super().__init__(config, *args, **kwargs)
        self._guard_init()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._admit(transport)

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
        return (end if end >= 0 else len(head)) > self._head_limit()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _too_slow(self) -> None:
        self._deadline = None
        if self.transport.is_closing() or self.conn.their_state not in (h11.IDLE, h11.SEND_BODY):
            return
        if self.conn.their_state is h11.IDLE and self.conn.our_state is h11.IDLE:
            self.transport.write(_TIMEOUT)
        self.transport.close()


class _HeadTooLarge(Exception):
    """Raised from a parser callback: the head just completed is over the limit."""


if HttpToolsProtocol is not None:

    class GuardedHttpToolsProtocol(_Guard, HttpToolsProtocol):
        """uvicorn's httptools protocol with the read deadline, the connection cap and a limit
        on the request head (httptools has none of its own and buffers a header line whole)."""

        def __init__(self, config: Config, *args: Any, **kwargs: Any) -> None:
            super().__init__(config, *args, **kwargs)
            self._guard_init()
            self._in_request = False  # from a request's first byte to its last
            self._in_body = False  # its head is in; its body is not yet whole
            self._head_bytes = 0  # bytes read while a head is incomplete (an upper bound)
            self._head_size = 0  # the head so far, as the parser reported it

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._admit(transport)

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def data_received(self, data: bytes) -> None:
            if self._refused:
                self.transport.close()
                return
            if self._deadline is None and not self._in_request:
                self._arm()  # the first byte of a new request on a kept-alive connection
            if not self._in_body:
                self._head_bytes += len(data)
            self._unset_keepalive_if_required()
            try:
                self.parser.feed_data(data)
            except httptools.HttpParserUpgrade:  # as uvicorn answers it
                if self._should_upgrade():
                    self.handle_websocket_upgrade()
                else:
                    self._unsupported_upgrade_warning()
            except httptools.HttpParserError as exc:
                if isinstance(exc.__context__, _HeadTooLarge):
                    self._refuse_head()
                    return
                self.logger.warning("Invalid HTTP request received.")
                self.send_400_response("Invalid HTTP request received.")
                return
            if not self._in_body and self._head_bytes > self._head_limit():
                self._refuse_head()  # a head still incomplete, already over the limit

        def _refuse_head(self) -> None:
            self._disarm()
            self.transport.write(_HEAD_TOO_LARGE)
            self.transport.close()

        def on_message_begin(self) -> None:
            super().on_message_begin()
            self._in_request = True
            self._head_size = 16  # the method, the spaces and the protocol version

        def on_url(self, url: bytes) -> None:
            super().on_url(url)
            self._head_size += len(url)

        def on_header(self, name: bytes, value: bytes) -> None:
            super().on_header(name, value)
            self._head_size += len(name) + len(value) + 4

        def on_headers_complete(self) -> None:
            if self._head_size > self._head_limit():
                raise _HeadTooLarge
            self._head_bytes = 0
            self._in_body = True
            super().on_headers_complete()

        def on_message_complete(self) -> None:
            self._in_request = self._in_body = False
            self._disarm()  # the whole request is in
            super().on_message_complete()

        def _too_slow(self) -> None:
            self._deadline = None
            if self.transport.is_closing():
                return
            answering = self.cycle is not None and not self.cycle.response_complete
            if not self._in_body and not answering:
                self.transport.write(_TIMEOUT)  # nothing, or part of a head, arrived
            self.transport.close()

else:  # pragma: no cover
    GuardedHttpToolsProtocol = None  # type: ignore[assignment,misc]


def best_protocol() -> type[asyncio.Protocol]:
    """The guarded protocol to serve with: httptools' where installed, else h11's."""
    if GuardedHttpToolsProtocol is None:  # pragma: no cover
        return GuardedH11Protocol
    return GuardedHttpToolsProtocol


def best_loop() -> str:
    """uvicorn's event loop setting: uvloop where installed (the `server` extra), else asyncio."""
    try:
        import uvloop  # noqa: F401
    except ImportError:  # pragma: no cover
        return "asyncio"
    return "uvloop"
