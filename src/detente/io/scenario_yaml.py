"""Scenario files: reading (with located errors) and writing YAML.

A scenario file is the :class:`~detente.model.Scenario` model written as YAML,
with one extension: a side's ``posture`` may be the name of a built-in posture,
and an ``override`` mapping beside it is deep-merged into that posture (see
:mod:`detente.io.merge` and ``docs/scenarios.md``).

Every problem of a file is collected (YAML-level, merge, pydantic field errors
and the cross-field ``check_*`` problems) and raised together as one
:class:`~detente.errors.ScenarioError` whose problems name the line.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from detente.analysis.parameters import uncertainty_problems
from detente.data import builtin_treaty_id, find_name, posture_names, posture_raw, treaty_names
from detente.errors import Problem, ScenarioError, did_you_mean
from detente.io.errors import explain, is_consequence, short_repr
from detente.io.merge import merge_with_origin
from detente.io.provenance import cite_overrides
from detente.io.treaty_yaml import names_a_file, resolve_treaty_reference
from detente.io.yaml_source import FieldPath, YamlDocument, load_yaml_file, parse_yaml_text
from detente.model.checks import check_posture, check_scenario
from detente.model.posture import Posture
from detente.model.scenario import Scenario, Side

FILE_ONLY_KEYS: Mapping[type[BaseModel], tuple[str, ...]] = {Side: ("override",)}
"""Keys a scenario file accepts beyond the model's fields."""


@dataclass(frozen=True)
class ScenarioFile:
    """A scenario read from a file, with what each side was built from.

    Attributes
    ----------
    file : str
        The file as named by the caller.
    scenario : Scenario
        The validated scenario.
    builtins : tuple of (str or None)
        Per side, the built-in posture it starts from, or ``None`` if inline.
    """

    file: str
    scenario: Scenario
    builtins: tuple[str | None, ...] = ()


def dotted(path: FieldPath) -> str:
    """``('sides', 0, 'posture')`` -> ``'sides.0.posture'``."""
    return ".".join(str(p) for p in path)


def _undotted(path: str) -> FieldPath:
    return tuple(int(p) if p.isdigit() else p for p in path.split(".")) if path else ()


def _suggest(name: str, names: tuple[str, ...]) -> list[str]:
    """Close built-in names of the same actor (``us_2021`` -> ``us-2021``), not of others."""
    wanted = name.lower().replace("_", "-")
    actor = wanted.split("-")[0]
    same_actor = [n for n in names if n.split("-")[0] == actor]
    return difflib.get_close_matches(wanted, same_actor, n=1, cutoff=0.5)


@dataclass
class _Reader:
    """State of reading one file: the data to validate and where its nodes came from."""

    doc: YamlDocument
    origin: dict[FieldPath, FieldPath] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    skip: list[FieldPath] = field(default_factory=list)
    builtins: list[str | None] = field(default_factory=list)
    duplicate_actors: bool = False
    hints: dict[str, str] = field(default_factory=dict)
    """Dotted source path of an override item -> a note added to its problems."""
    treaty_files: bool = True
    """Whether ``treaty:`` may name a treaty file (only a scenario read from a file may)."""

    def locate(self, path: FieldPath) -> tuple[str, int | None]:
        """Model path -> (path shown to the user, line in the file)."""
        for k in range(len(path), -1, -1):
            src = self.origin.get(path[:k])
            if src is not None:
                shown = (*src, *path[k:])
                return dotted(shown), self.doc.line_of(shown)
        return dotted(path), self.doc.line_of(path)

    def add(self, path: FieldPath, message: str, value: str | None = None) -> None:
        """Record a problem at a path of the file."""
        self.problems.append(Problem(dotted(path), message, self.doc.line_of(path), value))

    def side(self, i: int, raw: Any) -> Any:
        """One side as the model expects it: built-in name resolved, override merged."""
        self.builtins.append(None)
        if not isinstance(raw, Mapping) or "posture" not in raw:
            return raw  # pydantic reports what is wrong with it
        at: FieldPath = ("sides", i)
        side = dict(raw)
        posture = side["posture"]
        override = side.pop("override", None)
        if isinstance(posture, str):
            names = posture_names()
            posture = find_name(posture, names) or posture
            if posture not in names:
                close = _suggest(posture, names)
                hint = f"did you mean {close[0]!r}? " if close else ""
                known = ", ".join(names) if names else "(none installed)"
                self.add(
                    (*at, "posture"),
                    f"unknown built-in posture; {hint}expected one of: {known}",
                    short_repr(posture),
                )
                self.skip.append((*at, "posture"))
                return side
            self.builtins[-1] = posture
            posture = posture_raw(posture)
        elif not isinstance(posture, Mapping):
            self.add(
                (*at, "posture"),
                "expected a built-in posture name or a posture mapping",
                short_repr(posture),
            )
            self.skip.append((*at, "posture"))
            return side
        if override is not None:
            if not isinstance(override, Mapping):
                self.add(
                    (*at, "override"),
                    "expected a mapping of posture fields to change",
                    short_repr(override),
                )
            else:
                merged = merge_with_origin(
                    posture, override, base_at=(*at, "posture"), over_at=(*at, "override")
                )
                for path, message, value in merged.problems:
                    self.add(path, message, value)
                for path, src in merged.origin.items():
                    self.origin[(*at, "posture", *path)] = src
                if isinstance(merged.data, dict) and not merged.problems:
                    cite_overrides(
                        merged.data,
                        override,
                        (*at, "override"),
                        lambda p: f"{Path(self.doc.file).name}:{self.doc.line_of(p)}",
                        {path for path, _, _ in merged.appended},
                    )
                for item_at, new_id, ids in merged.appended:
                    close = difflib.get_close_matches(str(new_id), [str(k) for k in ids], n=1)
                    maybe = f"did you mean {close[0]!r}? " if close else ""
                    self.hints[dotted(item_at)] = (
                        f"id {new_id!r} matches no item of the built-in posture, so it was "
                        f"added as a new item; {maybe}known ids: {', '.join(map(str, ids))}"
                    )
                posture = merged.data
        side["posture"] = posture
        return side

    def scenario_input(self) -> Any:
        """The file's data rewritten into the shape ``Scenario`` validates."""
        data = self.doc.data
        if not isinstance(data, Mapping):
            what = "empty" if data is None else f"a {type(data).__name__}, not a mapping"
            self.add((), f"the file is {what}; expected a mapping of scenario fields")
            return None
        out = dict(data)
        if isinstance(out.get("date"), dt.date):
            out["date"] = out["date"].isoformat()  # an unquoted YAML date is fine too
        if isinstance(out.get("treaty"), str):
            out["treaty"] = self.treaty(out["treaty"])
        if isinstance(out.get("sides"), list):
            out["sides"] = [self.side(i, s) for i, s in enumerate(out["sides"])]
            self._check_actors(out["sides"])
        return out

    def treaty(self, reference: str) -> Any:
        """A treaty named by a scenario: a built-in id, or a treaty file beside the scenario.

        A built-in id is left for the model to resolve; a file is read here, and
        its problems are reported at ``treaty`` naming the treaty file and line.
        """
        known = treaty_names()
        stem = find_name(reference, known)
        if stem is not None:
            return stem.replace("-", "_")  # the id; either spelling is read
        if not names_a_file(reference):
            ids = [n.replace("-", "_") for n in known]
            self.add(
                ("treaty",),
                f"unknown treaty; {did_you_mean(reference, ids)}expected one of: "
                + ", ".join(ids)
                + ", or the path of a treaty YAML file (.yaml) relative to the scenario",
                short_repr(reference),
            )
            self.skip.append(("treaty",))
            return reference
        if not self.treaty_files:
            # text and mappings come from memory (an API request, a notebook): naming a file
            # from there would read the disk wherever the process stands, so it is refused
            self.add(
                ("treaty",),
                "a scenario given as text or a mapping cannot name a treaty file; use a "
                "built-in treaty id or write the treaty inline",
                short_repr(reference),
            )
            self.skip.append(("treaty",))
            return reference
        try:
            return resolve_treaty_reference(reference, relative_to=Path(self.doc.file).parent)
        except ScenarioError as exc:
            for problem in exc.problems:
                self.add(("treaty",), f"treaty file: {problem.render(exc.file)}")
            self.skip.append(("treaty",))
            return reference

    def _check_actors(self, sides: list[Any]) -> None:
        first: dict[str, int] = {}
        for i, side in enumerate(sides):
            posture = side.get("posture") if isinstance(side, Mapping) else None
            actor = posture.get("actor") if isinstance(posture, Mapping) else None
            if not isinstance(actor, str):
                continue
            if actor in first:
                shown, line = self.locate(("sides", i, "posture", "actor"))
                self.problems.append(
                    Problem(
                        shown,
                        f"actor already has a side (sides.{first[actor]}); "
                        "each side must be a different actor",
                        line,
                        short_repr(actor),
                    )
                )
                self.duplicate_actors = True
            first.setdefault(actor, i)

    def relocated(self, problems: list[Problem]) -> list[Problem]:
        """Problems of the model (dotted model paths) located in the file."""
        out = []
        for problem in problems:
            shown, line = self.locate(_undotted(problem.path))
            out.append(Problem(shown, problem.message, line, problem.value))
        return out

    def check_valid_postures(self, data: Any) -> list[Problem]:
        """Cross-field problems of every side whose posture is valid on its own.

        Used when the scenario as a whole failed validation, so that a file's
        problems are all reported at once rather than one kind per attempt.
        """
        problems: list[Problem] = []
        sides = data.get("sides") if isinstance(data, Mapping) else None
        for i, side in enumerate(sides if isinstance(sides, list) else []):
            if not isinstance(side, Mapping) or ("sides", i, "posture") in self.skip:
                continue
            try:
                posture = Posture.model_validate(side.get("posture"))
            except (ValidationError, ValueError, TypeError, RecursionError):
                continue  # its field errors are already reported
            problems += self.relocated(check_posture(posture, f"sides.{i}.posture."))
        return problems

    def validation_problems(self, exc: ValidationError) -> list[Problem]:
        """Located problems of a pydantic error, minus those already reported."""
        problems = []
        for error in exc.errors():
            loc = tuple(error["loc"])
            if any(loc[: len(p)] == p for p in self.skip):
                continue
            if is_consequence(error) or (loc == () and self.duplicate_actors):
                continue  # the model's distinct-actor rule, already reported per side
            message, show = explain(Scenario, error, FILE_ONLY_KEYS)
            shown, line = self.locate(loc)
            value = short_repr(error.get("input")) if show else None
            for item, hint in self.hints.items():
                if shown == item or shown.startswith(item + "."):
                    message = f"{message} ({hint})"
            problems.append(Problem(shown, message, line, value))
        return problems


def _by_line(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.line is None, p.line or 0))


ScenarioSource = str | Path | Mapping[str, Any]
"""A scenario file's path, its YAML text, or its data as a mapping."""

MAPPING_FILE = "<mapping>"
TEXT_FILE = "<string>"


def _is_yaml_text(text: str) -> bool:
    """A string is YAML text (not a path) if it spans lines or is a flow mapping."""
    return "\n" in text or text.lstrip().startswith("{")


def _document(source: ScenarioSource) -> YamlDocument:
    if isinstance(source, Mapping):
        return YamlDocument(file=MAPPING_FILE, data=dict(source), lines={})
    if isinstance(source, str) and _is_yaml_text(source):
        return parse_yaml_text(source, TEXT_FILE)
    if isinstance(source, str | Path):
        return load_yaml_file(source)
    raise ScenarioError(
        None,
        [
            Problem(
                "",
                "expected a scenario file path, YAML text or a mapping of scenario fields",
                value=short_repr(source),
            )
        ],
    )


def read_scenario_document(doc: YamlDocument, *, treaty_files: bool = True) -> ScenarioFile:
    """Validate the scenario held by ``doc`` (data with the line of every node).

    Raises
    ------
    ScenarioError
        With every problem, each naming its line (where ``doc`` knows it) and field path.
    """
    reader = _Reader(doc, treaty_files=treaty_files)
    data = reader.scenario_input()
    file = reader.doc.file
    if data is None:
        raise ScenarioError(file, reader.problems)
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        problems = reader.problems + reader.validation_problems(exc)
        problems += reader.check_valid_postures(data)
        raise ScenarioError(file, _by_line(problems)) from None
    except (RecursionError, OverflowError, ValueError, TypeError) as exc:
        # pydantic reports bad input as ValidationError; anything else is input
        # so odd that validation itself gave up
        reader.add((), f"cannot be validated ({type(exc).__name__}); simplify the file")
        raise ScenarioError(file, reader.problems) from None
    reader.problems += reader.relocated(check_scenario(scenario))
    reader.problems += reader.relocated(uncertainty_problems(scenario))
    if reader.problems:
        raise ScenarioError(file, _by_line(reader.problems))
    return ScenarioFile(file=file, scenario=scenario, builtins=tuple(reader.builtins))


def read_scenario_file(path: ScenarioSource) -> ScenarioFile:
    """Read and validate a scenario (see :func:`load_scenario` for what ``path`` may be).

    Parameters
    ----------
    path : str, Path or mapping
        The YAML file, YAML text, or the scenario's data.

    Returns
    -------
    ScenarioFile
        The validated scenario and the built-in posture of each side.

    Raises
    ------
    ScenarioError
        With every problem of the file, each naming its line and field path.
    """
    doc = _document(path)
    return read_scenario_document(doc, treaty_files=doc.file not in (TEXT_FILE, MAPPING_FILE))


def read_scenario_text(text: str, name: str = "<text>") -> ScenarioFile:
    """Read and validate a scenario written as YAML text (a form, a request body).

    Unlike :func:`read_scenario_file`, a string is never taken for a path.

    Parameters
    ----------
    text : str
        The YAML source, at most :data:`~detente.io.yaml_source.MAX_FILE_BYTES`
        characters.
    name : str
        What messages call the text in place of a file name.

    Returns
    -------
    ScenarioFile
        The validated scenario and the built-in posture of each side.

    Raises
    ------
    ScenarioError
        With every problem of the text, each naming its line and field path,
        exactly as :func:`read_scenario_file` reports a file.
    """
    return read_scenario_document(parse_yaml_text(text, name), treaty_files=False)


def load_scenario(source: ScenarioSource) -> Scenario:
    """Load a scenario from a file, from YAML text, or from a mapping.

    Parameters
    ----------
    source : str, Path or mapping
        A path to a YAML file (format in ``docs/scenarios.md``); or YAML text,
        recognised as a string that spans more than one line or starts with
        ``{``; or a mapping holding the same fields as a file (built-in
        posture names and ``override`` included). Text and mappings are
        checked exactly as a file is; errors name ``<string>`` (with lines) or
        ``<mapping>``.

    Returns
    -------
    Scenario
        The validated scenario.

    Raises
    ------
    ScenarioError
        With every problem, each naming line (where known), field path and value.

    Examples
    --------
    >>> s = load_scenario({"name": "pair", "sides": [{"posture": "us-2021"},
    ...                                              {"posture": "ru-2021"}]})
    >>> [side.actor for side in s.sides]
    ['us', 'ru']
    """
    return read_scenario_file(source).scenario


def dump_scenario(scenario: Scenario, path: str | Path | None = None) -> str:
    """Write ``scenario`` as a self-contained YAML scenario file.

    Postures are written inline, a built-in treaty by its id and any other treaty
    inline, and fields at their default are left out, so
    ``load_scenario`` of the output gives a scenario equal to ``scenario``.

    Parameters
    ----------
    scenario : Scenario
        What to write.
    path : str or Path, optional
        If given, the file to write (UTF-8).

    Returns
    -------
    str
        The YAML text.
    """
    data = scenario.model_dump(mode="json", exclude_defaults=True)
    if scenario.treaty is not None and builtin_treaty_id(scenario.treaty) is not None:
        data["treaty"] = builtin_treaty_id(scenario.treaty)  # a built-in treaty by its id
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    if yaml.safe_load(text) != data:
        # PyYAML writes some characters (NEL, U+2028) raw where a reader sees line
        # breaks; escaping everything outside ASCII keeps such text exact
        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=False, width=100)
    if path is not None:
        Path(path).write_text(text, encoding="utf-8")
    return text
