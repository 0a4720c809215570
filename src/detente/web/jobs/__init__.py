"""Long computations run in the background, with progress to poll.

A *job kind* is one registration: a name (its URL, ``POST /api/jobs/<name>``),
the pydantic model of its request body (its OpenAPI schema), and ``prepare``,
which checks a request at once (a bad request is refused with 422 before
anything is queued) and returns the size of the work and the work itself. The
work runs on a worker thread with a :class:`JobContext`: ``progress(done,
total)`` (the evaluate seam's progress callback fits it as is) and the results
store when the server was started with one. It returns plain JSON-ready data;
a ``figure`` entry holding plotly JSON is drawn by the page.

To add a kind, write a module that builds a :class:`JobKind` and calls
:func:`register` on it, and name the module in :data:`JOB_MODULES`::

    register(JobKind(name="explore", title="Uncertainty", description="...",
                     request=ExploreRequest, prepare=prepare_explore,
                     example={"source": {"kind": "builtin", "name": "geneva-2021"}}))
"""

from __future__ import annotations

import concurrent.futures
import importlib
import itertools
import logging
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel

from detente.errors import DetenteError

log = logging.getLogger(__name__)

Status = Literal["queued", "running", "done", "failed", "cancelled"]


class JobCancelled(Exception):
    """Raised inside a job's work when the job was cancelled."""


class TooManyJobs(Exception):
    """The queue is full; the message says how many jobs are waiting."""


@dataclass
class JobContext:
    """What a job's work may use while it runs."""

    job_id: str
    store: Any = None
    """The results store the server was started with (``None`` without ``--store``)."""
    _cancelled: threading.Event = field(default_factory=threading.Event)
    _report: Callable[[int, int], None] = lambda done, total: None

    def progress(self, done: int, total: int) -> None:
        """Report ``done`` of ``total`` units of work; stops the job if it was cancelled."""
        if self._cancelled.is_set():
            raise JobCancelled(self.job_id)
        self._report(done, total)


Work = Callable[[JobContext], dict[str, Any]]


@dataclass(frozen=True)
class Prepared:
    """A checked request: how many units of work, and the work."""

    size: int
    work: Work


@dataclass(frozen=True)
class JobKind:
    """One kind of background job (see the module docstring)."""

    name: str
    title: str
    description: str
    request: type[BaseModel]
    prepare: Callable[[Any, Any], Prepared]
    """``prepare(request, store) -> Prepared``; raises a ``DetenteError`` on a bad request."""
    max_size: int
    """Largest ``Prepared.size`` accepted; larger jobs are refused with 422."""
    example: Mapping[str, Any] = field(default_factory=dict)
    """A valid request body, shown on the page as a starting point."""


KINDS: dict[str, JobKind] = {}
"""Registered job kinds by name."""

JOB_MODULES = (
    "detente.web.jobs.lever_line",
    "detente.web.jobs.explore",
    "detente.web.jobs.negotiate",
    "detente.web.jobs.sweep",
)
"""Modules that register job kinds when imported (each defines its ``KIND``)."""


def register(kind: JobKind) -> JobKind:
    """Add ``kind`` to :data:`KINDS` (a name is registered once)."""
    if kind.name in KINDS and KINDS[kind.name] is not kind:
        raise ValueError(f"job kind {kind.name!r} is already registered")
    KINDS[kind.name] = kind
    return kind


def registered_kinds() -> tuple[JobKind, ...]:
    """Every kind of :data:`JOB_MODULES` (imported on first use) in that order, then any
    other registered kind in the order registered."""
    shipped = [importlib.import_module(module).KIND for module in JOB_MODULES]
    return (*shipped, *(k for k in KINDS.values() if all(k is not s for s in shipped)))


@dataclass
class Job:
    """One submitted job and where it stands."""

    id: str
    kind: str
    size: int
    created: float
    status: Status = "queued"
    done: int = 0
    total: int = 0
    started: float | None = None
    finished: float | None = None
    error: str | None = None
    result: dict[str, Any] | None = None
    context: JobContext | None = None

    def public(self) -> dict[str, Any]:
        """Plain data for the API."""
        return {
            "id": self.id,
            "kind": self.kind,
            "status": self.status,
            "size": self.size,
            "done": self.done,
            "total": self.total,
            "created": self.created,
            "started": self.started,
            "finished": self.finished,
            "error": self.error,
            "result": self.result,
        }


class JobManager:
    """Runs jobs on a small pool of threads and keeps them for polling."""

    def __init__(
        self,
        *,
        workers: int,
        max_queued: int,
        max_kept: int,
        store: Any = None,
    ) -> None:
        self.max_queued = max_queued
        self.max_kept = max_kept
        self.store = store
        self.workers = workers
        self._pool: concurrent.futures.ThreadPoolExecutor | None = None
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._counter = itertools.count()

    def submit(self, kind: JobKind, prepared: Prepared) -> Job:
        """Queue ``prepared``; raises :class:`TooManyJobs` when the queue is full."""
        with self._lock:
            waiting = sum(1 for j in self._jobs.values() if j.status in ("queued", "running"))
            if waiting >= self.max_queued:
                raise TooManyJobs(
                    f"{waiting} jobs are queued or running, the most this server takes at once; "
                    "wait for one to finish (or cancel one) and submit again"
                )
            job = Job(
                id=f"{next(self._counter):06d}-{uuid.uuid4().hex[:12]}",
                kind=kind.name,
                size=prepared.size,
                created=time.time(),
                total=prepared.size,
            )
            job.context = JobContext(job.id, self.store, _report=self._reporter(job))
            self._jobs[job.id] = job
            self._forget_old()
            if self._pool is None:
                self._pool = concurrent.futures.ThreadPoolExecutor(
                    max_workers=self.workers, thread_name_prefix="detente-job"
                )
            self._pool.submit(self._run, job, prepared.work)
        return job

    def _reporter(self, job: Job) -> Callable[[int, int], None]:
        def report(done: int, total: int) -> None:
            with self._lock:
                job.done, job.total = done, total

        return report

    def _forget_old(self) -> None:
        finished = [j.id for j in self._jobs.values() if j.finished is not None]
        for job_id in finished[: max(0, len(self._jobs) - self.max_kept)]:
            del self._jobs[job_id]

    def _run(self, job: Job, work: Work) -> None:
        context = job.context
        assert context is not None
        with self._lock:
            if job.status == "cancelled":
                return
            job.status, job.started = "running", time.time()
        try:
            result = work(context)
        except JobCancelled:
            self._finish(job, "cancelled", error="cancelled while running")
        except DetenteError as exc:
            self._finish(job, "failed", error=str(exc))
        except Exception as exc:  # a bug: keep the server up, say so, log the traceback
            log.exception("job %s failed", job.id)
            self._finish(job, "failed", error=f"internal error ({type(exc).__name__})")
        else:
            self._finish(job, "done", result=result)

    def _finish(
        self,
        job: Job,
        status: Status,
        *,
        error: str | None = None,
        result: dict[str, Any] | None = None,
    ) -> None:
        with self._lock:
            job.status, job.error, job.result = status, error, result
            job.finished = time.time()
            if status == "done":
                job.done = job.total

    def get(self, job_id: str) -> Job | None:
        """The job ``job_id``, or ``None`` if it is unknown or forgotten."""
        with self._lock:
            return self._jobs.get(job_id)

    def snapshot(self, job_id: str) -> dict[str, Any] | None:
        """The public data of job ``job_id`` read under the lock."""
        with self._lock:
            job = self._jobs.get(job_id)
            return None if job is None else job.public()

    def list(self) -> list[dict[str, Any]]:
        """Every kept job, newest first, without results."""
        with self._lock:
            return [{**j.public(), "result": None} for j in reversed(self._jobs.values())]

    def cancel(self, job_id: str) -> dict[str, Any] | None:
        """Cancel a queued or running job (a running one stops at its next progress report)."""
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None:
                return None
            if job.status == "queued":
                job.status, job.finished, job.error = "cancelled", time.time(), "cancelled"
            elif job.status == "running" and job.context is not None:
                job.context._cancelled.set()
            return job.public()

    def close(self) -> None:
        """Cancel every queued and running job and stop the worker threads.

        Jobs submitted later start new worker threads (an application may be
        started and stopped more than once, as test clients do).
        """
        with self._lock:
            for job in self._jobs.values():
                if job.status == "queued":
                    job.status, job.finished, job.error = "cancelled", time.time(), "cancelled"
                if job.context is not None:
                    job.context._cancelled.set()
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)


__all__ = [
    "JOB_MODULES",
    "KINDS",
    "Job",
    "JobCancelled",
    "JobContext",
    "JobKind",
    "JobManager",
    "Prepared",
    "TooManyJobs",
    "register",
    "registered_kinds",
]
