"""RFC 9457 problem details: the one shape of every error the API returns.

A problem is `application/problem+json` with `type`, `title`, `status`, `detail` and, when a
request field is at fault, `field` (the request's own name, e.g. `containers` or
`query.origin`); validation problems also list every fault in `errors`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from corridor.errors import (
    AmbiguousPlaceError,
    CorridorError,
    NoRouteError,
    QueryError,
    SearchBudgetError,
    StoreError,
    UnknownPlaceError,
)

MEDIA_TYPE = "application/problem+json"
_FLAG_FIELDS = (
    ("--avoid-country", "avoid_countries"),
    ("--avoid-mode", "avoid_modes"),
    ("--max-transfers", "max_transfers"),
    ("--avoid", "avoid"),
)
_TYPES = "urn:corridor:problem:"


class FieldError(BaseModel):
    """One faulty request field and what was expected of it."""

    field: str
    message: str


class ProblemBody(BaseModel):
    """RFC 9457 problem details, with the faulty request field where there is one."""

    type: str
    title: str
    status: int
    detail: str
    field: str | None = None
    errors: list[FieldError] | None = None
    candidates: list[str] | None = None


class ApiProblem(Exception):
    """Raise inside a handler to answer with a problem."""

    def __init__(
        self,
        status: int,
        kind: str,
        title: str,
        detail: str,
        *,
        field: str | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.kind = kind
        self.title = title
        self.detail = detail
        self.field = field
        self.headers = headers or {}
        self.extra = extra


def problem_response(problem: ApiProblem) -> Response:
    body: dict[str, Any] = {
        "type": _TYPES + problem.kind,
        "title": problem.title,
        "status": problem.status,
        "detail": problem.detail,
    }
    if problem.field is not None:
        body["field"] = problem.field
    body.update({k: v for k, v in problem.extra.items() if v is not None})
    return Response(
        json.dumps(body, ensure_ascii=False).encode(),
        status_code=problem.status,
        media_type=MEDIA_TYPE,
        headers=problem.headers,
    )


def not_found(what: str, ident: object) -> ApiProblem:
    return ApiProblem(404, "not-found", "Not found", f"no {what} with id {ident}")


def query_field(field: str, prefix: str = "") -> str:
    """The request body's name for a `corridor.routing.query` field: cargo.containers -> containers."""
    for part in ("cargo.", "constraints."):
        if field.startswith(part):
            field = field.removeprefix(part)
    return prefix + field


def from_corridor_error(
    exc: CorridorError, *, prefix: str = "", places: dict[str, str]
) -> ApiProblem:
    """The problem for a planner error; `places` maps each place text to the field it came from."""
    if isinstance(exc, QueryError):
        field = query_field(exc.field, prefix)
        return ApiProblem(
            422,
            "invalid-field",
            "Invalid request field",
            f"{field}: {exc.message}",
            field=field,
            errors=[{"field": field, "message": exc.message}],
        )
    if isinstance(exc, UnknownPlaceError | AmbiguousPlaceError):
        field = prefix + places.get(exc.query, "avoid")
        kind = "unknown-place" if isinstance(exc, UnknownPlaceError) else "ambiguous-place"
        candidates = exc.suggestions if isinstance(exc, UnknownPlaceError) else exc.candidates
        return ApiProblem(
            422,
            kind,
            "Unknown place" if kind == "unknown-place" else "Ambiguous place",
            f"{field}: {exc}",
            field=field,
            candidates=list(candidates),
        )
    if isinstance(exc, NoRouteError):
        # the planner names the CLI's options; a web client knows the request's fields
        detail = str(exc)
        for flag, name in _FLAG_FIELDS:
            detail = detail.replace(flag, prefix + name)
        return ApiProblem(422, "no-route", "No route", detail)
    if isinstance(exc, StoreError):
        return ApiProblem(503, "database-unavailable", "Database unavailable", str(exc))
    if isinstance(exc, SearchBudgetError):  # the search stopped itself at the query's budget
        return ApiProblem(503, "time-budget", "Query took too long", str(exc))
    return ApiProblem(422, "invalid-request", "Invalid request", str(exc))


def _loc_field(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header", "cookie"):
        parts = parts[1:] if len(parts) > 1 else parts
    return ".".join(parts)


def _message(error: dict[str, Any]) -> str:
    kind = str(error.get("type", ""))
    if kind == "missing":
        return "required"
    if kind == "extra_forbidden":
        return "not a field of this request"
    return str(error.get("msg", "invalid value")).removeprefix("Value error, ")


async def validation_handler(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    if any(e.get("type") == "json_invalid" for e in errors):
        return problem_response(
            ApiProblem(
                400, "malformed-json", "Malformed JSON", "the request body is not valid JSON"
            )
        )
    fields = [
        {"field": _loc_field(tuple(e.get("loc", ()))), "message": _message(e)} for e in errors
    ]
    first = fields[0] if fields else {"field": "body", "message": "invalid request"}
    return problem_response(
        ApiProblem(
            422,
            "invalid-field",
            "Invalid request field",
            f"{first['field']}: {first['message']}",
            field=first["field"],
            errors=fields,
        )
    )


async def http_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    titles = {404: "Not found", 405: "Method not allowed", 401: "Unauthorized"}
    detail = exc.detail if isinstance(exc.detail, str) else "request failed"
    if exc.status_code == 404 and detail == "Not Found":
        detail = "no such resource"
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        allowed = allowed_methods(request)
        headers["Allow"] = ", ".join(allowed)
        detail = f"{request.method} is not allowed here; allowed: {', '.join(allowed)}"
    return problem_response(
        ApiProblem(
            exc.status_code,
            {404: "not-found", 405: "method-not-allowed"}.get(exc.status_code, "http-error"),
            titles.get(exc.status_code, "Request failed"),
            detail,
            headers=headers,
        )
    )


def allowed_methods(request: Request) -> list[str]:
    """Every method some route answers on the request's path (Starlette's 405 names only the
    first route's), for the `Allow` header."""
    methods: set[str] = set()
    for route in _flat(request.app.router.routes):
        match, _ = route.matches({**request.scope, "method": "GET"})
        if match is not Match.NONE:
            methods |= set(getattr(route, "methods", None) or ())
    return sorted(methods) or ["GET"]


def _flat(routes: Iterable[Any]) -> Iterator[Any]:
    """The routes of included routers too (FastAPI keeps them as groups with candidates)."""
    for route in routes:
        candidates = getattr(route, "effective_candidates", None)
        if callable(candidates):
            yield from _flat(candidates())
        else:
            yield route


async def problem_handler(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiProblem)
    return problem_response(exc)


async def corridor_handler(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, CorridorError)
    return problem_response(from_corridor_error(exc, places={}))


async def store_handler(_request: Request, exc: Exception) -> Response:
    return problem_response(
        ApiProblem(503, "database-unavailable", "Database unavailable", str(exc))
    )


async def unexpected_handler(_request: Request, _exc: Exception) -> Response:
    return problem_response(
        ApiProblem(500, "internal-error", "Internal error", "the server failed; see its log")
    )
