"""JSON Schema of the scenario *file* format (for editors and external validators).

The schema is the pydantic model's own schema with the file format's
extensions: a side's ``posture`` is a built-in name or an inline posture, and
a side may carry an ``override`` mapping of posture fields.
"""

from __future__ import annotations

import copy
from typing import Any

from detente.data import posture_names
from detente.model.posture import Posture
from detente.model.scenario import Scenario

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def scenario_file_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of a scenario YAML file.

    Returns
    -------
    dict
        The schema. ``posture`` accepts one of the built-in posture names or
        an inline posture object; ``override`` is an object whose top-level
        keys are posture fields (its contents are checked when the file is
        loaded, after merging).

    Examples
    --------
    >>> schema = scenario_file_schema()
    >>> sorted(schema["$defs"]["Side"]["properties"])
    ['factors', 'override', 'posture']
    """
    schema = copy.deepcopy(Scenario.model_json_schema(mode="validation"))
    side = schema["$defs"]["Side"]
    names = list(posture_names())
    builtin: dict[str, Any] = {"type": "string", "description": "Name of a built-in posture."}
    if names:
        builtin["enum"] = names
    side["properties"]["posture"] = {
        "description": "A built-in posture name, or a full posture written inline.",
        "anyOf": [builtin, {"$ref": "#/$defs/Posture"}],
    }
    side["properties"]["override"] = {
        "type": "object",
        "description": "Posture fields deep-merged into `posture`: mappings merge by key, "
        "lists of items with `id` merge by id (`remove: true` drops an item), other "
        "values replace.",
        "propertyNames": {"enum": list(Posture.model_fields)},
    }
    return {
        "$schema": SCHEMA_DIALECT,
        "title": "detente scenario file",
        **{k: v for k, v in schema.items() if k != "title"},
    }


def sweep_file_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of a sweep specification file (``docs/sweeps.md``).

    Returns
    -------
    dict
        The schema of :class:`~detente.model.sweep.SweepSpec`; ``scenario`` is
        a file path, a built-in scenario name or an inline scenario (checked
        as a scenario file when the sweep is loaded).

    Examples
    --------
    >>> sorted(sweep_file_schema()["properties"])[:4]
    ['cases', 'chunk_size', 'design', 'draws']
    """
    from detente.model.sweep import SweepSpec

    schema = copy.deepcopy(SweepSpec.model_json_schema(mode="validation"))
    return {
        "$schema": SCHEMA_DIALECT,
        "title": "detente sweep file",
        **{k: v for k, v in schema.items() if k != "title"},
    }
