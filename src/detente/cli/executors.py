"""The executor a command's ``--executor``, ``--scheduler`` and ``--workers`` name."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import typer

from detente.errors import InvalidArgumentError

ExecutorName = Literal["serial", "process", "dask"]

ExecutorOption = Annotated[
    ExecutorName | None,
    typer.Option("--executor", help="serial (default), process (local pool) or dask."),
]
SchedulerOption = Annotated[
    str | None,
    typer.Option("--scheduler", help="Address of an existing Dask scheduler (tcp://host:8786)."),
]
WorkersOption = Annotated[
    int | None,
    typer.Option("--workers", help="Workers of a process pool or local Dask cluster."),
]
"""The options every command that runs on an executor takes, spelt once."""


def make_executor(name: str | None, scheduler: str | None, workers: int | None) -> tuple[Any, str]:
    """The executor asked for, and how it is recorded with the run."""
    chosen = name or ("dask" if scheduler else "serial")
    if scheduler is not None and chosen != "dask":
        raise InvalidArgumentError(
            f"--scheduler names a Dask scheduler; it cannot be used with --executor {chosen}"
        )
    if workers is not None and workers < 1:
        raise InvalidArgumentError(f"--workers must be at least 1, got {workers}")
    if chosen == "serial":
        from detente.analysis.executors import SerialExecutor

        return SerialExecutor(), "serial"
    if chosen == "process":
        from detente.analysis.executors import ProcessExecutor

        pool = ProcessExecutor(workers)
        return pool, f"process({pool.workers})"
    from detente.scale import DaskExecutor

    if scheduler is not None:
        return DaskExecutor(scheduler), f"dask({scheduler})"
    ex = DaskExecutor(workers=workers)
    return ex, f"dask(local, {len(ex.client.scheduler_info().get('workers', {}))} workers)"
