"""Where the numbers of a scenario come from: source keys and modelling assumptions.

Walks every :class:`~detente.model.base.Cited` object of each posture (systems,
target classes, defences, C2, launch-on-warning policy, published totals) and
collects, per posture, the source keys used, the numeric fields that rest
on ``assumption`` and the fields a scenario set (citations whose source is
``scenario``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from pydantic import BaseModel

from detente.model.base import ASSUMPTION, Cited
from detente.model.posture import Posture

SCENARIO = "scenario"
"""Source key of numbers a scenario file overrides (the note says which line set it)."""


@dataclass(frozen=True)
class Assumed:
    """Numeric fields of one object that rest on a modelling assumption."""

    where: str
    """Dotted path of the object inside its posture (``systems.icbm``)."""
    fields: tuple[tuple[str, str], ...]
    """``(field, value)`` pairs."""
    notes: tuple[str, ...]


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _numeric_text(value: object) -> str | None:
    """Short text of a number or of a small model of numbers (alert fractions); else None."""
    if _is_number(value):
        return f"{value:g}"
    if isinstance(value, BaseModel) and not isinstance(value, Cited):
        parts = {k: getattr(value, k) for k in type(value).model_fields}
        if parts and all(_is_number(v) for v in parts.values()):
            return ", ".join(f"{k} {v:g}" for k, v in parts.items())
    return None


def cited_objects(obj: BaseModel, where: str = "") -> Iterator[tuple[str, Cited]]:
    """Every :class:`Cited` object inside ``obj`` (itself included), with its path.

    Parameters
    ----------
    obj
        A domain model (typically a posture).
    where
        Path prefix of ``obj``.

    Yields
    ------
    tuple of (str, Cited)
        Dotted path and object; items of tuples are named by their ``id`` when
        they have one.
    """
    if isinstance(obj, Cited):
        yield where, obj
    for name in type(obj).model_fields:
        value = getattr(obj, name)
        items = value if isinstance(value, tuple) else (value,)
        for i, item in enumerate(items):
            if not isinstance(item, BaseModel):
                continue
            key = getattr(item, "id", i) if isinstance(value, tuple) else None
            path = ".".join(p for p in (where, name, None if key is None else str(key)) if p)
            yield from cited_objects(item, path)


def source_keys(posture: Posture) -> tuple[str, ...]:
    """Sorted source keys cited anywhere in ``posture`` (defaults and per-field)."""
    keys: set[str] = set()
    for _, obj in cited_objects(posture):
        keys.add(obj.source)
        keys.update(c.source for c in obj.cite)
    return tuple(sorted(keys))


def _value_text(value: object) -> str | None:
    """Short text of a number, a small model of numbers, or a plain value; else None."""
    text = _numeric_text(value)
    if text is not None:
        return text
    if isinstance(value, BaseModel | tuple) or value is None:
        return None
    return str(value)


def cited_fields(
    posture: Posture, source: str, *, numbers_only: bool = False
) -> tuple[Assumed, ...]:
    """Fields of ``posture`` whose citation is ``source``, object by object.

    Numeric fields are found through each object's citation (their own entry,
    else the object's default source); other fields only when a citation
    names them explicitly, and never with ``numbers_only``.
    """
    found = []
    for where, obj in cited_objects(posture):
        fields = []
        notes = []
        named = {c.field for c in obj.cite}
        for name in type(obj).model_fields:
            if name in ("source", "cite"):
                continue
            value = getattr(obj, name)
            text = _numeric_text(value)
            if text is None and name in named and not numbers_only:
                text = _value_text(value)
            if text is None:
                continue
            cite = obj.citation(name)
            if cite.source == source:
                fields.append((name, text))
                if cite.note:
                    notes.append(f"{name}: {cite.note}")
        if fields:
            found.append(Assumed(where or "posture", tuple(fields), tuple(notes)))
    return tuple(found)


def assumptions(posture: Posture) -> tuple[Assumed, ...]:
    """Numeric fields of ``posture`` whose citation is ``assumption``, object by object."""
    return cited_fields(posture, ASSUMPTION, numbers_only=True)


def set_by_scenario(posture: Posture) -> tuple[Assumed, ...]:
    """Fields of ``posture`` a scenario set (citations whose source is ``scenario``)."""
    return cited_fields(posture, SCENARIO)
