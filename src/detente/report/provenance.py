"""Where the numbers of a scenario come from: source keys and modelling assumptions.

Walks every :class:`~detente.model.base.Cited` object of each posture (systems,
target classes, defences, C2, launch-on-warning policy, published totals) and
collects, per posture, the source keys used and the numeric fields that rest
on ``assumption``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from pydantic import BaseModel

from detente.model.base import ASSUMPTION, Cited
from detente.model.posture import Posture


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


def assumptions(posture: Posture) -> tuple[Assumed, ...]:
    """Numeric fields of ``posture`` whose citation is ``assumption``, object by object."""
    found = []
    for where, obj in cited_objects(posture):
        fields = []
        notes = []
        for name in type(obj).model_fields:
            text = _numeric_text(getattr(obj, name))
            if text is None:
                continue
            cite = obj.citation(name)
            if cite.source == ASSUMPTION:
                fields.append((name, text))
                if cite.note:
                    notes.append(f"{name}: {cite.note}")
        if fields:
            found.append(Assumed(where or "posture", tuple(fields), tuple(notes)))
    return tuple(found)
