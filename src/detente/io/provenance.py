"""Numbers a scenario changes are cited to the scenario, not to the built-in's sources.

When an override changes a field of a built-in posture (a system's launchers, a
layer's interceptors, the posture's alert level), the built-in citation of that
field no longer describes the number. Each such field gets a citation with the
source key ``scenario`` and a note naming the file and line that set it; items
an override adds are cited to the scenario as a whole unless they name a source.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from detente.io.merge import REMOVE_KEY
from detente.io.yaml_source import FieldPath
from detente.model.base import SCENARIO

_NOT_NUMBERS = frozenset({"id", "label", "source", "cite", "notes", REMOVE_KEY})
_ID_LISTS = ("systems", "targets", "defenses")
_CITED_OBJECTS = ("c2", "launch_on_warning", "totals")

Locate = Callable[[FieldPath], str]
"""Source path in the file -> ``file:line`` text for a note."""


def _cite(item: dict[str, Any], field: str, where: str) -> None:
    cites = [
        c
        for c in item.get("cite") or []
        if not (isinstance(c, Mapping) and c.get("field") == field)
    ]
    cites.append({"field": field, "source": SCENARIO, "note": f"set by the scenario at {where}"})
    item["cite"] = cites


def _cite_fields(
    item: dict[str, Any], changes: Mapping[str, Any], at: FieldPath, locate: Locate
) -> None:
    for key in list(changes):
        if key not in _NOT_NUMBERS:
            _cite(item, str(key), locate((*at, key)))


def cite_overrides(
    posture: dict[str, Any],
    override: Mapping[str, Any],
    over_at: FieldPath,
    locate: Locate,
    added: set[FieldPath],
) -> int:
    """Re-cite every field ``override`` changed in the merged ``posture`` (in place).

    ``added`` holds the source paths of override items that matched no built-in
    item and were added whole. Returns the number of fields re-cited.
    """
    count = 0
    top = {k: v for k, v in override.items() if k not in (*_ID_LISTS, *_CITED_OBJECTS)}
    _cite_fields(posture, top, over_at, locate)
    count += sum(1 for k in top if k not in _NOT_NUMBERS)
    for name in _CITED_OBJECTS:
        changes = override.get(name)
        target = posture.get(name)
        if isinstance(changes, Mapping) and isinstance(target, dict):
            _cite_fields(target, changes, (*over_at, name), locate)
            count += sum(1 for k in changes if k not in _NOT_NUMBERS)
    for name in _ID_LISTS:
        items = override.get(name)
        merged = posture.get(name)
        if not isinstance(items, list) or not isinstance(merged, list):
            continue
        by_id = {m.get("id"): m for m in merged if isinstance(m, dict)}
        for j, change in enumerate(items):
            if not isinstance(change, Mapping) or change.get(REMOVE_KEY) is True:
                continue
            target = by_id.get(change.get("id"))
            if target is None or target is change:
                continue
            if (*over_at, name, j) in added:
                if "source" not in change:
                    target["source"] = SCENARIO
                continue
            _cite_fields(target, change, (*over_at, name, j), locate)
            count += sum(1 for k in change if k not in _NOT_NUMBERS)
    return count
