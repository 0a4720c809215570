"""``detente explore``: every definition with its range, drivers and knife-edges."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console, Group
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from detente.analysis.explore import DEFAULT_SEED
from detente.analysis.uncertainty import UncertaintyAnalysis, analyse_uncertainty
from detente.cli.app import app
from detente.cli.console import emit, err_console, out_console, styled
from detente.cli.executors import ExecutorOption, SchedulerOption, WorkersOption, make_executor
from detente.cli.scenarios import load_or_default
from detente.errors import InvalidArgumentError
from detente.model.scenario import Scenario
from detente.stability import DEFINITIONS, LABELS


@contextmanager
def stage_progress(quiet: bool) -> Iterator[Callable[[str, int, int], None] | None]:
    """A progress bar per stage of the analysis on standard error (nothing when quiet)."""
    if quiet:
        yield None
        return
    with Progress(
        TextColumn("{task.description:<12}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} chunks"),
        TimeRemainingColumn(),
        console=err_console,
        transient=True,
    ) as bar:
        tasks: dict[str, TaskID] = {}

        def update(label: str, done: int, total: int) -> None:
            if label not in tasks:
                tasks[label] = bar.add_task(label, total=total)
            bar.update(tasks[label], completed=done, total=total)

        yield update


def run_uncertainty(
    scenario: Scenario,
    draws: int,
    *,
    seed: int,
    executor: str | None,
    workers: int | None,
    quiet: bool,
    scheduler: str | None = None,
    trajectories: int = 10,
    sobol_top: int = 10,
    sobol_samples: int = 256,
) -> UncertaintyAnalysis:
    """The uncertainty analysis with a progress bar, on the chosen executor."""
    if draws < 1:
        raise InvalidArgumentError(f"--draws must be at least 1, got {draws}")
    runner, _ = make_executor(executor, scheduler, workers)
    with stage_progress(quiet) as stage, runner:
        return analyse_uncertainty(
            scenario,
            draws,
            seed=seed,
            trajectories=trajectories,
            sobol_top=sobol_top,
            sobol_samples=sobol_samples,
            executor=runner,
            stage=stage,
        )


def _intervals_table(u: UncertaintyAnalysis) -> Table:
    e = u.exploration
    t = Table(
        title=f"Every definition over {e.draws:,} draws of {len(e.parameters)} uncertain inputs "
        "(median, 5-95%)",
        title_justify="left",
    )
    for col in ("definition", "reading", "shipped", "median", "5-95%", "verdicts"):
        t.add_column(
            col, justify="left" if col in ("definition", "reading", "verdicts") else "right"
        )
    order = {name: i for i, name in enumerate(DEFINITIONS)}
    for i in sorted(e.intervals(), key=lambda i: (order[i.definition], i.perspective)):
        words = ", ".join(f"{w} {s:.0%}" for w, s in i.verdicts.items() if s > 0)
        t.add_row(
            LABELS[i.definition],
            f"{i.perspective} ({i.case})",
            f"{i.baseline:.3f}",
            f"{i.median:.3f}",
            f"{i.low:.3f}-{i.high:.3f}",
            styled(words or "-"),
        )
    return t


def _drivers_table(u: UncertaintyAnalysis, top: int = 4) -> Table:
    t = Table(
        title="What drives each definition (Morris mu*, full reading, own alert case)",
        title_justify="left",
    )
    for col in ("definition", "input", "mu*"):
        t.add_column(col, justify="right" if col == "mu*" else "left")
    for name in DEFINITIONS:
        scr = u.screening.get(name)
        ranked = [r for r in scr.ranked()[:top] if r[1] > 0] if scr is not None else []
        if not ranked:
            t.add_row(LABELS[name], styled("no input moves it"), "")
        for k, (n, mu, _, _) in enumerate(ranked):
            t.add_row(LABELS[name] if k == 0 else "", styled(n), f"{mu:.3f}")
    return t


def _sobol_table(u: UncertaintyAnalysis) -> Table | None:
    idx = u.sobol.get("first_strike")
    if idx is None:
        return None
    t = Table(
        title=f"Sobol' indices of first-strike stability ({idx.base_samples} base samples, "
        f"top {len(u.sobol_parameters)} inputs; +- 95% bootstrap)",
        title_justify="left",
    )
    for col in ("input", "first order", "total"):
        t.add_column(col, justify="left" if col == "input" else "right")
    for n, s1, c1, st, ct in idx.ranked():
        t.add_row(styled(n), f"{s1:.2f} +- {c1:.2f}", f"{st:.2f} +- {ct:.2f}")
    return t


def _edges_table(u: UncertaintyAnalysis) -> Table:
    t = Table(title="Knife-edges: one input within its range flips a verdict", title_justify="left")
    for col in ("definition", "input", "threshold", "shipped", "flip"):
        t.add_column(col, justify="left" if col in ("definition", "input", "flip") else "right")
    for k in u.knife_edges[:15]:
        t.add_row(
            LABELS[k.definition],
            styled(k.parameter),
            f"{k.threshold:.4g}",
            f"{k.base:.4g}",
            styled(f"{k.below} -> {k.above}"),
        )
    if not u.knife_edges:
        t.add_row("none", styled("no single input flips a verdict within its range"), "", "", "")
    return t


def render_uncertainty(u: UncertaintyAnalysis, console: Console) -> None:
    """Print the uncertainty analysis."""
    parts: list[Table | Text] = [_intervals_table(u), _drivers_table(u)]
    sob = _sobol_table(u)
    if sob is not None:
        parts.append(sob)
    parts.append(_edges_table(u))
    conv = u.exploration.convergence(
        "first_strike", "full", next(iter(u.exploration.results.outcomes.definitions))[2]
    )
    parts.append(
        styled(
            (
                "Convergence of the first-strike 5-95% width: "
                + ", ".join(f"{n:,} draws {w:.3f}" for n, w, _ in conv[-4:]),
                "dim",
            )
        )
    )
    console.print(Group(*parts))


@app.command("explore")
def explore_command(
    scenario: Annotated[
        Path | None,
        typer.Argument(help="Scenario YAML file; the built-in Geneva 2021 baseline if omitted."),
    ] = None,
    draws: Annotated[int, typer.Option("--draws", help="Monte Carlo draws.")] = 1000,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the draws.")] = DEFAULT_SEED,
    trajectories: Annotated[
        int, typer.Option("--trajectories", help="Morris trajectories for screening.")
    ] = 10,
    sobol_top: Annotated[
        int, typer.Option("--sobol-top", help="Sobol' indices for this many top inputs.")
    ] = 10,
    sobol_samples: Annotated[
        int, typer.Option("--sobol-samples", help="Sobol' base samples (a power of 2).")
    ] = 256,
    executor: ExecutorOption = None,
    scheduler: SchedulerOption = None,
    workers: WorkersOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summaries as JSON.")] = False,
    csv: Annotated[
        str | None, typer.Option("--csv", help="Write one row per draw (inputs, outcomes) here.")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")] = False,
) -> None:
    """Every definition with its uncertainty range, what drives it, and its knife-edges."""
    from detente.io.output import OutputPlan, write_file

    inputs = () if scenario is None else (scenario,)
    if csv is not None:
        OutputPlan(inputs=inputs).file(csv, "--csv", "the draws")
    loaded = load_or_default(scenario)
    result = run_uncertainty(
        loaded,
        draws,
        seed=seed,
        executor=executor,
        workers=workers,
        scheduler=scheduler,
        quiet=quiet or as_json,
        trajectories=trajectories,
        sobol_top=sobol_top,
        sobol_samples=sobol_samples,
    )
    if csv is not None:
        text = result.exploration.to_frame().to_csv().encode("utf-8")
        write_file(csv, lambda fh: fh.write(text), what="the draws", inputs=inputs)
    if as_json:
        emit(json.dumps(result.to_dict(), indent=2, allow_nan=False))
    elif not quiet:
        render_uncertainty(result, out_console)
