"""Top-level options and the commands every install has: ``--version``, ``schema``."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from detente import __version__
from detente.cli.app import app
from detente.errors import DetenteError

err_console = Console(stderr=True, highlight=False, soft_wrap=True)
out_console = Console(highlight=False)


def _version(value: bool) -> None:
    if value:
        out_console.print(f"detente {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Strategic stability made computable."""


@app.command()
def schema() -> None:
    """Print the JSON Schema of scenario files (for editor validation and completion)."""
    from detente.io.schema import scenario_file_schema

    typer.echo(json.dumps(scenario_file_schema(), indent=2))


def run(application: typer.Typer) -> int:
    """Run the app and return its exit code.

    Usage errors are click's (exit 2 with the usage line); a
    :class:`DetenteError` becomes a one-paragraph message and exit code 2;
    anything else is a bug and keeps its traceback.
    """
    try:
        application(standalone_mode=True)
    except DetenteError as exc:
        err_console.print(Text.assemble(("error: ", "bold red"), str(exc)))
        return 2
    except SystemExit as exc:
        code = exc.code
        if code is None:
            return 0
        return code if isinstance(code, int) else 1
    return 0
