"""/api/jobs: long analyses run in the background (scenario comparison, criticality).

POST answers 202 with the job's id at once; GET /api/jobs/{id} gives its status, progress
(0..1) and, once done, its result (the same JSON as the CLI's `--format json`). A job's
scenario is a saved one (`scenario_id`) or TOML `text`, checked before the job is queued.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path as FilePath
from tempfile import TemporaryDirectory
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from corridor.api.context import ApiContext, get_context
from corridor.api.jobs import Progress
from corridor.api.problems import ApiProblem, not_found
from corridor.api.routers import GUARDED, problems
from corridor.api.routers.scenarios import check_scenario_text
from corridor.api.schemas import JobCreated, JobOut, ScenarioText, valid_departure
from corridor.batch.spec import NetworkSpec
from corridor.routing.odset import default_od_path, read_od_pairs
from corridor.scenarios import load_scenario
from corridor.scenarios.compare import compare
from corridor.scenarios.criticality import KINDS, ElementKind, criticality
from corridor.store import repository

router = APIRouter(prefix="/api/jobs", tags=["jobs"])
Context = Annotated[ApiContext, Depends(get_context)]
ScenarioRef = Annotated[int, Field(ge=1, le=2**31 - 1)]
Departure = Annotated[datetime | None, AfterValidator(valid_departure)]


class CompareIn(BaseModel):
    """Compare the network with a scenario applied against the baseline, over the OD set."""

    model_config = ConfigDict(extra="forbid")

    scenario_id: ScenarioRef | None = Field(None, description="A saved scenario.")
    text: ScenarioText | None = Field(None, description="Or a scenario's TOML text.")
    depart: Departure = Field(None, description="Departure, UTC; default: today 00:00.")
    alternatives: int = Field(3, ge=0, le=10, description="Corridor alternatives per OD.")
    samples: int = Field(1000, ge=0, le=10_000, description="Monte Carlo draws for P90.")


class CriticalityIn(BaseModel):
    """Rank links, crossings and hubs by the loss their closure causes to the OD set."""

    model_config = ConfigDict(extra="forbid")

    scenario_id: ScenarioRef | None = Field(None, description="A saved scenario to apply first.")
    text: ScenarioText | None = Field(None, description="Or a scenario's TOML text.")
    kinds: list[ElementKind] = Field(
        default_factory=lambda: list(KINDS), min_length=1, max_length=3
    )
    rank_by: Literal["time", "cost"] = "time"
    depart: Departure = Field(None, description="Departure, UTC; default: now.")
    top: int = Field(20, ge=1, le=1000, description="Elements to return, most critical first.")


def _scenario_text(
    context: ApiContext, scenario_id: int | None, text: str | None, *, required: bool
) -> str | None:
    if scenario_id is not None and text is not None:
        raise _invalid("text", "give scenario_id or text, not both")
    if scenario_id is not None:
        saved = repository.get_scenario(context.store, scenario_id)
        if saved is None:
            raise _invalid("scenario_id", f"no saved scenario with id {scenario_id}")
        text = saved.text
    if text is None:
        if required:
            raise _invalid("scenario_id", "expected a saved scenario's id or a scenario's text")
        return None
    check_scenario_text(text, context.network)
    return text


def _invalid(field: str, message: str) -> ApiProblem:
    return ApiProblem(
        422, "invalid-field", "Invalid request field", f"{field}: {message}", field=field
    )


@contextmanager
def _scenario_file(text: str | None) -> Iterator[tuple[str, ...]]:
    """The scenario as a file (what NetworkSpec and load_scenario take), for one job."""
    if text is None:
        yield ()
        return
    with TemporaryDirectory(prefix="corridor-job-") as folder:
        path = FilePath(folder) / "scenario.toml"
        path.write_text(text, encoding="utf-8")
        yield (str(path),)


def _fraction(progress: Progress) -> Callable[[int, int], None]:
    return lambda done, total: progress(done / total if total else 1.0)


@router.post(
    "/compare",
    status_code=202,
    response_model=JobCreated,
    responses=problems(*GUARDED, 400, 422, 503),
)
def start_compare(body: CompareIn, context: Context) -> dict[str, str]:
    """Start comparing a scenario (saved, or its text) with the baseline over the OD set."""
    text = _scenario_text(context, body.scenario_id, body.text, required=True)
    network = context.network
    pairs = read_od_pairs(default_od_path(context.settings.network_path), network)

    def work(progress: Progress) -> Any:
        with _scenario_file(text) as paths:
            scenario = load_scenario(paths[0], network)
        result = compare(
            network,
            scenario,
            pairs,
            depart=body.depart,
            alternatives=body.alternatives,
            samples=body.samples,
            progress=False,
            on_progress=_fraction(progress),
        )
        return result.to_dict()

    return {"id": context.jobs.submit("compare", work)}


@router.post(
    "/criticality",
    status_code=202,
    response_model=JobCreated,
    responses=problems(*GUARDED, 400, 422, 503),
)
def start_criticality(body: CriticalityIn, context: Context) -> dict[str, str]:
    """Start ranking the network's elements by criticality (optionally under a scenario)."""
    text = _scenario_text(context, body.scenario_id, body.text, required=False)
    depart = body.depart or datetime.now(UTC).replace(second=0, microsecond=0)
    folder = context.settings.network_path
    pairs = read_od_pairs(default_od_path(folder), context.network)

    def work(progress: Progress) -> Any:
        with _scenario_file(text) as paths:
            spec = NetworkSpec(None if folder is None else str(folder), paths)
            result = criticality(
                spec,
                pairs,
                depart=depart,
                kinds=body.kinds,
                rank_by=body.rank_by,
                progress=False,
                on_progress=_fraction(progress),
            )
        return result.to_dict(top=body.top)

    return {"id": context.jobs.submit("criticality", work)}


@router.get("/{job_id}", response_model=JobOut, responses=problems(*GUARDED, 404, 422))
def get_job(
    job_id: Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[0-9a-f]+$")],
    context: Context,
) -> dict[str, Any]:
    """A job's status, progress (0..1) and, once done, its result."""
    job = context.jobs.get(job_id)
    if job is None:
        raise not_found("job", job_id)
    return job
