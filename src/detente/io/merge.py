"""Deep merge of an override into plain data (a built-in posture, usually).

Rules (documented in ``docs/scenarios.md``):

- mappings merge key by key, recursively;
- lists of mappings that all carry an ``id`` merge by id: an override item
  updates the base item with the same id, an unknown id is appended, and an
  item with ``remove: true`` deletes the base item;
- every other value (scalars, other lists, a type change) replaces the base.

Besides the merged data, :func:`merge_with_origin` reports where every node of
the result came from, so that an error in the merged data can be pointed back
at the line of the override that produced it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from detente.io.yaml_source import FieldPath

REMOVE_KEY = "remove"


@dataclass
class MergeResult:
    """Merged data, the origin of each node and the problems met while merging.

    Attributes
    ----------
    data : Any
        The merged data.
    origin : dict
        Path in ``data`` -> path in the source (``base_at`` or ``over_at`` prefixed).
    problems : list
        ``(source path, message, value)`` for overrides that cannot apply.
    appended : list
        ``(source path, id, ids already there)`` of override items whose id matched
        nothing and were added as new items (a typo in an id lands here).
    """

    data: Any
    origin: dict[FieldPath, FieldPath] = field(default_factory=dict)
    problems: list[tuple[FieldPath, str, str]] = field(default_factory=list)
    appended: list[tuple[FieldPath, Any, list[Any]]] = field(default_factory=list)


def _is_id_list(value: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(item, Mapping) and isinstance(item.get("id"), str) for item in value
    )


def _record(value: Any, at: FieldPath, src: FieldPath | None, out: MergeResult) -> None:
    """Record that ``value`` placed at ``at`` comes from ``src`` (subtree included)."""
    if src is None:
        return
    out.origin[at] = src
    if isinstance(value, Mapping):
        for key, child in value.items():
            _record(child, (*at, key), (*src, key), out)
    elif isinstance(value, list):
        for i, child in enumerate(value):
            _record(child, (*at, i), (*src, i), out)


def _merge(
    base: Any,
    over: Any,
    at: FieldPath,
    base_at: FieldPath | None,
    over_at: FieldPath,
    out: MergeResult,
) -> Any:
    if isinstance(base, Mapping) and isinstance(over, Mapping):
        # a merged container is located where the base is written (if it is in the
        # file): a field missing from it belongs there; a field the override adds
        # gets its own origin below
        out.origin[at] = base_at if base_at is not None else over_at
        merged: dict[Any, Any] = {}
        for key, value in base.items():
            if key not in over:
                merged[key] = value
                _record(value, (*at, key), None if base_at is None else (*base_at, key), out)
        for key, value in over.items():
            sub_base_at = None if base_at is None else (*base_at, key)
            if key in base:
                merged[key] = _merge(
                    base[key], value, (*at, key), sub_base_at, (*over_at, key), out
                )
            elif _is_id_list(value):  # merge into an empty list so `remove` is checked
                merged[key] = _merge_by_id([], value, (*at, key), None, (*over_at, key), out)
            else:
                merged[key] = value
                _record(value, (*at, key), (*over_at, key), out)
        return merged
    if isinstance(base, list) and _is_id_list(base) and _is_id_list(over) and over:
        return _merge_by_id(base, over, at, base_at, over_at, out)
    if _is_id_list(base) and base and isinstance(over, list):
        for j, item in enumerate(over):
            if isinstance(item, Mapping) and not isinstance(item.get("id"), str):
                out.problems.append(
                    (
                        (*over_at, j),
                        "this item has no `id`; items of this list merge by id, and without "
                        "one the whole built-in list would be replaced. Give every item an id",
                        repr(dict(item))[:60],
                    )
                )
    _record(over, at, over_at, out)
    return over


def _merge_by_id(
    base: list[Any],
    over: list[Any],
    at: FieldPath,
    base_at: FieldPath | None,
    over_at: FieldPath,
    out: MergeResult,
) -> list[Any]:
    out.origin[at] = base_at if base_at is not None else over_at
    position = {item["id"]: i for i, item in enumerate(base)}
    changes: dict[int, tuple[int, Any]] = {}
    removed: set[int] = set()
    appended: list[tuple[int, Any]] = []
    first_at: dict[Any, int] = {}
    for j, item in enumerate(over):
        if item["id"] in first_at:
            out.problems.append(
                (
                    (*over_at, j, "id"),
                    f"this id is already given at item {first_at[item['id']]} of the same "
                    "override list; write each item once",
                    repr(item["id"])[:60],
                )
            )
            continue
        first_at[item["id"]] = j
        body = {k: v for k, v in item.items() if k != REMOVE_KEY}
        remove = item.get(REMOVE_KEY, False)
        if not isinstance(remove, bool):
            out.problems.append(
                ((*over_at, j, REMOVE_KEY), "expected true or false", repr(remove)[:60])
            )
            remove = False
        i = position.get(item["id"])
        if remove:
            if i is None:
                out.problems.append(
                    (
                        (*over_at, j, "id"),
                        f"cannot remove: no item with this id; expected one of "
                        f"{[b['id'] for b in base]}",
                        repr(item["id"])[:60],
                    )
                )
            else:
                removed.add(i)
        elif i is None:
            appended.append((j, body))
            out.appended.append(((*over_at, j), item["id"], list(position)))
        else:
            changes[i] = (j, body)
    result: list[Any] = []
    for i, item in enumerate(base):
        if i in removed:
            continue
        k = len(result)
        item_base_at = None if base_at is None else (*base_at, i)
        if i in changes:
            j, body = changes[i]
            result.append(_merge(item, body, (*at, k), item_base_at, (*over_at, j), out))
        else:
            result.append(item)
            _record(item, (*at, k), item_base_at, out)
    for j, body in appended:
        _record(body, (*at, len(result)), (*over_at, j), out)
        result.append(body)
    return result


def merge_with_origin(
    base: Any,
    over: Any,
    *,
    base_at: FieldPath | None = None,
    over_at: FieldPath = (),
) -> MergeResult:
    """Deep-merge ``over`` into ``base`` and trace every merged node to its source.

    Parameters
    ----------
    base : Any
        Plain data to merge into (not modified).
    over : Any
        The override (not modified).
    base_at : tuple or None
        Path prefix of ``base`` in its file; ``None`` if it is not in the file
        being read (a built-in), in which case its nodes get no origin.
    over_at : tuple
        Path prefix of ``over`` in the file.

    Returns
    -------
    MergeResult
        Merged data, origins, and problems (e.g. removing an id that does not exist).
    """
    out = MergeResult(data=None)
    out.data = _merge(base, over, (), base_at, over_at, out)
    return out


def deep_merge(base: Any, over: Any) -> Any:
    """Deep-merge ``over`` into ``base`` by the rules of this module.

    Parameters
    ----------
    base, over : Any
        Plain data; neither is modified.

    Returns
    -------
    Any
        The merged data.

    Examples
    --------
    >>> deep_merge({"a": 1, "b": {"c": 2}}, {"b": {"d": 3}})
    {'a': 1, 'b': {'c': 2, 'd': 3}}
    >>> base = [{"id": "x", "n": 1}, {"id": "y"}]
    >>> deep_merge(base, [{"id": "x", "n": 2}, {"id": "y", "remove": True}, {"id": "z"}])
    [{'id': 'x', 'n': 2}, {'id': 'z'}]
    """
    return merge_with_origin(base, over).data
