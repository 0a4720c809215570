"""Scenario files written by the tools: a side's changes as an override of its built-in.

``detente treaty upload SCENARIO --out FILE`` and the example generators write
scenario files in the form a person would: each side names its built-in posture
and lists, under ``override``, only what differs (systems matched by ``id``), one
system per line. Reading the file back gives the scenario the tool computed.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from detente.errors import InvalidArgumentError
from detente.io.output import OutputError, write_file
from detente.model.posture import Posture


class ScenarioWriteError(OutputError):
    """A scenario file could not be written (bad path, the input itself, a full disk)."""


def posture_changes(before: Posture, after: Posture) -> dict[str, Any]:
    """The override that turns ``before`` into ``after``: changed system fields by id,
    and changed scalar fields of the posture.

    Only fields a tool changes are compared (system numbers, posture scalars);
    citations are left to the reader, which cites every overridden field to the
    scenario file.
    """
    out: dict[str, Any] = {}
    old = before.model_dump(mode="json")
    new = after.model_dump(mode="json")
    for key, value in new.items():
        fixed = key in ("systems", "cite") or isinstance(value, dict | list)
        if not fixed and old.get(key) != value:
            out[key] = value
    old_systems = {s["id"]: s for s in old["systems"]}
    systems = []
    for s in new["systems"]:
        base = old_systems.get(s["id"])
        if base is None:
            raise InvalidArgumentError(f"system {s['id']!r} is not in the posture it changes")
        changed = {
            k: v
            for k, v in s.items()
            if k != "cite" and not isinstance(v, dict | list) and base.get(k) != v
        }
        if changed:
            systems.append({"id": s["id"], **changed})
    if systems:
        out["systems"] = systems
    return out


def apply_changes(side: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """A scenario file's side (as read) with ``changes`` (from :func:`posture_changes`) added.

    A side naming a built-in posture gets the changes in its ``override``, each
    system merged with an entry of the same id already there; a side written
    inline gets them in its posture mapping.
    """
    out = copy.deepcopy(dict(side))
    inline = isinstance(out.get("posture"), Mapping)
    target: dict[str, Any] = out["posture"] if inline else out.setdefault("override", {})
    for key, value in changes.items():
        if key != "systems":
            target[key] = value
    entries: list[dict[str, Any]] = target.setdefault("systems", [])
    for change in changes.get("systems", ()):
        entry = next(
            (e for e in entries if isinstance(e, dict) and e.get("id") == change["id"]), None
        )
        if entry is None:
            if inline:
                raise InvalidArgumentError(f"system {change['id']!r} is not in the inline posture")
            entries.append(dict(change))
        else:
            entry.update(change)
    return out


def scenario_text(
    data: Mapping[str, Any], header: Iterable[str] = (), *, inline_items: bool = True
) -> str:
    """A YAML file: ``header`` lines as comments, then ``data``.

    With ``inline_items``, mappings and lists of plain values are written on one
    line each (``- {id: us_b2a, warheads_per_launcher: 16.0}``), as overrides are;
    otherwise everything is written in block style. Numbers are written so that
    they read back exactly.
    """
    style = None if inline_items else False
    body = yaml.safe_dump(
        dict(data), sort_keys=False, default_flow_style=style, allow_unicode=True, width=100
    )
    if yaml.safe_load(body) != data:
        body = yaml.safe_dump(
            dict(data), sort_keys=False, default_flow_style=style, allow_unicode=False, width=100
        )
    comments = "".join(f"# {line}".rstrip() + "\n" for line in header)
    return comments + body


def write_scenario_text(path: str | Path, text: str, *, inputs: Iterable[str | Path] = ()) -> Path:
    """Write a scenario file atomically; never over one of ``inputs``."""
    data = text.encode("utf-8")
    return write_file(
        path,
        lambda fh: fh.write(data),
        what="the scenario",
        inputs=tuple(inputs),
        error=ScenarioWriteError,
    )
