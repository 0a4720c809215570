"""Running a sweep into the store: reuse, resume, one transaction per chunk.

A run is named by its content hash (:func:`detente.store.schema.content_hash`):

- not in the store: it is recorded and every chunk is computed;
- complete: nothing is computed, the stored results are reused;
- incomplete (the process was killed, the machine lost power, a chunk
  failed): with ``resume`` only the chunks not yet stored are computed, with
  the run's own chunk layout, so the result is the one an uninterrupted run
  gives; without ``resume`` it is an error that says how to go on.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass

from detente.analysis.executors import Executor
from detente.analysis.sweep import Sampler, SweepPlan, Vary, iter_chunks
from detente.io.changes import with_changes
from detente.store.results import ID_SHOWN, ResultsStore, StoreError
from detente.store.schema import content_hash

ChunkProgress = Callable[[int, int, int], None]
"""``progress(chunks done, chunks in the run, outcome rows written so far)``."""


@dataclass(frozen=True)
class StoredSweep:
    """What :func:`run_into_store` did."""

    run_id: str
    path: str
    reused: bool
    """The complete run was already stored; nothing was computed."""
    resumed: bool
    chunks_computed: int
    chunks: int
    rows_written: int
    seconds: float

    @property
    def short_id(self) -> str:
        """The id as shown."""
        return self.run_id[:ID_SHOWN]


def _relayout(plan: SweepPlan, chunk_points: int) -> SweepPlan:
    """``plan`` cut into chunks of ``chunk_points`` points (a stored run's own layout)."""
    if plan.chunk_points == chunk_points:
        return plan
    return SweepPlan.build(
        plan.spec, plan.scenario, chunk_size=chunk_points * max(1, plan.spec.draws)
    )


def run_into_store(
    plan: SweepPlan,
    path: str | os.PathLike[str],
    *,
    executor: Executor | None = None,
    executor_name: str = "serial",
    resume: bool = False,
    sampler: Sampler | None = None,
    vary: Vary = with_changes,
    progress: ChunkProgress | None = None,
) -> StoredSweep:
    """Run ``plan`` into the store at ``path`` (reusing or resuming a stored run).

    Parameters
    ----------
    plan
        The sweep (:func:`detente.io.load_sweep`).
    path
        The store file.
    executor, executor_name
        How chunks are computed, and its name as recorded with the run.
    resume
        Finish an incomplete run (computing only the chunks not stored).
    sampler
        Uncertainty draws per point, when the sweep asks for draws.
    vary
        How a point's scenario is made (default :func:`detente.io.with_changes`).
    progress
        Called after every chunk written (and once before the first).

    Raises
    ------
    StoreError
        If the run is stored but incomplete and ``resume`` is not set, or the
        store cannot be written. A chunk that fails marks the run ``failed``
        (the chunks before it stay stored) and its error is raised.
    """
    run_id = content_hash(plan, sampler)
    start = time.perf_counter()
    with ResultsStore(path) as store:
        info = store.find(run_id)
        resumed = False
        if info is None:
            store.create_run(run_id, plan, executor_name, plan.spec.model_dump(mode="json"))
            done: set[int] = set()
        elif info.complete:
            return StoredSweep(run_id, str(path), True, False, 0, info.chunks, 0, 0.0)
        elif not resume:
            raise StoreError(
                f"run {run_id[:ID_SHOWN]} of this sweep in {str(path)!r} is incomplete "
                f"({info.chunks_done} of {info.chunks} chunks stored, status {info.status}); "
                "run again with --resume to compute the missing chunks, or remove it with "
                f"`detente runs rm {run_id[:ID_SHOWN]}`"
            )
        else:
            plan = _relayout(plan, info.chunk_points)
            done = store.done_chunks(run_id)
            resumed = True
        store.set_status(run_id, "running", executor=executor_name)
        todo = [c for c in range(plan.n_chunks) if c not in done]
        rows = 0
        if progress is not None:
            progress(len(done), plan.n_chunks, rows)
        status = "interrupted"
        message = ""
        try:
            tick = time.perf_counter()
            for result in iter_chunks(plan, executor, chunks=todo, vary=vary, sampler=sampler):
                now = time.perf_counter()
                rows += store.write_chunk(run_id, result, now - tick)
                tick = now
                done.add(result.index)
                if progress is not None:
                    progress(len(done), plan.n_chunks, rows)
            status = "complete"
        except Exception as exc:
            status, message = "failed", str(exc).splitlines()[0][:500] if str(exc) else repr(exc)
            raise
        finally:
            store.set_status(run_id, status, message=message)  # type: ignore[arg-type]
    return StoredSweep(
        run_id,
        str(path),
        False,
        resumed,
        len(todo),
        plan.n_chunks,
        rows,
        time.perf_counter() - start,
    )


__all__ = ["ChunkProgress", "StoredSweep", "run_into_store"]
