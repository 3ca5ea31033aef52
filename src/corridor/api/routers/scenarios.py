"""/api/scenarios: saved scenarios (TOML text, checked against the server's network)."""

from __future__ import annotations

import tomllib
from pathlib import Path as FilePath
from tempfile import TemporaryDirectory
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Response

from corridor.api.context import ApiContext, get_context
from corridor.api.problems import ApiProblem
from corridor.api.routers import GUARDED, problems
from corridor.api.routers.crud import Limit, Offset, deleted, found, listed, refuse_nulls
from corridor.api.schemas import ScenarioIn, ScenarioOut, ScenarioPatch
from corridor.errors import CorridorError, InputFileError, Problem
from corridor.network.model import Network
from corridor.network.tables import load_toml
from corridor.scenarios import load_scenario
from corridor.store import repository

router = APIRouter(prefix="/api/scenarios", tags=["scenarios"])
Context = Annotated[ApiContext, Depends(get_context)]
ScenarioId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The scenario's id.")]


def check_scenario_text(text: str, network: Network) -> None:
    """Refuse scenario text that is not TOML or that the scenario loader rejects (422, `text`)."""
    try:
        load_toml(text)
    except tomllib.TOMLDecodeError as exc:
        raise _invalid(f"expected a scenario in TOML: {exc}") from None
    with TemporaryDirectory(prefix="corridor-scenario-") as folder:
        path = FilePath(folder) / "scenario.toml"
        path.write_text(text, encoding="utf-8")
        try:
            load_scenario(path, network)
        except InputFileError as exc:
            found = "; ".join(_problem_text(p) for p in exc.problems) or str(exc)
            raise _invalid(found) from None
        except CorridorError as exc:
            raise _invalid(str(exc)) from None


def _problem_text(problem: Problem) -> str:
    where = f"line {problem.row}: " if problem.row is not None else ""
    column = f"{problem.column}: " if problem.column else ""
    got = f" (got {problem.value!r})" if problem.value is not None else ""
    return f"{where}{column}{problem.message}{got}"


def _invalid(detail: str) -> ApiProblem:
    return ApiProblem(
        422,
        "invalid-scenario",
        "Invalid scenario",
        f"text: {detail}",
        field="text",
        errors=[{"field": "text", "message": detail}],
    )


@router.post(
    "", status_code=201, response_model=ScenarioOut, responses=problems(*GUARDED, 400, 422, 503)
)
def create_scenario(body: ScenarioIn, context: Context) -> dict[str, Any]:
    """Save a scenario after checking its text against the server's network."""
    check_scenario_text(body.text, context.network)
    return repository.create_scenario(context.store, name=body.name, text=body.text).to_dict()


@router.get("", response_model=list[ScenarioOut], responses=problems(*GUARDED, 422, 503))
def list_scenarios(
    context: Context,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[dict[str, Any]]:
    """Saved scenarios, newest first."""
    return listed(repository.list_scenarios(context.store, limit=limit, offset=offset))


@router.get(
    "/{scenario_id}", response_model=ScenarioOut, responses=problems(*GUARDED, 404, 422, 503)
)
def get_scenario(scenario_id: ScenarioId, context: Context) -> dict[str, Any]:
    """One saved scenario."""
    return found(repository.get_scenario(context.store, scenario_id), "scenario", scenario_id)


@router.put(
    "/{scenario_id}",
    response_model=ScenarioOut,
    responses=problems(*GUARDED, 400, 404, 422, 503),
)
def update_scenario(
    scenario_id: ScenarioId, body: ScenarioPatch, context: Context
) -> dict[str, Any]:
    """Change a saved scenario's name and/or text; fields left out stay."""
    changes: dict[str, Any] = body.model_dump(exclude_unset=True)
    refuse_nulls(changes)
    if "text" in changes:
        check_scenario_text(changes["text"], context.network)
    saved = repository.update_scenario(context.store, scenario_id, **changes)
    return found(saved, "scenario", scenario_id)


@router.delete("/{scenario_id}", status_code=204, responses=problems(*GUARDED, 404, 422, 503))
def delete_scenario(scenario_id: ScenarioId, context: Context) -> Response:
    """Delete a saved scenario."""
    return deleted(repository.delete_scenario(context.store, scenario_id), "scenario", scenario_id)
