"""Where a dashboard scenario comes from: the built-in baseline, a shipped example, posted YAML.

Every scenario the API computes is read by the same reader as a scenario file
(:func:`detente.io.read_scenario_text`), so a posted text gets the same located
errors as ``detente validate``. Names in a request are looked up in fixed lists
(the built-in scenarios, the example files found when the server started); a
request never names a file.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from detente.errors import DetenteError, UnknownNameError
from detente.examples import geneva_2021
from detente.io import ScenarioFile, read_scenario_text
from detente.io.yaml_source import MAX_FILE_BYTES, parse_yaml_text
from detente.model.scenario import Scenario
from detente.web.levers import treaty_label
from detente.web.limits import MAX_YAML_CHARS


@dataclass(frozen=True)
class BuiltinScenario:
    """A scenario built in code, and the built-in postures its sides are."""

    build: Callable[[], Scenario]
    postures: tuple[str, ...]


BUILTINS: dict[str, BuiltinScenario] = {
    "geneva-2021": BuiltinScenario(geneva_2021, ("us-2021", "ru-2021")),
}
"""Built-in scenarios by name (the CLI's default ``assess`` is ``geneva-2021``)."""


def _close(name: str, known: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    return f"did you mean {close[0]!r}? " if close else ""


def _unknown(what: str, name: str, known: tuple[str, ...]) -> UnknownNameError:
    listed = ", ".join(known) if known else "(none installed)"
    shown = name if len(name) <= 80 else name[:77] + "..."
    return UnknownNameError(
        f"unknown {what} {shown!r}; {_close(name, known)}expected one of: {listed}"
    )


def builtin_text(name: str) -> str:
    """The built-in scenario ``name`` written as a short scenario file."""
    if name not in BUILTINS:
        raise _unknown("built-in scenario", name, tuple(BUILTINS))
    entry = BUILTINS[name]
    s = entry.build()
    data: dict[str, Any] = {
        "name": s.name,
        "label": s.label,
        "question": s.question,
        "date": s.date,
        "treaty": None if s.treaty is None else treaty_label(s.treaty),
        "sides": [{"posture": p} for p in entry.postures],
    }
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=88)


def examples_dir() -> Path | None:
    """The folder of example scenarios: shipped in the package, else the source checkout's."""
    shipped = resources.files("detente.web").joinpath("examples")
    if shipped.is_dir():
        return Path(str(shipped))
    checkout = Path(__file__).resolve().parents[3] / "examples"
    return checkout if checkout.is_dir() else None


@functools.cache
def _examples() -> dict[str, str]:
    """Example name (file stem) -> text of every valid scenario file, read once.

    The examples folder also holds files that are not scenarios (study
    specifications); only files that read as valid scenarios are offered.
    """
    folder = examples_dir()
    if folder is None:
        return {}
    out = {}
    for path in sorted(folder.glob("*.yaml")):
        if not path.is_file() or path.stat().st_size > MAX_FILE_BYTES:
            continue
        text = path.read_text(encoding="utf-8")
        try:
            read_scenario_text(text, path.name)
        except DetenteError:
            continue
        out[path.stem] = text
    return out


def example_names() -> tuple[str, ...]:
    """Names of the example scenarios (``bmd-expansion`` ...)."""
    return tuple(_examples())


def example_text(name: str) -> str:
    """The text of the example scenario ``name``."""
    texts = _examples()
    if name not in texts:
        raise _unknown("example", name, tuple(texts))
    return texts[name]


@functools.cache
def example_summary(name: str) -> tuple[str, str]:
    """(label, question) of an example, as written in its file (empty when absent)."""
    doc = parse_yaml_text(example_text(name), f"{name}.yaml")
    data = doc.data if isinstance(doc.data, dict) else {}
    label, question = data.get("label", ""), data.get("question", "")
    return (label if isinstance(label, str) else "", question if isinstance(question, str) else "")


POSTED = "posted scenario"
"""What error messages call a posted text in place of a file name."""


def read_builtin(name: str) -> ScenarioFile:
    """The built-in scenario ``name`` (read from its short file form)."""
    return read_scenario_text(builtin_text(name), f"{name} (built-in)")


def read_example(name: str) -> ScenarioFile:
    """The example scenario ``name``."""
    return read_scenario_text(example_text(name), f"{name}.yaml")


def read_posted(text: str) -> ScenarioFile:
    """A posted scenario text."""
    return read_scenario_text(text, POSTED)


class BuiltinSource(BaseModel):
    """A built-in scenario by name."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)
    kind: Literal["builtin"]
    name: str = Field(max_length=64, description="Built-in scenario name (GET /api/builtins).")


class ExampleSource(BaseModel):
    """A shipped example scenario by name."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)
    kind: Literal["example"]
    name: str = Field(max_length=64, description="Example name (GET /api/examples).")


class YamlSource(BaseModel):
    """A scenario written as YAML, in the format of scenario files (docs/scenarios.md)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)
    kind: Literal["yaml"]
    text: str = Field(max_length=MAX_YAML_CHARS, description="The scenario file's text.")


Source = Annotated[BuiltinSource | ExampleSource | YamlSource, Field(discriminator="kind")]
"""Where a scenario comes from."""


def read_source(source: BuiltinSource | ExampleSource | YamlSource) -> ScenarioFile:
    """Read and validate the scenario ``source`` names or holds."""
    if isinstance(source, BuiltinSource):
        return read_builtin(source.name)
    if isinstance(source, ExampleSource):
        return read_example(source.name)
    return read_posted(source.text)


__all__ = [
    "BUILTINS",
    "POSTED",
    "BuiltinScenario",
    "BuiltinSource",
    "ExampleSource",
    "Source",
    "YamlSource",
    "builtin_text",
    "example_names",
    "example_summary",
    "example_text",
    "examples_dir",
    "read_builtin",
    "read_example",
    "read_posted",
    "read_source",
]
