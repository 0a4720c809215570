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
    """Run the app; a :class:`DetenteError` becomes a message and exit code 2."""
    try:
        # outside standalone mode click returns a raised Exit's code instead of exiting
        code = application(standalone_mode=False)
    except DetenteError as exc:
        err_console.print(Text.assemble(("error: ", "bold red"), str(exc)))
        return 2
    except typer.Exit as exc:
        return int(exc.exit_code)
    except typer.Abort:
        err_console.print("aborted")
        return 130
    except Exception as exc:  # click usage errors carry their own exit code
        import click

        if isinstance(exc, click.exceptions.ClickException):
            exc.show()
            return 2
        raise
    return code if isinstance(code, int) else 0
