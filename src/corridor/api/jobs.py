"""Background jobs for long analyses (scenario comparison, criticality), with progress.

Jobs run on a small in-process thread pool; their records live in memory, so a restart forgets
them (their inputs, the saved scenarios, stay in the database). The queue is bounded: at most
`max_active` jobs queued or running in all, and `per_client` for one client; beyond that a new
job is refused (503 or 429, with Retry-After). A job can be cancelled: a queued one never starts,
a running one stops at its next progress step. The oldest finished records are dropped once more
than `keep` are held, or once their results (counted as encoded JSON) pass `keep_bytes`, so that
a long-lived server's memory stays bounded however large the results. A finished result is
kept as its encoded JSON (a few times smaller than the objects) and decoded when asked for.
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson

from corridor.api.problems import ApiProblem
from corridor.errors import CorridorError

Progress = Callable[[float], None]
Work = Callable[[Progress], Any]
ACTIVE = ("queued", "running")
FINISHED = ("done", "failed", "cancelled")


class JobCancelled(Exception):
    """Raised inside a job's work (by its progress callback) once the job is cancelled."""


@dataclass
class _Job:
    id: str
    kind: str
    client: str
    created_at: datetime
    status: str = "queued"
    progress: float = 0.0
    result: Any = None  # only when the result cannot be encoded as JSON
    encoded: bytes | None = None  # the finished result as JSON
    error: dict[str, Any] | None = field(default=None)
    future: Future[None] | None = None

    @property
    def size(self) -> int:
        """The finished result's bytes as the API sends it, for the finished-results budget."""
        if self.encoded is not None:
            return len(self.encoded)
        return 0 if self.result is None else len(repr(self.result))

    def snapshot(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "status": self.status,
            "progress": round(self.progress, 4),
            "result": self.result if self.encoded is None else orjson.loads(self.encoded),
            "error": self.error,
            "created_at": self.created_at.isoformat().replace("+00:00", "Z"),
        }


class JobRunner:
    """Runs `work(progress)` callables in the background and keeps their status."""

    def __init__(
        self,
        threads: int = 1,
        keep: int = 100,
        max_active: int = 8,
        per_client: int = 2,
        keep_bytes: int = 8 * 2**20,
    ) -> None:
        self._threads = threads
        self._executor: ThreadPoolExecutor | None = None
        self._jobs: OrderedDict[str, _Job] = OrderedDict()
        self._lock = threading.Lock()
        self._keep = keep
        self._keep_bytes = keep_bytes
        self._max_active = max_active
        self._per_client = per_client

    def submit(self, kind: str, work: Work, client: str = "") -> str:
        """Queue `work`; returns the job's id at once. Raises ApiProblem (503 when the queue
        is full, 429 when `client` already has its share of jobs queued or running)."""
        job = _Job(id=uuid.uuid4().hex, kind=kind, client=client, created_at=datetime.now(UTC))
        with self._lock:
            self._refuse_if_full(client)
            self._jobs[job.id] = job
            self._forget_oldest()
            if self._executor is None:  # first use, or used again after a shutdown
                self._executor = ThreadPoolExecutor(
                    self._threads, thread_name_prefix="corridor-job"
                )
            job.future = self._executor.submit(self._run, job, work)
        return job.id

    def _forget_oldest(self, spare: str = "") -> None:
        """Drop the oldest finished records while more than `keep` records are held or the
        finished results pass `keep_bytes`; never the job `spare`, which has just finished and
        not yet been fetched (the caller holds the lock)."""
        finished = [j for j in self._jobs.values() if j.status in FINISHED and j.id != spare]
        held = sum(j.size for j in finished)
        for old in finished:
            if len(self._jobs) <= self._keep and held <= self._keep_bytes:
                break
            held -= old.size
            del self._jobs[old.id]

    def _refuse_if_full(self, client: str) -> None:
        active = [j for j in self._jobs.values() if j.status in ACTIVE]
        if len(active) >= self._max_active:
            raise ApiProblem(
                503,
                "busy",
                "Job queue full",
                f"{len(active)} jobs are queued or running, the server's limit; retry later "
                "or cancel one (DELETE /api/jobs/{id})",
                headers={"Retry-After": "30"},
            )
        if sum(j.client == client for j in active) >= self._per_client:
            raise ApiProblem(
                429,
                "too-many-jobs",
                "Too many jobs",
                f"this client already has {self._per_client} jobs queued or running; wait for "
                "one to finish or cancel one (DELETE /api/jobs/{id})",
                headers={"Retry-After": "30"},
            )

    def get(self, job_id: str) -> dict[str, Any] | None:
        """The job's status record, or None for an unknown id."""
        with self._lock:
            job = self._jobs.get(job_id)
            return None if job is None else job.snapshot()

    def cancel(self, job_id: str) -> dict[str, Any] | None:
        """Cancel a queued or running job (a finished one is left as it is); its record, or
        None for an unknown id. A running job stops at its next progress step."""
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None:
                return None
            if job.status in ACTIVE:
                job.status = "cancelled"
                job.error = {"title": "Cancelled", "detail": "the job was cancelled"}
                if job.future is not None:
                    job.future.cancel()  # never starts if still queued
            return job.snapshot()

    def _run(self, job: _Job, work: Work) -> None:
        def progress(fraction: float) -> None:
            with self._lock:
                if job.status == "cancelled":
                    raise JobCancelled
                job.progress = min(1.0, max(job.progress, float(fraction)))

        with self._lock:
            if job.status != "queued":
                return
            job.status = "running"
        try:
            result = work(progress)
        except JobCancelled:
            return
        except CorridorError as exc:
            self._finish(job, "failed", error={"title": "Job failed", "detail": str(exc)})
            return
        except Exception as exc:  # a job's failure must reach its record, not kill the pool
            self._finish(
                job, "failed", error={"title": "Internal error", "detail": type(exc).__name__}
            )
            return
        self._finish(job, "done", result=result)

    def _finish(
        self, job: _Job, status: str, *, result: Any = None, error: dict[str, Any] | None = None
    ) -> None:
        with self._lock:
            if job.status == "cancelled":  # cancelled while its last step ran: stays cancelled
                return
            job.status, job.error = status, error
            job.encoded = _encoded(result)
            job.result = result if job.encoded is None else None
            if status == "done":
                job.progress = 1.0
            self._forget_oldest(spare=job.id)

    def shutdown(self) -> None:
        """Cancel queued jobs and stop running ones at their next progress step; a later
        submit starts a new pool."""
        with self._lock:
            executor, self._executor = self._executor, None
            for job in self._jobs.values():
                if job.status in ACTIVE:
                    job.status = "cancelled"
                    job.error = {"title": "Cancelled", "detail": "the server shut down"}
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)


def _encoded(result: Any) -> bytes | None:
    """The result as the API sends it (JSON), or None when there is none or orjson cannot
    encode it (the record then keeps the object, counted by its repr)."""
    if result is None:
        return None
    try:
        return orjson.dumps(result, option=orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS)
    except TypeError:
        return None
