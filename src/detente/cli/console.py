"""Terminal output of the CLI: one guarded standard output, consoles that print user text safely.

Every command writes through :data:`STDOUT` (the consoles and :func:`emit`), so a
write that fails is known to be the output's (:class:`StdoutError`). The consoles
are :class:`SafeConsole`: rich markup is off, and control characters in anything
printed are shown escaped, because labels, names and paths come from files.
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Iterable, Iterator
from typing import IO, Any, cast

from rich.console import Console, Group, HighlighterType, JustifyMethod, OverflowMethod
from rich.measure import Measurement
from rich.style import Style
from rich.table import Table
from rich.text import Text


class StdoutError(Exception):
    """Standard output cannot be written: a full disk, ``/dev/full``, a closed pipe."""

    def __init__(self, cause: OSError) -> None:
        super().__init__(cause.strerror or str(cause))
        self.errno = cause.errno
        self.reason = cause.strerror or str(cause)


class _Stdout(io.TextIOBase):
    """``sys.stdout`` as it is at each call (tests swap it), its write errors made StdoutError.

    Every command writes through this object (the consoles and :func:`emit`), so a
    failed write is known to be the output's and is reported as such.
    """

    def write(self, text: str) -> int:
        """Write ``text`` to the current standard output."""
        try:
            return sys.stdout.write(text)
        except OSError as exc:
            raise StdoutError(exc) from exc

    def flush(self) -> None:
        """Flush the current standard output."""
        try:
            sys.stdout.flush()
        except OSError as exc:
            raise StdoutError(exc) from exc

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

    def print(self, *objects: Any, **kwargs: Any) -> None:
        """Print ``objects``; tables fold long cells instead of cutting them.

        Written to a pipe or a file, the output is as wide as its widest table
        (at least the console's width), so no cell is wrapped or cut to fit 80
        columns; in a terminal, cells wrap within the window.
        """
        tables = list(_tables(objects))
        for table in tables:
            for column in table.columns:
                if column.overflow == "ellipsis":
                    column.overflow = "fold"
        if self.is_terminal or not tables or "width" in kwargs:
            super().print(*objects, **kwargs)
            return
        wide = self.options.update(max_width=_WIDEST)
        need = max(Measurement.get(self, wide, t).maximum for t in tables)
        width = self.width
        self.width = max(width, min(need, _WIDEST))
        try:
            super().print(*objects, **kwargs)
        finally:
            self.width = width


_WIDEST = 400
"""Widest output written to a pipe or file, in characters."""


def _tables(objects: Iterable[Any]) -> Iterator[Table]:
    for obj in objects:
        if isinstance(obj, Table):
            yield obj
        elif isinstance(obj, Group):
            yield from _tables(obj.renderables)


def warheads(value: float) -> str:
    """A count of warheads or launchers for display: whole, with thousands separators.

    Averages and expected values are fractional (1,389.6 counted warheads); tables
    show the nearest whole number, and ``--json`` keeps the exact value.
    """
    text = f"{value:,.0f}"
    return "0" if text == "-0" else text


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
