"""``detente validate FILE...``: check scenario files and report every problem."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from detente.cli.app import app
from detente.cli.console import STDOUT, SafeConsole, styled
from detente.errors import ScenarioError
from detente.io import ScenarioFile, read_scenario_file

report_console = SafeConsole(file=STDOUT, soft_wrap=True)


def summary(loaded: ScenarioFile) -> str:
    """One line describing a valid scenario: name, sides (and their origin), treaty."""
    s = loaded.scenario
    sides = []
    for side, builtin in zip(s.sides, loaded.builtins, strict=False):
        p = side.posture
        origin = builtin or "inline"
        n = len(p.systems)
        sides.append(f"{p.actor} ({origin}, {n} system{'' if n == 1 else 's'})")
    treaty = s.treaty or "no treaty"
    return f"{s.name}: {' vs '.join(sides)}; {treaty}"


def _is_sweep(exc: ScenarioError) -> bool:
    """Whether a file refused as a scenario is a sweep specification (it has levers)."""
    return any(p.path == "levers" and "unknown field" in p.message for p in exc.problems)


def _sweep_summary(path: Path) -> str:
    """One line describing a valid sweep; raises ScenarioError with its problems."""
    from detente.io.sweep_yaml import load_sweep

    plan = load_sweep(path)
    levers = ", ".join(lever.name for lever in plan.spec.levers)
    return f"sweep {plan.spec.name}: {plan.points:,} point(s) over {levers}"


@app.command()
def validate(
    files: Annotated[
        list[Path], typer.Argument(help="Scenario (or sweep specification) YAML files to check.")
    ],
) -> None:
    """Check scenario files; print every problem as file:line: field: message (got value).

    A file with ``levers:`` is checked as a sweep specification. Exits with code 2 if any
    file is invalid.
    """
    invalid = 0
    for path in files:
        try:
            try:
                loaded = read_scenario_file(path)
            except ScenarioError as exc:
                if not _is_sweep(exc):
                    raise
                line = _sweep_summary(path)
                report_console.print(styled(("✓ ", "bold green"), (path, "bold"), f"  {line}"))
                continue
        except ScenarioError as exc:
            invalid += 1
            report_console.print(
                styled(("✗ ", "bold red"), (path, "bold"), f": {len(exc.problems)} problem(s)")
            )
            for problem in exc.problems:
                report_console.print(styled("  " + problem.render(exc.file)))
            continue
        report_console.print(styled(("✓ ", "bold green"), (path, "bold"), f"  {summary(loaded)}"))
    if invalid:
        report_console.print(styled((f"{invalid} of {len(files)} file(s) invalid", "red")))
        raise typer.Exit(2)
