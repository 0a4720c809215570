"""``detente race``: arms-race dynamics over years."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Group
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from detente.analysis.race import Race, RaceSettings, run_race
from detente.cli.app import app
from detente.cli.console import emit, err_console, out_console, styled
from detente.errors import InvalidArgumentError


def _production(text: str | None, actors: tuple[str, ...]) -> dict[str, float]:
    """``us=200,cn=150`` as {actor: warheads a year}, refusing unknown actors and bad rates."""
    if not text:
        return {}
    out: dict[str, float] = {}
    for part in text.split(","):
        actor, sep, value = part.partition("=")
        actor = actor.strip()
        if not sep or actor not in actors:
            raise InvalidArgumentError(
                f"--production {text!r}: expected actor=warheads pairs separated by commas, "
                f"actors from {', '.join(actors)}; got {part.strip()!r}"
            )
        try:
            rate = float(value)
        except ValueError:
            raise InvalidArgumentError(
                f"--production {text!r}: the rate of {actor!r} must be a number of warheads a "
                f"year, got {value.strip()!r}"
            ) from None
        out[actor] = rate
    return out


def _table(race: Race) -> Table:
    t = Table(
        title=f"Warheads fielded, year by year ({race.settings.doctrine} doctrine)",
        title_justify="left",
    )
    t.add_column("year", justify="right")
    for actor in race.actors:
        t.add_column(actor, justify="right")
        t.add_column(f"{actor} needs", justify="right", style="dim")
    base = race.warheads[0] / race.scales[0]
    for k, year in enumerate(race.years):
        cells = []
        for i, _ in enumerate(race.actors):
            cells.append(f"{race.warheads[k, i]:,.0f}")
            if k < len(race.required):
                flag = "" if race.met[k, i] else "+"
                cells.append(f"{race.required[k, i] * base[i]:,.0f}{flag}")
            else:
                cells.append("")
        t.add_row(str(year), *cells)
    return t


def _summary(race: Race) -> Table:
    t = Table(title="Outcome", title_justify="left", show_header=False)
    t.add_column("")
    t.add_column("")
    t.add_row("trajectories", styled(race.outcome))
    eq = race.equilibrium
    short = race.short_at_equilibrium
    t.add_row(
        "equilibrium",
        styled(
            "none found within the largest force considered"
            if eq is None
            else ", ".join(f"{a} {v:,.0f}" for a, v in eq.items())
            + (f" (held below its requirement by a ceiling: {', '.join(short)})" if short else "")
        ),
    )
    for actor in race.actors:
        cap = race.ceilings[actor]
        if cap != float("inf"):
            t.add_row(
                f"ceiling of {actor}",
                styled(
                    f"{cap * race.warheads[0][race.actors.index(actor)]:,.0f} warheads "
                    f"({', '.join(race.binding[actor])})"
                ),
            )
    rich = race.richardson
    for actor in race.actors:
        terms = ", ".join(
            f"a[{actor},{b}] {_coef(v)}" for (a, b), v in rich.reaction.items() if a == actor
        )
        r2 = rich.r_squared[actor]
        t.add_row(
            f"Richardson fit, {actor}",
            styled(
                f"{terms}; m {_coef(rich.fatigue[actor])}; g {rich.grievance[actor]:+.1f}; "
                + ("R2 undefined (the same change every year)" if r2 is None else f"R2 {r2:.2f}")
            ),
        )
    rate = rich.growth_rate
    stability = (
        "not identified (a side never moved, or too few years)"
        if rate is None
        else f"{'stable' if rich.stable else 'unstable'} (largest eigenvalue real part "
        f"{rate:+.3f} a year)"
    )
    t.add_row("Richardson stability", styled(stability))
    return t


def _coef(value: float | None) -> str:
    """A fitted coefficient, or ``n/a`` when the trajectories do not identify it."""
    return "n/a" if value is None else f"{value:+.3f}"


@app.command("race")
def race_command(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file (two or three sides).")],
    years: Annotated[int, typer.Option("--years", help="Years to run (1-100).")] = 15,
    doctrine: Annotated[
        str,
        typer.Option(
            "--doctrine",
            help="What each side sizes against: 'each' other side striking alone, or also "
            "'coalition', all the others striking together.",
        ),
    ] = "each",
    no_ceilings: Annotated[
        bool, typer.Option("--no-ceilings", help="Ignore the scenario's treaty ceilings.")
    ] = False,
    cuts: Annotated[
        bool, typer.Option("--cuts", help="Let a side above its requirement build down.")
    ] = False,
    alert: Annotated[
        str,
        typer.Option(
            "--alert",
            help="Alert level the requirement is judged at: generated, day_to_day or own.",
        ),
    ] = "generated",
    production: Annotated[
        str | None,
        typer.Option(
            "--production", help="Warheads a year each side can add, e.g. 'us=200,cn=150'."
        ),
    ] = None,
    plot: Annotated[str | None, typer.Option("--plot", help="Write a PNG of the run here.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the run as JSON.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")] = False,
) -> None:
    """Arms-race dynamics: each side sizes its forces year by year to its requirement."""
    from detente.io import load_scenario

    if plot is not None:
        from detente.io.output import OutputPlan

        OutputPlan(inputs=(scenario,)).file(plot, "--plot", "the race plot")
    loaded = load_scenario(scenario)
    settings = RaceSettings(
        years=years,
        doctrine=doctrine,  # type: ignore[arg-type]
        production=_production(production, loaded.actors),
        ceilings=not no_ceilings,
        cuts=cuts,
        alert=alert,  # type: ignore[arg-type]
    )
    if quiet or as_json:
        result = run_race(loaded, settings)
    else:
        columns = (
            TextColumn("racing"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("years"),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=err_console, transient=True) as bar:
            task = bar.add_task("race", total=years)
            result = run_race(loaded, settings, lambda done, _: bar.update(task, completed=done))
    if as_json:
        emit(json.dumps(result.to_dict(), indent=2, allow_nan=False))
    elif not quiet:
        out_console.print(Group(_table(result), _summary(result)))
        out_console.print(
            styled(
                (
                    "'needs' is the force each side's requirement calls for that year (+: not "
                    "met within 8 times its force at the start); see docs/three-parties.md.",
                    "dim",
                )
            )
        )
    if plot is not None:
        from detente.viz.race import write_race_plot

        with err_console.status("drawing the race"):
            path = write_race_plot(
                [result], [loaded.label or loaded.name], plot, inputs=(scenario,)
            )
        if not quiet:
            err_console.print(styled("race plot written to ", str(path)))
