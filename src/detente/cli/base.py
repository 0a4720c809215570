"""Top-level options and the commands every install has: ``--version``, ``schema``."""

from __future__ import annotations

import errno
import io
import json
import os
import re
import signal
import sys
import threading
from collections.abc import Callable
from typing import IO, Annotated, Any, cast

import typer
from rich.console import Console, HighlighterType, JustifyMethod, OverflowMethod
from rich.style import Style
from rich.text import Text

from detente import __version__
from detente.cli.app import app
from detente.errors import DetenteError


class OutputError(Exception):
    """Standard output cannot be written: a full disk, ``/dev/full``, a closed pipe."""

    def __init__(self, cause: OSError) -> None:
        super().__init__(cause.strerror or str(cause))
        self.errno = cause.errno
        self.reason = cause.strerror or str(cause)


class _Stdout(io.TextIOBase):
    """``sys.stdout`` as it is at each call (tests swap it), its write errors made OutputError.

    Every command writes through this object (the consoles and :func:`emit`), so a
    failed write is known to be the output's and is reported as such.
    """

    def write(self, text: str) -> int:
        """Write ``text`` to the current standard output."""
        try:
            return sys.stdout.write(text)
        except OSError as exc:
            raise OutputError(exc) from exc

    def flush(self) -> None:
        """Flush the current standard output."""
        try:
            sys.stdout.flush()
        except OSError as exc:
            raise OutputError(exc) from exc

    def isatty(self) -> bool:
        """Whether standard output is a terminal (for colour and width)."""
        return sys.stdout.isatty()

    def fileno(self) -> int:
        """File descriptor of standard output."""
        return sys.stdout.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        """Encoding of standard output."""
        return getattr(sys.stdout, "encoding", None) or "utf-8"


STDOUT = cast("IO[str]", _Stdout())
"""Standard output for every command (a text stream)."""

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""C0 controls but newline and tab, DEL, C1 controls (ESC sequences, CSI), bidi overrides."""


def clean(text: object) -> str:
    """``text`` with every control character written as an escape (``\\x1b``).

    Labels, names, paths and messages come from files a user may not have
    written; a raw ESC or CSI would drive the terminal, a bidi override would
    reorder what is shown.
    """
    return _CONTROL.sub(
        lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100 else f"\\u{ord(m[0]):04x}",
        str(text),
    )


class SafeConsole(Console):
    """A console for text from files: no markup, no emoji codes, controls escaped.

    With markup off, ``[bold]`` or ``[/]`` in a label is printed as written, never
    parsed; every string printed (arguments, table cells, titles) passes
    :func:`clean`. Styling is given with :func:`styled` instead of markup.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(markup=False, emoji=False, highlight=False, **kwargs)

    def render_str(
        self,
        text: str,
        *,
        style: str | Style = "",
        justify: JustifyMethod | None = None,
        overflow: OverflowMethod | None = None,
        emoji: bool | None = None,
        markup: bool | None = None,
        highlight: bool | None = None,
        highlighter: HighlighterType | None = None,
    ) -> Text:
        """Render ``text`` as plain text, control characters escaped."""
        return super().render_str(
            clean(text),
            style=style,
            justify=justify,
            overflow=overflow,
            emoji=False,
            markup=False,
            highlight=highlight,
            highlighter=highlighter,
        )


def styled(*parts: object | tuple[object, str]) -> Text:
    """Text from plain parts and ``(part, style)`` pairs, control characters escaped."""
    out = Text()
    for part in parts:
        if isinstance(part, tuple):
            out.append(clean(part[0]), style=part[1])
        else:
            out.append(clean(part))
    return out


err_console = SafeConsole(stderr=True, soft_wrap=True)
out_console = SafeConsole(file=STDOUT)


def emit(text: str) -> None:
    """Write ``text`` and a newline to standard output (JSON and other plain output)."""
    STDOUT.write(text + "\n")
    STDOUT.flush()


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
    except OutputError as exc:
        _quiet_stdout()
        if exc.errno == errno.EPIPE:
            return 1
        message = f"cannot write to standard output: {exc.reason}"
        err_console.print(styled(("error: ", "bold red"), message))
        return 2
    finally:
        restore()
    return code
