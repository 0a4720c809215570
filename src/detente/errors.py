"""Exceptions raised by detente.

Every error a user can cause derives from :class:`DetenteError`; the CLI turns
them into a message and exit code 2, never a traceback.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


class DetenteError(Exception):
    """Base class of every error detente raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One problem found in an input: where it is, what was found, what was expected."""

    path: str
    """Field path, dotted (``sides.0.posture.systems.2.cep_m``); empty for the whole file."""
    message: str
    """What is wrong and what is expected."""
    line: int | None = None
    """1-based line in the source file, where known."""
    value: str | None = None
    """The offending value, rendered short."""

    def render(self, file: str | None = None) -> str:
        """Render as ``file:line: path: message (got value)``."""
        where = file or "<input>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        field = f" {self.path}:" if self.path else ""
        got = f" (got {self.value})" if self.value is not None else ""
        return f"{where}:{field} {self.message}{got}"


class ScenarioError(DetenteError):
    """An input file (scenario, posture, treaty) is unreadable or invalid.

    Carries every problem found in the file so that all are reported together.
    """

    def __init__(self, file: str | None, problems: list[Problem]) -> None:
        self.file = file
        self.problems = tuple(problems)
        super().__init__(self.render())

    def render(self) -> str:
        """All problems, one per line, each naming file, line, field and value."""
        head = f"{self.file or '<input>'}: {len(self.problems)} problem(s)"
        return "\n".join([head, *("  " + p.render(self.file) for p in self.problems)])


class UnknownNameError(DetenteError):
    """A name (built-in posture, treaty, definition) does not exist."""


class OutsideValidityError(DetenteError, ValueError):
    """A formula was asked for a value outside the range it is valid for."""


class SolverError(DetenteError):
    """An optimisation solver failed or returned no usable solution."""


class IncompatibleScenariosError(DetenteError, ValueError):
    """Two scenarios cannot be compared (different actors)."""


class AllocationTooLargeError(DetenteError, ValueError):
    """An allocation problem is too large for the method asked for; the message says why."""


class InvalidArgumentError(DetenteError, ValueError):
    """A public function was called with an argument outside its documented choices."""


def did_you_mean(name: object, valid: Iterable[str]) -> str:
    """``"did you mean 'x'? "`` for the closest of ``valid`` to ``name`` ('' if none is close).

    Hyphens and underscores count as the same character and case is ignored, so
    ``new-strat`` finds ``new_start``; a unique prefix (``gen``) finds its name.
    """
    folded = {_fold(c): c for c in valid}
    wanted = _fold(str(name))
    starting = [c for f, c in folded.items() if wanted and f.startswith(wanted)]
    if len(starting) == 1:
        return f"did you mean {starting[0]!r}? "
    close = difflib.get_close_matches(wanted, list(folded), n=1, cutoff=0.6)
    return f"did you mean {folded[close[0]]!r}? " if close else ""


def unknown(what: str, name: object, valid: Iterable[str]) -> str:
    """``unknown treaty 'x'; did you mean 'y'? expected one of: a, b, c``."""
    choices = list(valid)
    return (
        f"unknown {what} {name!r}; {did_you_mean(name, choices)}"
        f"expected one of: {', '.join(choices) if choices else '(none)'}"
    )


def _fold(name: str) -> str:
    return name.strip().lower().replace("-", "_")
