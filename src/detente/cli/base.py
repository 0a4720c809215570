"""Top-level options and the commands every install has: ``--version``, ``schema``."""

from __future__ import annotations

import errno
import json
import os
import signal
import sys
import threading
from collections.abc import Callable
from typing import Annotated

import typer

from detente import __version__
from detente.cli.app import app
from detente.cli.console import STDOUT, StdoutError, emit, err_console, out_console, styled
from detente.errors import DetenteError


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

    emit(json.dumps(scenario_file_schema(), indent=2))


def _quiet_stdout() -> None:
    """Point stdout at the null device, so the interpreter's last flush cannot fail too."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError):
        pass  # not a real file (a test's capture): nothing is flushed at exit


def _exit_on_termination() -> Callable[[], None]:
    """Turn SIGTERM and SIGHUP into ``SystemExit(128 + signal)``; return the undo.

    By default these signals end the process on the spot; as an exception they
    unwind it, so the output writer removes its temporary files on the way out.
    """
    if threading.current_thread() is not threading.main_thread():
        return lambda: None

    def leave(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    wanted = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
    previous = {sig: signal.signal(sig, leave) for sig in wanted}

    def restore() -> None:
        for sig, handler in previous.items():
            signal.signal(sig, handler)

    return restore


def _run(application: typer.Typer) -> int:
    try:
        application(standalone_mode=True)
    except DetenteError as exc:
        err_console.print(styled(("error: ", "bold red"), str(exc)))
        return 2
    except SystemExit as exc:
        code = exc.code
        if code is None:
            return 0
        return code if isinstance(code, int) else 1
    return 0


def run(application: typer.Typer) -> int:
    """Run the app and return its exit code.

    Usage errors are click's (exit 2 with the usage line); a
    :class:`DetenteError` becomes a one-paragraph message and exit code 2.
    Standard output that cannot be written (a full disk, ``/dev/full``) is a
    one-line message and exit code 2; a reader that went away (a closed pipe)
    ends the run silently with exit code 1. Anything else is a bug and keeps
    its traceback.
    """
    restore = _exit_on_termination()
    try:
        code = _run(application)
        STDOUT.flush()
    except StdoutError as exc:
        _quiet_stdout()
        if exc.errno == errno.EPIPE:
            return 1
        message = f"cannot write to standard output: {exc.reason}"
        err_console.print(styled(("error: ", "bold red"), message))
        return 2
    finally:
        restore()
    return code
