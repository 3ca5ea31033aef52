"""/api/jobs: long analyses run in the background (scenario comparison, criticality).

POST answers 202 with the job's id at once; GET /api/jobs/{id} gives its status, progress
(0..1) and, once done, its result (the same JSON as the CLI's `--format json`); DELETE
/api/jobs/{id} cancels it. A job's scenario is a saved one (`scenario_id`) or TOML `text`,
checked before the job is queued. The queue is bounded, in all and per client (docs/api.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path as FilePath
from tempfile import TemporaryDirectory
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Request
from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic.config import JsonDict
from pydantic.json_schema import SkipJsonSchema
from starlette.convertors import Convertor, register_url_convertor

from corridor.api.context import ApiContext, get_context
from corridor.api.jobs import Progress
from corridor.api.problems import ApiProblem, not_found
from corridor.api.routers import GUARDED, problems
from corridor.api.routers.scenarios import check_scenario_text
from corridor.api.schemas import JobCreated, JobOut, ScenarioText, valid_departure
from corridor.batch.spec import NetworkSpec, forget_opened
from corridor.routing.odset import default_od_path, read_od_pairs
from corridor.scenarios import load_scenario
from corridor.scenarios.compare import compare
from corridor.scenarios.criticality import KINDS, ElementKind, criticality
from corridor.store import repository


class _HexId(Convertor[str]):
    """Job ids are hex: `/api/jobs/compare` is then no job id, so GET on it is a 405."""

    regex = "[0-9a-f]{1,64}"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("jobid", _HexId())
router = APIRouter(prefix="/api/jobs", tags=["jobs"])
Context = Annotated[ApiContext, Depends(get_context)]
ScenarioRef = Annotated[int, Field(ge=1, le=2**31 - 1)]
# null is taken as left out; the schema offers only the value, and one of the two keys
_ONE_SCENARIO: JsonDict = {"oneOf": [{"required": ["scenario_id"]}, {"required": ["text"]}]}
_AT_MOST_ONE: JsonDict = {"not": {"required": ["scenario_id", "text"]}}
Departure = Annotated[datetime | None, AfterValidator(valid_departure)]


class CompareIn(BaseModel):
    """Compare the network with a scenario applied against the baseline, over the OD set."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_ONE_SCENARIO)

    scenario_id: ScenarioRef | SkipJsonSchema[None] = Field(None, description="A saved scenario.")
    text: ScenarioText | SkipJsonSchema[None] = Field(
        None, description="Or a scenario's TOML text."
    )
    depart: Departure = Field(None, description="Departure, UTC; default: today 00:00.")
    alternatives: int = Field(3, ge=0, le=10, description="Corridor alternatives per OD.")
    samples: int = Field(1000, ge=0, le=10_000, description="Monte Carlo draws for P90.")


class CriticalityIn(BaseModel):
    """Rank links, crossings and hubs by the loss their closure causes to the OD set."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_AT_MOST_ONE)

    scenario_id: ScenarioRef | SkipJsonSchema[None] = Field(
        None, description="A saved scenario to apply first."
    )
    text: ScenarioText | SkipJsonSchema[None] = Field(
        None, description="Or a scenario's TOML text."
    )
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
    """The scenario as a file (what NetworkSpec and load_scenario take), for one job.

    The networks a scenario job builds are cached per process (`NetworkSpec.open`) under a
    file no later job can name again, so they are dropped when the job ends, and what was
    derived from them (searches, closure indexes) goes with them: a storm of scenario jobs
    cannot keep the worker's memory growing."""
    if text is None:
        yield ()
        return
    try:
        with TemporaryDirectory(prefix="corridor-job-") as folder:
            path = FilePath(folder) / "scenario.toml"
            path.write_text(text, encoding="utf-8")
            yield (str(path),)
    finally:
        forget_opened()


def _fraction(progress: Progress) -> Callable[[int, int], None]:
    return lambda done, total: progress(done / total if total else 1.0)


@router.post(
    "/compare",
    status_code=202,
    response_model=JobCreated,
    responses=problems(*GUARDED, 400, 422, 429, 503),
)
def start_compare(body: CompareIn, context: Context, request: Request) -> dict[str, str]:
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

    return {"id": context.jobs.submit("compare", work, _client(request))}


@router.post(
    "/criticality",
    status_code=202,
    response_model=JobCreated,
    responses=problems(*GUARDED, 400, 422, 429, 503),
)
def start_criticality(body: CriticalityIn, context: Context, request: Request) -> dict[str, str]:
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

    return {"id": context.jobs.submit("criticality", work, _client(request))}


def _client(request: Request) -> str:
    """Whom a job's quota counts against: the client's address."""
    return request.client.host if request.client is not None else ""


JobId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[0-9a-f]+$")]


@router.get("/{job_id:jobid}", response_model=JobOut, responses=problems(*GUARDED, 404, 422))
def get_job(job_id: JobId, context: Context) -> dict[str, Any]:
    """A job's status, progress (0..1) and, once done, its result."""
    job = context.jobs.get(job_id)
    if job is None:
        raise not_found("job", job_id)
    return job


@router.delete("/{job_id:jobid}", response_model=JobOut, responses=problems(*GUARDED, 404, 422))
def cancel_job(job_id: JobId, context: Context) -> dict[str, Any]:
    """Cancel a job: a queued one never starts, a running one stops at its next step. The
    answer is its record (status `cancelled`, or its final status if it had finished)."""
    job = context.jobs.cancel(job_id)
    if job is None:
        raise not_found("job", job_id)
    return job
