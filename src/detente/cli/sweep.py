"""``detente sweep SPEC.yaml``: evaluate a sweep into the results store, resumably."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from detente.cli.app import app
from detente.cli.console import emit, err_console, out_console, styled
from detente.cli.executors import ExecutorOption, SchedulerOption, WorkersOption, make_executor
from detente.errors import DetenteError, InvalidArgumentError


def _progress_bar() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[rows]} rows"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=err_console,
        transient=False,
    )


class _LineLog:
    """Progress as plain lines when standard error is not a terminal (batch jobs, logs).

    One line when the run starts, then at most one a second and the last one.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.start = time.monotonic()
        self.first: int | None = None
        self.last = -1.0

    def update(self, done: int, total: int, rows: int) -> None:
        now = time.monotonic()
        if self.first is None:
            self.first = done
        if now - self.last < 1.0 and done not in (self.first, total):
            return
        self.last = now
        fresh = done - self.first
        eta = ""
        if fresh > 0 and done < total:
            eta = f", ETA {(now - self.start) / fresh * (total - done):,.0f} s"
        err_console.print(
            styled(f"sweep {self.name}: {done}/{total} chunks stored, {rows:,} rows{eta}")
        )


def _summary(store_path: str, run_id: str) -> list[str]:
    """Lines naming the lowest and highest headline value of the run and where they are."""
    from detente.store import open as open_store
    from detente.store.frames import headline_table

    with open_store(store_path, read_only=True) as store:
        info = store.run(run_id)
        lines = []
        for definition in _definitions(info.spec):
            table, label = headline_table(store, run_id, definition)
            if table.empty:
                continue
            levers = [lv["name"] for lv in info.levers]
            values = table["value"].to_numpy()
            low, high = table.iloc[int(values.argmin())], table.iloc[int(values.argmax())]

            def at(row: Any, levers: list[str] = levers) -> str:
                return ", ".join(f"{name}={row[name]}" for name in levers)

            lines.append(
                f"{definition} ({label}): {low['value']:.3f} at {at(low)} .. "
                f"{high['value']:.3f} at {at(high)}"
            )
    return lines


def _definitions(spec: dict[str, Any]) -> list[str]:
    from detente.stability import DEFINITIONS

    keep = spec.get("keep") or {}
    return list(keep.get("definitions") or DEFINITIONS)


@app.command("sweep")
def sweep_command(
    spec: Annotated[
        Path | None, typer.Argument(help="Sweep specification (YAML); see docs/sweeps.md.")
    ] = None,
    store: Annotated[
        str,
        typer.Option("--store", help="Results store file (DuckDB); created if missing."),
    ] = "detente-results.duckdb",
    resume: Annotated[
        bool,
        typer.Option("--resume", help="Finish an interrupted run: compute only missing chunks."),
    ] = False,
    executor: ExecutorOption = None,
    scheduler: SchedulerOption = None,
    workers: WorkersOption = None,
    chunk_size: Annotated[
        int | None,
        typer.Option("--chunk-size", help="Experiments per chunk (one stored transaction)."),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print what was done as JSON.")] = False,
    schema: Annotated[
        bool, typer.Option("--schema", help="Print the JSON Schema of sweep files and exit.")
    ] = False,
) -> None:
    """Evaluate a sweep into the results store, with a progress bar and an ETA.

    The run is named by the content hash of the scenario and the sweep: asking
    for a stored sweep again reuses its results; after a crash, --resume
    computes only the chunks not yet stored.
    """
    if schema:
        from detente.io.schema import sweep_file_schema

        emit(json.dumps(sweep_file_schema(), indent=2))
        return
    if spec is None:
        raise InvalidArgumentError("give a sweep file: detente sweep SPEC.yaml (docs/sweeps.md)")
    if chunk_size is not None and chunk_size < 1:
        raise InvalidArgumentError(f"--chunk-size must be at least 1, got {chunk_size}")
    from detente.io.sweep_yaml import load_sweep
    from detente.store import run_into_store

    plan = load_sweep(spec, chunk_size=chunk_size)
    ex, name = make_executor(executor, scheduler, workers)
    show = not (quiet or as_json)
    bar = _progress_bar() if show and err_console.is_terminal else None
    task: Any = None
    log = _LineLog(plan.spec.name) if show and bar is None else None

    def progress(done: int, total: int, rows: int) -> None:
        nonlocal task
        if log is not None:
            log.update(done, total, rows)
        if bar is None:
            return
        if task is None:
            task = bar.add_task(f"sweep {plan.spec.name}", total=total, rows="0")
        bar.update(task, completed=done, rows=f"{rows:,}")

    start = time.perf_counter()
    try:
        if bar is not None:
            bar.start()
        with ex:
            result = run_into_store(
                plan, store, executor=ex, executor_name=name, resume=resume, progress=progress
            )
    except KeyboardInterrupt:
        if bar is not None:
            bar.stop()
        err_console.print(
            styled(
                ("interrupted: ", "bold yellow"),
                "the chunks finished so far are stored; run again with --resume to finish",
            )
        )
        raise typer.Exit(130) from None
    finally:
        if bar is not None:
            bar.stop()
    seconds = time.perf_counter() - start
    if as_json:
        emit(
            json.dumps(
                {
                    "run_id": result.run_id,
                    "store": str(store),
                    "reused": result.reused,
                    "resumed": result.resumed,
                    "points": plan.points,
                    "experiments": plan.experiments,
                    "chunks": result.chunks,
                    "chunks_computed": result.chunks_computed,
                    "rows_written": result.rows_written,
                    "executor": name,
                    "seconds": round(seconds, 3),
                },
                indent=2,
            )
        )
        return
    if result.reused:
        head = f"run {result.short_id} is already complete in {store}: its results are reused"
    else:
        verb = "resumed and finished" if result.resumed else "complete"
        head = (
            f"run {result.short_id} {verb}: {plan.points:,} points, {plan.experiments:,} "
            f"experiments, {result.chunks_computed} of {result.chunks} chunks computed, "
            f"{result.rows_written:,} outcome rows written to {store} in {seconds:.1f} s ({name})"
        )
    out_console.print(styled((head, "bold")))
    try:
        for line in _summary(store, result.run_id):
            out_console.print(styled("  ", line))
    except DetenteError:
        pass  # the summary is a convenience; the run itself is stored
    out_console.print(
        styled(
            (
                f"detente runs show {result.short_id} --store {store}; "
                f"detente runs report {result.short_id} --html sweep.html",
                "dim",
            )
        )
    )
