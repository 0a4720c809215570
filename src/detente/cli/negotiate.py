"""``detente negotiate``: search treaty packages both sides' own readings accept."""

from __future__ import annotations

import importlib.util
import json
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console, Group
from rich.panel import Panel
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from detente.cli.app import app
from detente.cli.console import emit, err_console, out_console, styled
from detente.errors import DetenteError, InvalidArgumentError
from detente.negotiation.result import NegotiationResult
from detente.negotiation.spec import NegotiationSpec

if TYPE_CHECKING:
    from detente.negotiation.robust import RobustPackage


def _need_pymoo() -> None:
    if importlib.util.find_spec("pymoo") is None:
        raise DetenteError(
            "detente negotiate needs pymoo, which is not installed; install it with "
            "pip install 'detente[negotiate]'"
        )


def _with_overrides(
    spec: NegotiationSpec, seed: int | None, workers: int | None
) -> NegotiationSpec:
    search: dict[str, Any] = {}
    if seed is not None:
        search["seed"] = seed
    if workers is not None:
        search["workers"] = workers
    if not search:
        return spec
    try:
        settings = type(spec.search).model_validate({**spec.search.model_dump(), **search})
    except ValueError as exc:
        raise InvalidArgumentError(f"--seed/--workers: {exc}") from None
    return spec.model_copy(update={"search": settings})


def _run(
    spec: NegotiationSpec, quiet: bool, robust: int
) -> tuple[NegotiationResult, list[tuple[str, RobustPackage]]]:
    from detente.analysis.executors import ProcessExecutor, SerialExecutor
    from detente.negotiation.result import negotiate
    from detente.negotiation.robust import robust_packages

    workers = spec.search.workers
    executor: AbstractContextManager[Any] = (
        ProcessExecutor(workers) if workers > 1 else nullcontext(SerialExecutor())
    )
    progress = Progress(
        TextColumn("searching"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("generations"),
        TimeElapsedColumn(),
        console=err_console,
        disable=quiet,
        transient=True,
    )
    with progress, executor as pool:
        task = progress.add_task("search", total=spec.search.generations)
        result = negotiate(
            spec,
            executor=pool,
            progress=lambda done, total: progress.update(task, completed=done, total=total),
        )
        if not robust:
            return result, []
        progress.update(task, visible=False)
        drawn = progress.add_task("robust", total=None)
        ranked = robust_packages(
            result,
            robust,
            seed=spec.search.seed,
            executor=pool,
            progress=lambda done, total: progress.update(drawn, completed=done, total=total),
        )
        return result, ranked


def _robust_table(
    result: NegotiationResult, ranked: list[tuple[str, RobustPackage]], draws: int
) -> Table:
    s = result.spec
    t = Table(
        title=f"Robust packages over {draws} draws of the cited ranges (seed {s.search.seed})",
        title_justify="left",
    )
    t.add_column("package")
    for lever in s.levers:
        t.add_column(styled(lever.display), justify="right")
    for a in s.parties:
        t.add_column(f"P({a.upper()} better off)", justify="right")
    for a in s.parties:
        t.add_column(f"{a.upper()} mean gain", justify="right")
    for name, r in ranked:
        t.add_row(
            styled(name),
            *(
                styled(result.format_lever(lv.key, v))
                for lv, v in zip(s.levers, r.values, strict=True)
            ),
            *(f"{r.better_off[a]:.0%}" for a in s.parties),
            *(f"{r.mean_gain[a]:+.4f}" for a in s.parties),
        )
    return t


def robust_json(ranked: list[tuple[str, RobustPackage]], draws: int, seed: int) -> dict[str, Any]:
    """The robust packages as plain values, best first."""
    return {
        "draws": draws,
        "method": "lhs",
        "seed": seed,
        "packages": [
            {
                "name": name,
                "levers": list(r.values),
                "better_off": dict(r.better_off),
                "mean_gain": dict(r.mean_gain),
            }
            for name, r in ranked
        ],
    }


def _packages_table(result: NegotiationResult) -> Table:
    s = result.spec
    shown = result.highlights()
    t = Table(title="Packages against no treaty", title_justify="left")
    t.add_column("")
    t.add_column("no treaty", justify="right")
    for name, _ in shown:
        t.add_column(name, justify="right")
    for lever in s.levers:
        t.add_row(
            styled(lever.display),
            "none",
            *(
                styled(result.format_lever(lever.key, result.lever_values(i)[lever.key]))
                for _, i in shown
            ),
        )
    for j, o in enumerate(s.objectives):
        t.add_row(
            styled(o.display),
            f"{result.disagreement.objectives[j]:.4g}",
            *(f"{result.evaluated[i].objectives[j]:.4g}" for _, i in shown),
        )
    for k, a in enumerate(s.parties):
        t.add_row(
            f"{a.upper()} gain",
            "0",
            *(
                styled((f"{g:+.4f}", "green" if g > 0 else "red" if g < 0 else "dim"))
                for g in (float(result.gains[i, k]) for _, i in shown)
            ),
        )
    return t


def _zone(result: NegotiationResult) -> Text:
    b = result.outcome
    if b.zone.size:
        return styled(
            (f"Zone of agreement: {b.zone.size} packages", "bold green"),
            f" of {len(result.evaluated)} evaluated meet every constraint.",
        )
    parts = [
        f"no package meets {f.constraint} (nearest misses by {f.best:.4g})"
        for f in result.shortfalls()
        if f.met_by == 0
    ]
    return styled(
        ("Zone of agreement: empty", "bold red"),
        f" over {len(result.evaluated)} packages: "
        + ("; ".join(parts) or "each constraint is met by some package, never all at once")
        + ".",
    )


def render(result: NegotiationResult, console: Console) -> None:
    """Print the terminal summary of a negotiation search."""
    s = result.spec
    b = result.outcome
    head = Panel.fit(
        styled(
            (s.label or s.name, "bold"),
            f"\n{s.question}" if s.question else "",
            f"\n{len(result.evaluated)} packages evaluated in {result.generations} generations "
            f"({s.search.algorithm}, seed {s.search.seed}).",
        ),
        title="detente negotiate",
    )
    parts: list[Any] = [head, _zone(result)]
    if result.highlights():
        parts.append(_packages_table(result))
    explained: set[int] = set()
    for name, i in (
        ("Nash bargaining package", b.nash),
        ("Kalai-Smorodinsky package", b.kalai_smorodinsky),
    ):
        if i is None or i in explained:
            continue
        if i == b.kalai_smorodinsky and i == b.nash:
            name = "Nash bargaining and Kalai-Smorodinsky package (the same)"
        explained.add(i)
        words = "\n".join(f"- {text}" for text in result.explain(i).values())
        parts.append(Panel(styled(words), title=name, title_align="left"))
    noun = "package" if b.front.size == 1 else "packages"
    front = f"acceptable {noun}" if b.front_feasible else f"{noun} (none is acceptable)"
    parts.append(
        styled(
            f"Pareto front: {b.front.size} {front}; every package is in --json, the front is "
            "plotted and listed by --html (and --plot)."
        )
    )
    console.print(Group(*parts))


def _check_outputs(inputs: tuple[Path, ...], html: str | None, plot: str | None) -> None:
    from detente.io.output import OutputPlan

    plan = OutputPlan(inputs=inputs)
    if html is not None:
        plan.file(html, "--html", "the report")
    if plot is not None:
        plan.file(plot, "--plot", "the front figure")


@app.command("negotiate")
def negotiate_command(
    spec: Annotated[
        Path | None, typer.Argument(help="Negotiation spec YAML (see docs/negotiation.md).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    html: Annotated[
        str | None, typer.Option("--html", help="Write the HTML report (front plotted) here.")
    ] = None,
    plot: Annotated[
        str | None, typer.Option("--plot", help="Write the front as a PNG figure here.")
    ] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Seed (overrides the spec).")] = None,
    workers: Annotated[
        int | None, typer.Option("--workers", help="Worker processes (overrides the spec).")
    ] = None,
    schema: Annotated[
        bool, typer.Option("--schema", help="Print the JSON Schema of spec files and exit.")
    ] = False,
    robust: Annotated[
        int,
        typer.Option(
            "--robust",
            min=0,
            help="Also evaluate the bargaining packages and the front (10 packages at most) "
            "over this many draws of the scenario's cited ranges, and rank them by each "
            "side's probability of being better off (seed: the search's).",
        ),
    ] = 0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")] = False,
) -> None:
    """Search treaty packages that leave each side no worse off by its own reading."""
    from detente.io.negotiation_yaml import load_negotiation_spec, negotiation_spec_schema

    if schema:
        emit(json.dumps(negotiation_spec_schema(), indent=2))
        return
    if spec is None:
        raise typer.BadParameter("give a negotiation spec file (or --schema)", param_hint="SPEC")
    _need_pymoo()
    inputs = (spec,)
    _check_outputs(inputs, html, plot)
    loaded = _with_overrides(load_negotiation_spec(spec), seed, workers)
    result, ranked = _run(loaded, quiet or as_json, robust)
    if as_json:
        data = result.to_dict()
        if robust:
            data["robust"] = robust_json(ranked, robust, loaded.search.seed)
        emit(json.dumps(data, indent=2, allow_nan=False))
    elif not quiet:
        render(result, out_console)
        if robust:
            out_console.print(_robust_table(result, ranked, robust))
    if html is not None:
        from detente.report.negotiation import write_negotiation_report

        path = write_negotiation_report(result, html, inputs=inputs)
        if not quiet:
            err_console.print(styled("report written to ", str(path)))
    if plot is not None:
        from detente.viz.negotiation import write_front_png

        path = write_front_png(result, plot, inputs=inputs)
        if not quiet:
            err_console.print(styled("front figure written to ", str(path)))
