"""Negotiation spec files: YAML read with located errors, and their JSON Schema.

A spec file is :class:`~detente.negotiation.spec.NegotiationSpec` written as
YAML, with one difference: ``scenario`` is the path of a scenario file
(relative to the spec), read with :func:`~detente.io.scenario_yaml.read_scenario_file`;
left out, the spec negotiates over the built-in Geneva 2021 baseline. Every
problem names the file, the line, the field path, the value and what was
expected; a problem in the scenario file is reported at the spec's
``scenario`` line, naming the scenario file and its line.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from detente.errors import Problem, ScenarioError
from detente.io.errors import problems_from_validation, short_repr
from detente.io.scenario_yaml import read_scenario_file
from detente.io.yaml_source import FieldPath, load_yaml_file
from detente.negotiation.levers import LEVER_KINDS
from detente.negotiation.objectives import CONSTRAINT_KINDS, OBJECTIVE_KINDS
from detente.negotiation.spec import NegotiationSpec
from detente.stability import DEFINITIONS

SCENARIO_SUFFIXES = (".yaml", ".yml")


def load_negotiation_spec(path: str | Path) -> NegotiationSpec:
    """Read and validate the negotiation spec file at ``path``.

    Parameters
    ----------
    path : str or Path
        The YAML file (format in ``docs/negotiation.md``).

    Returns
    -------
    NegotiationSpec
        The validated spec, its scenario loaded.

    Raises
    ------
    ScenarioError
        With every problem of the file, each naming its line and field path.
    """
    doc = load_yaml_file(path)
    if not isinstance(doc.data, dict):
        what = "empty" if doc.data is None else f"a {type(doc.data).__name__}, not a mapping"
        problem = Problem("", f"the file is {what}; expected a mapping of negotiation fields", 1)
        raise ScenarioError(doc.file, [problem])
    data = dict(doc.data)
    problems: list[Problem] = []
    skip = False
    if "scenario" in data:
        scenario, found = _scenario(data["scenario"], Path(doc.file).parent)
        problems += [
            Problem("scenario", p.message, doc.line_of(("scenario",)), p.value) for p in found
        ]
        if found:
            data.pop("scenario")
            skip = True
        else:
            data["scenario"] = scenario

    def locate(loc: FieldPath) -> tuple[str, int | None]:
        return ".".join(str(p) for p in loc), doc.line_of(loc)

    try:
        spec = NegotiationSpec.model_validate(data)
    except ValidationError as exc:
        found = problems_from_validation(NegotiationSpec, exc, locate)
        if skip:  # the default scenario stood in for the broken one; its errors are noise
            found = [p for p in found if not p.path.startswith(("sides", "objectives"))]
        raise ScenarioError(doc.file, sorted(problems + found, key=_line)) from None
    if problems:
        raise ScenarioError(doc.file, problems)
    return spec


def _line(p: Problem) -> tuple[bool, int]:
    return (p.line is None, p.line or 0)


def _scenario(value: Any, folder: Path) -> tuple[Any, list[Problem]]:
    """The scenario a spec names (a file path), or the problems of naming it."""
    if not isinstance(value, str) or Path(value).suffix.lower() not in SCENARIO_SUFFIXES:
        message = (
            "expected the path of a scenario YAML file (.yaml), relative to the spec; "
            "leave the field out for the built-in Geneva 2021 baseline"
        )
        return None, [Problem("scenario", message, None, short_repr(value))]
    path = Path(value)
    if not path.is_absolute():
        path = folder / path
    try:
        return read_scenario_file(path).scenario, []
    except ScenarioError as exc:
        return None, [
            Problem("scenario", f"scenario file: {p.render(exc.file)}") for p in exc.problems
        ]


def _reachable(schema: dict[str, Any]) -> set[str]:
    """Names of the ``$defs`` reachable from the schema's own properties."""
    defs = schema.get("$defs", {})
    seen: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                name = ref.rsplit("/", 1)[1]
                if name not in seen:
                    seen.add(name)
                    walk(defs.get(name))
            for key, child in node.items():
                if key != "$defs":
                    walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(schema)
    return seen


def negotiation_spec_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of a negotiation spec file.

    ``scenario`` is a path; the kinds of levers, objectives and constraints,
    and the definitions, are listed from their registries.
    """
    schema = copy.deepcopy(NegotiationSpec.model_json_schema(mode="validation"))
    schema["properties"]["scenario"] = {
        "type": "string",
        "pattern": r"\.[yY][aA]?[mM][lL]$",
        "description": "Path of a scenario YAML file, relative to the spec (left out: the "
        "built-in Geneva 2021 baseline).",
    }
    defs = schema["$defs"]
    defs["Lever"]["properties"]["kind"]["enum"] = list(LEVER_KINDS)
    defs["Objective"]["properties"]["kind"]["enum"] = list(OBJECTIVE_KINDS)
    defs["Constraint"]["properties"]["kind"]["enum"] = list(CONSTRAINT_KINDS)
    defs["Objective"]["properties"]["definition"]["anyOf"][0]["enum"] = list(DEFINITIONS)
    keep = _reachable(schema)
    schema["$defs"] = {k: v for k, v in defs.items() if k in keep}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "detente negotiation spec",
        **{k: v for k, v in schema.items() if k != "title"},
    }


__all__ = ["load_negotiation_spec", "negotiation_spec_schema"]
