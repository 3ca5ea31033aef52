"""Background jobs for long analyses (scenario comparison, criticality), with progress.

Jobs run on a small in-process thread pool; their records live in memory, so a restart forgets
them (their inputs, the saved scenarios, stay in the database). The oldest finished records are
dropped once more than `keep` are held.
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from corridor.errors import CorridorError

Progress = Callable[[float], None]
Work = Callable[[Progress], Any]


@dataclass
class _Job:
    id: str
    kind: str
    created_at: datetime
    status: str = "queued"
    progress: float = 0.0
    result: Any = None
    error: dict[str, Any] | None = field(default=None)

    def snapshot(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "status": self.status,
            "progress": round(self.progress, 4),
            "result": self.result,
            "error": self.error,
            "created_at": self.created_at.isoformat().replace("+00:00", "Z"),
        }


class JobRunner:
    """Runs `work(progress)` callables in the background and keeps their status."""

    def __init__(self, threads: int = 1, keep: int = 100) -> None:
        self._threads = threads
        self._executor: ThreadPoolExecutor | None = None
        self._jobs: OrderedDict[str, _Job] = OrderedDict()
        self._lock = threading.Lock()
        self._keep = keep

    def submit(self, kind: str, work: Work) -> str:
        """Queue `work`; returns the job's id at once."""
        job = _Job(id=uuid.uuid4().hex, kind=kind, created_at=datetime.now(UTC))
        with self._lock:
            self._jobs[job.id] = job
            finished = [j.id for j in self._jobs.values() if j.status in ("done", "failed")]
            for old in finished[: max(0, len(self._jobs) - self._keep)]:
                del self._jobs[old]
            if self._executor is None:  # first use, or used again after a shutdown
                self._executor = ThreadPoolExecutor(
                    self._threads, thread_name_prefix="corridor-job"
                )
            self._executor.submit(self._run, job, work)
        return job.id

    def get(self, job_id: str) -> dict[str, Any] | None:
        """The job's status record, or None for an unknown id."""
        with self._lock:
            job = self._jobs.get(job_id)
            return None if job is None else job.snapshot()

    def _run(self, job: _Job, work: Work) -> None:
        def progress(fraction: float) -> None:
            with self._lock:
                job.progress = min(1.0, max(job.progress, float(fraction)))

        with self._lock:
            job.status = "running"
        try:
            result = work(progress)
        except CorridorError as exc:
            with self._lock:
                job.status = "failed"
                job.error = {"title": "Job failed", "detail": str(exc)}
            return
        except Exception as exc:  # a job's failure must reach its record, not kill the pool
            with self._lock:
                job.status = "failed"
                job.error = {"title": "Internal error", "detail": type(exc).__name__}
            return
        with self._lock:
            job.status = "done"
            job.progress = 1.0
            job.result = result

    def shutdown(self) -> None:
        """Cancel queued jobs (a running one finishes); a later submit starts a new pool."""
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)
