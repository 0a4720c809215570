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

from detente.data import resolve_treaty, treaty_names
from detente.errors import Problem, ScenarioError, UnknownNameError, unknown
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


TREATY_FILE_SUFFIXES = (".yaml", ".yml")
"""A treaty reference with one of these endings names a treaty file."""


def names_a_file(reference: str) -> bool:
    """Whether a treaty reference is the path of a treaty file (it ends in .yaml or .yml)."""
    return Path(reference).suffix.lower() in TREATY_FILE_SUFFIXES


def resolve_treaty_reference(reference: str, *, relative_to: str | Path | None = None) -> Treaty:
    """The treaty a reference names: a built-in treaty, or a treaty file.

    Built-in names come first (``new_start`` or ``new-start``); a reference
    ending in ``.yaml`` or ``.yml`` is a file, read with :func:`load_treaty_file`.

    Parameters
    ----------
    reference : str
        A built-in treaty id or file name, or the path of a treaty file.
    relative_to : str or Path, optional
        Folder a relative file path is taken from (a scenario file's own folder);
        the current folder if not given.

    Raises
    ------
    UnknownNameError
        If the reference is neither a built-in treaty nor a file path.
    ScenarioError
        If the treaty file cannot be read or is invalid (every problem located).
    """
    try:
        return resolve_treaty(reference)
    except UnknownNameError:
        if not names_a_file(reference):
            raise UnknownNameError(
                unknown("treaty", reference, treaty_names())
                + ", or the path of a treaty YAML file (.yaml)"
            ) from None
    path = Path(reference)
    if relative_to is not None and not path.is_absolute():
        path = Path(relative_to) / path
    return load_treaty_file(path)
