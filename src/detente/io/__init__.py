"""Layer 3: reading and writing files (scenario and treaty YAML with located errors, schema)."""

from detente.io.changes import with_changes
from detente.io.merge import deep_merge
from detente.io.scenario_yaml import (
    ScenarioFile,
    dump_scenario,
    load_scenario,
    read_scenario_file,
    read_scenario_text,
)
from detente.io.treaty_yaml import load_treaty_file
from detente.io.yaml_source import YamlDocument, load_yaml_file

__all__ = [
    "ScenarioFile",
    "YamlDocument",
    "deep_merge",
    "dump_scenario",
    "load_scenario",
    "load_treaty_file",
    "load_yaml_file",
    "read_scenario_file",
    "read_scenario_text",
    "with_changes",
]
