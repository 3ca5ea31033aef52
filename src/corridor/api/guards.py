"""Request guards (pure ASGI middleware): the body-size limit and the API token.

Both answer with a problem before the request reaches a handler, so an oversized body is
never read whole and a request without the token touches nothing.
"""

from __future__ import annotations

import hmac
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from corridor.api.problems import ApiProblem, problem_response


class _TooLarge(Exception):
    pass


class BodyLimit:
    """Refuse request bodies over `max_bytes` with 413, by Content-Length or as they stream."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _header(scope, b"content-length")
        if declared is not None:
            if not declared.isdigit():
                await self._answer(scope, receive, send, 400, "Content-Length is not a number")
                return
            if int(declared) > self.max_bytes:
                await self._answer(scope, receive, send, 413, self._too_large())
                return
        seen = 0
        exceeded = False
        answered = False

        async def limited_receive() -> Message:
            nonlocal seen, exceeded
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    exceeded = True
                    raise _TooLarge
            return message

        async def guarded_send(message: Message) -> None:
            # the app may turn our exception into its own error response: send ours instead
            nonlocal answered
            if not exceeded:
                await send(message)
            elif message["type"] == "http.response.start" and not answered:
                answered = True
                await self._answer(scope, receive, send, 413, self._too_large())

        try:
            await self.app(scope, limited_receive, guarded_send)
        except _TooLarge:
            if not answered:
                answered = True
                await self._answer(scope, receive, send, 413, self._too_large())

    def _too_large(self) -> str:
        return f"the request body is larger than the server's limit of {self.max_bytes} bytes"

    async def _answer(
        self, scope: Scope, receive: Receive, send: Send, status: int, detail: str
    ) -> None:
        kind, title = {
            400: ("bad-request", "Bad request"),
            413: ("too-large", "Request too large"),
        }[status]
        response = problem_response(ApiProblem(status, kind, title, detail))
        await response(scope, receive, send)


class TokenGuard:
    """Require `Authorization: Bearer <token>` on /api requests (but /api/health)."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.token = token.encode("utf-8")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        guarded = path.startswith("/api/") and path != "/api/health"
        if scope["type"] != "http" or not guarded:
            await self.app(scope, receive, send)
            return
        # compared as the bytes sent: a UTF-8 client's non-ASCII token matches
        header = _raw_header(scope, b"authorization") or b""
        scheme, _, given = header.strip().partition(b" ")
        if scheme.lower() == b"bearer" and hmac.compare_digest(given.strip(), self.token):
            await self.app(scope, receive, send)
            return
        response = problem_response(
            ApiProblem(
                401,
                "unauthorized",
                "Unauthorized",
                "this server needs its API token: send 'Authorization: Bearer <token>'",
                headers={"WWW-Authenticate": 'Bearer realm="corridor"'},
            )
        )
        await response(scope, receive, send)


class HostGuard:
    """Answer only requests addressed to one of `hosts` (port aside): on loopback this stops a
    web page elsewhere from reaching the API through DNS rebinding."""

    def __init__(self, app: ASGIApp, hosts: tuple[str, ...]) -> None:
        self.app = app
        self.hosts = frozenset(h.lower() for h in hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = (_header(scope, b"host") or "").lower()
        name = host.rpartition("]")[0] + "]" if host.startswith("[") else host.split(":")[0]
        if name.strip("[]") in self.hosts:
            await self.app(scope, receive, send)
            return
        response = problem_response(
            ApiProblem(
                400,
                "bad-host",
                "Bad request",
                f"this server answers requests for {', '.join(sorted(self.hosts))} only",
            )
        )
        await response(scope, receive, send)


def _raw_header(scope: dict[str, Any] | Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return bytes(value)
    return None


def _header(scope: dict[str, Any] | Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return bytes(value).decode("latin-1").strip()
    return None
