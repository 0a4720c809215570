"""Turning pydantic validation errors into plain-worded, located problems.

Each pydantic error becomes one :class:`~detente.errors.Problem` with the
field path, the line where the field is written, a short rendering of the bad
value, and a message that says what is expected in words a scenario author
uses ("must be between 0 and 1", "did you mean 'cep_m'?").
"""

from __future__ import annotations

import difflib
import reprlib
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import annotated_types
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from detente.errors import Problem
from detente.io.yaml_source import FieldPath
from detente.model.base import Identifier, SourceKey

ExtraKeys = Mapping[type[BaseModel], Sequence[str]]
"""Keys a file format accepts on a model besides its fields (``override`` on a side)."""

Locate = Callable[[FieldPath], tuple[str, int | None]]
"""Maps a model field path to ``(path as shown to the user, line)``."""

_MAX_VALUE_CHARS = 60


_REPR = reprlib.Repr()  # keyword arguments only from Python 3.12
_REPR.maxlevel, _REPR.maxdict, _REPR.maxlist, _REPR.maxtuple = 3, 4, 4, 4
_REPR.maxstring, _REPR.maxother, _REPR.maxlong = 80, 80, 40


def short_repr(value: Any) -> str:
    """A one-line rendering of ``value``, cut to a readable length.

    Only a bounded part of ``value`` is rendered, however large or deep it is.
    """
    text = _REPR.repr(value).replace("\n", " ")
    if len(text) > _MAX_VALUE_CHARS:
        text = text[: _MAX_VALUE_CHARS - 3] + "..."
    return text


def _pattern_of(alias: Any) -> str | None:
    for meta in typing.get_args(alias)[1:]:
        pattern = getattr(meta, "pattern", None)
        if pattern is not None:
            return str(pattern)
    return None


_PATTERN_WORDS = {
    _pattern_of(Identifier): "a snake_case identifier (a lowercase letter, then lowercase "
    "letters, digits or '_')",
    _pattern_of(SourceKey): "a source key (lowercase letters, digits, '_', '.' or '-')",
}


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


def _walk(root: type[BaseModel], path: Sequence[Any]) -> tuple[type[BaseModel] | None, Any]:
    """Follow ``path`` from ``root``: the model at the end and the last field's info."""
    model: type[BaseModel] | None = root
    info: FieldInfo | None = None
    for part in path:
        if isinstance(part, int):
            continue  # a sequence index: stay on the item model
        if model is None or part not in model.model_fields:
            return None, None
        info = model.model_fields[part]
        model = _model_in(info.annotation)
    return model, info


def field_names(
    root: type[BaseModel], path: Sequence[Any], extra_keys: ExtraKeys | None = None
) -> list[str]:
    """Field names of the model reached by ``path`` from ``root`` (empty if none).

    ``extra_keys`` adds keys a file format accepts on a model beyond its fields.
    """
    model, _ = _walk(root, path)
    if model is None:
        return []
    return [*model.model_fields, *(extra_keys or {}).get(model, ())]


def _number(value: Any) -> str:
    """``1000000`` -> ``1,000,000``; ``2.0`` -> ``2``; ``0.01`` -> ``0.01``."""
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.12g}"
    return str(value)


def _bounds(root: type[BaseModel], path: Sequence[Any]) -> tuple[str | None, str | None]:
    """Lower and upper bound of the field at ``path`` as words, e.g. ``('0', '1')``."""
    _, info = _walk(root, path)
    low = high = None
    for meta in [] if info is None else info.metadata:
        if isinstance(meta, annotated_types.Ge):
            low = _number(meta.ge)
        elif isinstance(meta, annotated_types.Gt):
            low = f"above {_number(meta.gt)}"
        elif isinstance(meta, annotated_types.Le):
            high = _number(meta.le)
        elif isinstance(meta, annotated_types.Lt):
            high = f"below {_number(meta.lt)}"
    return low, high


def _range_message(root: type[BaseModel], loc: FieldPath, kind: str, ctx: dict[str, Any]) -> str:
    bound = next(iter(ctx.values()), "?")
    if kind == "greater_than_equal" and bound == 0:
        return "must not be negative"
    low, high = _bounds(root, loc)
    if low is not None and high is not None:
        return f"must be between {low} and {high}"
    return {
        "greater_than": f"must be greater than {_number(bound)}",
        "greater_than_equal": f"must be at least {_number(bound)}",
        "less_than": f"must be less than {_number(bound)}",
        "less_than_equal": f"must be at most {_number(bound)}",
    }[kind]


def _kind_of(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    return type(value).__name__


_SIMPLE = {
    "int_parsing": "expected a whole number",
    "int_from_float": "expected a whole number, not a fraction",
    "float_parsing": "expected a number",
    "finite_number": "expected a finite number",
    "bool_parsing": "expected true or false",
    "string_type": "expected text",
    "date_type": "expected a date written YYYY-MM-DD",
    "date_parsing": "expected a date written YYYY-MM-DD",
    "date_from_datetime_parsing": "expected a date written YYYY-MM-DD",
    "date_from_datetime_inexact": "expected a date without a time of day",
    "tuple_type": "expected a list",
    "list_type": "expected a list",
    "invalid_key": "keys must be text",
}


_STRICT = {
    "int_type": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
}


def _strict_message(kind: str, value: Any) -> str:
    """Why a value of the wrong YAML type is refused rather than converted."""
    wanted = _STRICT[kind]
    if isinstance(value, bool):
        return f"expected {wanted}, not true/false"
    if isinstance(value, str):
        text = value.strip()
        if kind == "bool_type":
            return f"expected {wanted}; text such as {text!r} is not read as a truth value"
        try:
            float(text)
        except ValueError:
            return f"expected {wanted}"
        return f"expected {wanted}, not text: write it without quotes"
    if isinstance(value, int | float) and kind == "bool_type":
        return f"expected {wanted}, not a number"
    if isinstance(value, float) and kind == "int_type":
        if value.is_integer():
            return f"expected {wanted}, written without a decimal point"
        return f"expected {wanted}, not a fraction"
    return f"expected {wanted}, not {_kind_of(value)}"


def explain(
    root: type[BaseModel], error: Any, extra_keys: ExtraKeys | None = None
) -> tuple[str, bool]:
    """Plain words for one pydantic error, and whether its value is worth showing.

    Parameters
    ----------
    root : type[BaseModel]
        The model validated (field bounds and names are looked up from it).
    error : dict
        One entry of ``ValidationError.errors()``.
    extra_keys : mapping, optional
        Keys the file format accepts besides model fields, offered as suggestions.

    Returns
    -------
    tuple of (str, bool)
        The message and whether to show the offending value.
    """
    kind: str = error["type"]
    loc: FieldPath = tuple(error["loc"])
    ctx: dict[str, Any] = error.get("ctx") or {}
    value = error.get("input")
    if kind == "missing":
        return "required field is missing", False
    if kind == "extra_forbidden":
        valid = field_names(root, loc[:-1], extra_keys)
        name = str(loc[-1]) if loc else ""
        close = difflib.get_close_matches(name, valid, n=1, cutoff=0.6)
        hint = f"did you mean {close[0]!r}?" if close else f"expected one of: {', '.join(valid)}"
        return f"unknown field {name!r}; {hint}", True
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        return _range_message(root, loc, kind, ctx), True
    if kind in ("too_short", "too_long"):
        got = len(value) if isinstance(value, list | tuple | dict | str) else "?"
        low, high = ctx.get("min_length"), ctx.get("max_length")
        if loc == ("sides",):
            return f"a scenario needs 2 or 3 sides, got {got}", False
        if kind == "too_short":
            return f"needs at least {low} item(s), got {got}", False
        return (
            f"allows at most {_number(high)} item(s), got {_number(got)}; a size limit "
            "(see docs/limits.md)",
            False,
        )
    if kind == "literal_error":
        return f"expected one of {ctx.get('expected', '?')}", True
    if kind == "string_pattern_mismatch":
        words = _PATTERN_WORDS.get(str(ctx.get("pattern")))
        return (f"expected {words}" if words else f"must match {ctx.get('pattern')}"), True
    if kind == "string_too_long":
        return f"must be at most {ctx.get('max_length')} characters", True
    if kind == "string_too_short":
        return "must not be empty", True
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"expected a mapping of fields (key: value), not {_kind_of(value)}", True
    if kind in _STRICT:
        return _strict_message(kind, value), True
    if kind in _SIMPLE:
        return _SIMPLE[kind], True
    if kind in ("value_error", "assertion_error"):
        msg = str(error.get("msg", ""))
        return msg.split(", ", 1)[1] if ", " in msg else msg, False
    return str(error.get("msg", kind)), True


def is_consequence(error: Any) -> bool:
    """Whether ``error`` only repeats others: a length error raised because items failed.

    pydantic counts only the items that validated, so a list of two sides with
    one bad side also reports "at least 2 items, got 1"; the input itself is fine.
    """
    if error["type"] not in ("too_short", "too_long"):
        return False
    value = error.get("input")
    if not isinstance(value, list | tuple):
        return False
    ctx = error.get("ctx") or {}
    low, high = ctx.get("min_length"), ctx.get("max_length")
    if error["type"] == "too_short":
        return low is not None and len(value) >= low
    return high is not None and len(value) <= high


def problems_from_validation(
    root: type[BaseModel],
    exc: ValidationError,
    locate: Locate,
    extra_keys: ExtraKeys | None = None,
) -> list[Problem]:
    """Every error of ``exc`` as a :class:`Problem` located by ``locate``.

    Parameters
    ----------
    root : type[BaseModel]
        The model that was validated.
    exc : ValidationError
        The pydantic error.
    locate : callable
        Maps a model field path to the path shown to the user and its line.
    extra_keys : mapping, optional
        Keys the file format accepts besides model fields (for "did you mean").

    Returns
    -------
    list of Problem
        One per pydantic error, in pydantic's order.
    """
    problems = []
    for error in exc.errors():
        if is_consequence(error):
            continue
        message, show = explain(root, error, extra_keys)
        shown, line = locate(tuple(error["loc"]))
        value = short_repr(error.get("input")) if show else None
        problems.append(Problem(path=shown, message=message, line=line, value=value))
    return problems
