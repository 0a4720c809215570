"""Field paths into a scenario, and changing a scenario by them.

A field path names one number (or other value) of a scenario the way a person
reads it: ``sides[us].defenses[us_gmd].interceptors``,
``sides[ru].systems[ru_yars_mobile].alert.day_to_day``, ``exchange.reserve_fraction``,
``treaty``. Rules:

- parts are separated by ``.``; a part is a field name, optionally followed by
  ``[key]`` to pick one item of a list;
- ``sides[key]`` picks the side whose actor is ``key``; in any other list of
  items with an ``id``, ``[key]`` picks the item with that id; ``[0]`` (or a
  part written ``0``, as error messages write paths) picks by position;
- after ``sides[...]`` the posture's fields may be named directly:
  ``sides[us].defenses`` is ``sides[us].posture.defenses``.

:func:`resolve` turns a path into the positional path of the model
(``('sides', 0, 'posture', 'defenses', 2, 'interceptors')``), naming the
nearest valid field or id when a part does not exist; :func:`apply_changes`
returns a new, fully validated scenario with the values at those paths
replaced. The readers in :mod:`detente.io` word the errors for files.
"""

from __future__ import annotations

import copy
import difflib
import re
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from detente.errors import Problem, ScenarioError
from detente.model.checks import check_scenario
from detente.model.posture import Posture
from detente.model.scenario import Scenario, Side

ModelPath = tuple[str | int, ...]
"""A positional path into a scenario's data: field names and list positions."""

_PART = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*|\d+)(?:\[(?P<key>[^\[\]]*)\])?$")

CHANGES_FILE = "<changes>"
"""Name shown for errors of changes given in code (not read from a file)."""


class PathError(ScenarioError):
    """A field path names nothing in the scenario; the message says what exists."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(CHANGES_FILE, [Problem(path=path, message=message)])
        self.path = path
        self.reason = message


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model inside ``annotation`` (through Optional, tuple, Annotated)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType, tuple, list, typing.Annotated):
        for arg in typing.get_args(annotation):
            found = _model_in(arg)
            if found is not None:
                return found
    return None


def _is_sequence(annotation: Any) -> bool:
    """Whether ``annotation`` is a tuple or list (through Optional)."""
    origin = typing.get_origin(annotation)
    if origin in (tuple, list):
        return True
    if origin in (typing.Union, types.UnionType, typing.Annotated):
        return any(_is_sequence(a) for a in typing.get_args(annotation))
    return False


def split(path: str) -> list[tuple[str, str | None]]:
    """``'sides[us].defenses[us_gmd].interceptors'`` -> ``[('sides', 'us'), ...]``.

    Raises
    ------
    PathError
        If a part is not ``name`` or ``name[key]``.
    """
    if not isinstance(path, str) or not path.strip():
        raise PathError(str(path), "expected a field path such as sides[us].defenses[x].pk")
    parts: list[tuple[str, str | None]] = []
    for raw in path.strip().split("."):
        m = _PART.match(raw.strip())
        if m is None:
            raise PathError(
                path,
                f"cannot read the part {raw!r}; expected a field name, optionally with [id] "
                "or [position], e.g. systems[ru_yars_mobile]",
            )
        parts.append((m["name"], m["key"]))
    return parts


def _nearest(name: str, names: list[str]) -> str:
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.5)
    return f"did you mean {close[0]!r}? " if close else ""


def _item_key(item: Any, is_side: bool) -> str | None:
    if is_side:
        posture = item.get("posture") if isinstance(item, Mapping) else None
        actor = posture.get("actor") if isinstance(posture, Mapping) else None
        return actor if isinstance(actor, str) else None
    key = item.get("id") if isinstance(item, Mapping) else None
    return key if isinstance(key, str) else None


@dataclass
class _Walk:
    """State of following one path through the data and the model classes at once."""

    path: str
    data: Any
    model: type[BaseModel] | None
    at: list[str | int]
    written: str = ""

    def where(self) -> str:
        return self.written or "the scenario"

    def field(self, name: str) -> Any:
        """Step into field ``name`` of the current model; return its annotation."""
        model = self.model
        if model is None or not isinstance(self.data, Mapping):
            raise PathError(self.path, f"{self.where()} has no fields; {name!r} cannot follow it")
        if model is Side and name not in Side.model_fields and name in Posture.model_fields:
            written = self.written
            self.step("posture", Posture, self.data.get("posture"))
            self.written = written  # the posture was not written
            model = Posture
        if name not in model.model_fields:
            names = list(model.model_fields)
            raise PathError(
                self.path,
                f"{self.where()} has no field {name!r}; {_nearest(name, names)}"
                f"expected one of: {', '.join(names)}",
            )
        annotation = model.model_fields[name].annotation
        self.step(name, _model_in(annotation), self.data.get(name))
        return annotation

    def step(self, part: str | int, model: type[BaseModel] | None, data: Any) -> None:
        if isinstance(part, str):
            self.written = f"{self.written}.{part}" if self.written else part
        self.at.append(part)
        self.model = model
        self.data = data

    def item(self, key: str, is_side: bool) -> None:
        """Step into the list item picked by ``key`` (an id, an actor or a position)."""
        items = self.data if isinstance(self.data, list | tuple) else None
        if items is None:
            raise PathError(self.path, f"{self.where()} is not a list; [{key}] cannot pick from it")
        keys = [_item_key(item, is_side) for item in items]
        if key.isdigit():
            index = int(key)
            if index >= len(items):
                raise PathError(
                    self.path,
                    f"{self.where()} has {len(items)} item(s); position {index} does not exist",
                )
        elif key in keys:
            index = keys.index(key)
        else:
            what = "actor" if is_side else "id"
            known = [k for k in keys if k is not None]
            raise PathError(
                self.path,
                f"{self.where()} has no item with {what} {key!r}; {_nearest(key, known)}"
                f"expected one of: {', '.join(known) or '(none)'}",
            )
        self.step(index, self.model, items[index])
        self.written += f"[{key}]"


def resolve(scenario_data: Mapping[str, Any], path: str) -> tuple[ModelPath, Any]:
    """The positional model path of ``path`` in ``scenario_data``, and its annotation.

    Parameters
    ----------
    scenario_data
        A scenario as plain data (``scenario.model_dump()``).
    path
        A field path (see the module docstring).

    Returns
    -------
    tuple
        The positional path (``('sides', 0, 'posture', 'alert')``) and the type
        annotation of the field it ends at.

    Raises
    ------
    PathError
        Naming the part that does not exist and the nearest valid name.
    """
    walk = _Walk(path, scenario_data, Scenario, [])
    annotation: Any = Scenario
    parts = split(path)
    for n, (name, key) in enumerate(parts):
        if name.isdigit():
            if key is not None:
                raise PathError(path, f"cannot read the part {name}[{key}]")
            walk.item(name, is_side=walk.at == ["sides"])
            continue
        annotation = walk.field(name)
        if key is not None:
            if not _is_sequence(annotation):
                raise PathError(path, f"{walk.where()} is not a list; [{key}] cannot pick from it")
            walk.item(key, is_side=walk.at == ["sides"])
        elif n < len(parts) - 1 and _is_sequence(annotation) and not parts[n + 1][0].isdigit():
            raise PathError(
                path,
                f"{walk.where()} is a list; pick an item with [id] or [position] before "
                f"{parts[n + 1][0]!r}",
            )
    return tuple(walk.at), annotation


def is_whole_number(annotation: Any) -> bool:
    """Whether a field of ``annotation`` holds whole numbers (a count, an ``Int``)."""
    if annotation is int:
        return True
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return is_whole_number(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return len(args) == 1 and is_whole_number(args[0])
    return False


def _mutable(value: Any) -> Any:
    """Plain data with every tuple turned into a list (so items can be replaced)."""
    if isinstance(value, Mapping):
        return {k: _mutable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_mutable(v) for v in value]
    return value


def _set(data: Any, at: ModelPath, value: Any) -> None:
    target = data
    for part in at[:-1]:
        target = target[part]
    target[at[-1]] = copy.deepcopy(value)


def changed_data(
    scenario: Scenario, changes: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[ModelPath, str]]:
    """``scenario`` as plain data with ``changes`` applied, and where each change landed.

    Returns
    -------
    tuple
        The changed data (to validate as a :class:`Scenario`) and, for every
        change, its positional path -> the path as written.

    Raises
    ------
    PathError
        If a path names nothing in the scenario (with the nearest valid name).
    """
    data = _mutable(scenario.model_dump())
    landed: dict[ModelPath, str] = {}
    for path, value in changes.items():
        at, _ = resolve(data, path)
        if at in landed:
            raise PathError(path, f"names the same field as {landed[at]!r}; give it once")
        if not at:
            raise PathError(path, "names the whole scenario; name a field")
        landed[at] = path
        _set(data, at, value)
    return data, landed


def readable(data: Any, loc: ModelPath) -> str:
    """A positional path written as a field path: ``sides[ru].systems[ru_bulava].alert``.

    Items are named by actor (sides) or id where they have one, else by position;
    the posture of a side is left implicit, as :func:`resolve` allows.
    """
    out = ""
    node = data
    for i, part in enumerate(loc):
        if isinstance(part, int):
            items = node if isinstance(node, list | tuple) else []
            item = items[part] if part < len(items) else None
            key = _item_key(item, is_side=loc[:i] == ("sides",)) if item is not None else None
            out += f"[{key if key is not None else part}]"
            node = item
            continue
        node = node.get(part) if isinstance(node, Mapping) else None
        if part == "posture" and loc[:1] == ("sides",) and i == 2:
            continue
        out = f"{out}.{part}" if out else str(part)
    return out


def shown_path(loc: ModelPath, landed: Mapping[ModelPath, str], data: Any = None) -> str:
    """``loc`` as the user wrote it if it is in (or under) a change, else as a field path."""
    for at, written in landed.items():
        if loc[: len(at)] == at:
            rest = ".".join(str(p) for p in loc[len(at) :])
            return f"{written}.{rest}" if rest else written
    if data is not None:
        return readable(data, loc)
    return ".".join(str(p) for p in loc)


def _model_loc(dotted: str) -> ModelPath:
    return tuple(int(p) if p.isdigit() else p for p in dotted.split(".")) if dotted else ()


def readable_problems(
    problems: list[Problem], data: Any, landed: Mapping[ModelPath, str]
) -> list[Problem]:
    """Problems whose paths are dotted model paths, with the paths written as field paths."""
    return [
        Problem(shown_path(_model_loc(p.path), landed, data), p.message, p.line, p.value)
        for p in problems
    ]


def _repeats_others(error: Any) -> bool:
    """A length error raised only because items of the list failed (pydantic counts survivors)."""
    value, ctx = error.get("input"), error.get("ctx") or {}
    low = ctx.get("min_length")
    return (
        error["type"] == "too_short"
        and isinstance(value, list | tuple)
        and low is not None
        and len(value) >= low
    )


def apply_changes(scenario: Scenario, changes: Mapping[str, Any]) -> Scenario:
    """A new scenario: ``scenario`` with the value at each field path replaced.

    The result is validated as a whole, like a scenario file: field ranges and
    types, the model's own rules, and the cross-field ``check_*`` problems.
    ``scenario`` is not modified. :func:`detente.io.with_changes` is the same
    with errors worded as for scenario files.

    Parameters
    ----------
    scenario
        The scenario to start from.
    changes
        ``{field path: new value}``.

    Returns
    -------
    Scenario
        The changed scenario (``scenario`` itself when ``changes`` is empty).

    Raises
    ------
    ScenarioError
        With every problem, each at the path as written.

    Examples
    --------
    >>> from detente.examples import geneva_2021
    >>> s = apply_changes(geneva_2021(), {"sides[us].defenses[us_gmd].interceptors": 500})
    >>> s.side("us").posture.defenses[0].interceptors
    500
    """
    if not changes:
        return scenario
    data, landed = changed_data(scenario, changes)
    try:
        changed = Scenario.model_validate(data)
    except ValidationError as exc:
        problems = [
            Problem(
                path=shown_path(tuple(e["loc"]), landed, data),
                message=str(e.get("msg", e["type"])),
                value=repr(e.get("input"))[:60],
            )
            for e in exc.errors()
            if not _repeats_others(e)
        ]
        raise ScenarioError(CHANGES_FILE, problems) from None
    problems = check_scenario(changed)
    if problems:
        raise ScenarioError(CHANGES_FILE, readable_problems(problems, data, landed))
    return changed


__all__ = [
    "CHANGES_FILE",
    "ModelPath",
    "PathError",
    "apply_changes",
    "changed_data",
    "is_whole_number",
    "readable",
    "readable_problems",
    "resolve",
    "shown_path",
    "split",
]
