"""Treaty files: a treaty (or treaty design) written as YAML, read with located errors.

A treaty file is the :class:`~detente.model.treaty.Treaty` model written as
YAML, in the schema of the built-in treaties under ``src/detente/data/treaties/``.
It is read by the same strict reader as scenarios (:mod:`detente.io.yaml_source`),
so every problem names the file, the line, the field path, the value and what
was expected.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from detente.errors import Problem, ScenarioError
from detente.io.errors import problems_from_validation
from detente.io.yaml_source import FieldPath, load_yaml_file
from detente.model.treaty import Treaty


def load_treaty_file(path: str | Path) -> Treaty:
    """Read and validate the treaty file at ``path``.

    Parameters
    ----------
    path : str or Path
        The YAML file (the schema of the built-in treaties, ``docs/treaties.md``).

    Returns
    -------
    Treaty
        The validated treaty.

    Raises
    ------
    ScenarioError
        With every problem of the file, each naming its line and field path.
    """
    doc = load_yaml_file(path)
    if not isinstance(doc.data, dict):
        what = "empty" if doc.data is None else f"a {type(doc.data).__name__}, not a mapping"
        problem = Problem("", f"the file is {what}; expected a mapping of treaty fields", 1)
        raise ScenarioError(doc.file, [problem])

    def locate(loc: FieldPath) -> tuple[str, int | None]:
        return ".".join(str(p) for p in loc), doc.line_of(loc)

    try:
        return Treaty.model_validate(doc.data)
    except ValidationError as exc:
        problems = problems_from_validation(Treaty, exc, locate)
        raise ScenarioError(doc.file, sorted(problems, key=lambda p: p.line or 0)) from None
