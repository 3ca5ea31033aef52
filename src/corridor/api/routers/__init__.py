"""The API's routers, one per resource, and the problem responses they document."""

from __future__ import annotations

from typing import Any

from corridor.api.problems import ProblemBody

_MEANING = {
    400: "Malformed request (JSON syntax, Content-Length)",
    401: "Missing or wrong API token",
    404: "No such resource",
    413: "Request body over the server's limit",
    422: "A field has a value the server cannot use; `field` names it",
    429: "This client already has its share of jobs queued or running",
    503: "Busy, over the per-query time budget, or the database is unavailable",
}


def problems(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for these problem status codes (problem+json bodies)."""
    return {code: {"model": ProblemBody, "description": _MEANING[code]} for code in codes}


GUARDED = (401, 413)  # every /api route but health may answer these
