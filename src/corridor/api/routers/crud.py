"""What the saved-work routers (shipments, scenarios) share: paging parameters, 404s, null checks."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any, Protocol

from fastapi import Query, Response

from corridor.api.problems import ApiProblem, not_found

Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0, le=10**9)]


class Saved(Protocol):
    """A saved record as the repository returns it."""

    def to_dict(self) -> dict[str, Any]: ...


def listed(records: Iterable[Saved]) -> list[dict[str, Any]]:
    """The records as response bodies."""
    return [record.to_dict() for record in records]


def found(saved: Saved | None, what: str, ident: int) -> dict[str, Any]:
    """The record as a response body, or a 404 problem naming what was asked for."""
    if saved is None:
        raise not_found(what, ident)
    return saved.to_dict()


def deleted(existed: bool, what: str, ident: int) -> Response:
    """204 after a delete, or a 404 problem when there was nothing to delete."""
    if not existed:
        raise not_found(what, ident)
    return Response(status_code=204)


def refuse_nulls(changes: dict[str, Any]) -> None:
    """A PUT may leave fields out but not set them to null: the first null one is a 422."""
    for field, value in changes.items():
        if value is None:
            raise ApiProblem(
                422,
                "invalid-field",
                "Invalid request field",
                f"{field}: expected a value, got null",
                field=field,
            )
