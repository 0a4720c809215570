"""Sweep specification files: reading them with located errors.

A sweep file is :class:`~detente.model.sweep.SweepSpec` written as YAML
(``docs/sweeps.md``). It is read by the same strict reader as scenarios, and
every problem is reported together, each at its line: a field of the wrong
type, a lever path that names nothing (with the nearest valid name), a lever
value the scenario refuses (checked by :func:`~detente.io.with_changes`, one
value at a time), an unknown definition, reading or side.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from detente.analysis.experiments import Experiments, check_parameters
from detente.analysis.sweep import SweepPlan, lever_levels
from detente.errors import DetenteError, Problem, ScenarioError
from detente.examples import geneva_2021
from detente.io.changes import with_changes
from detente.io.errors import problems_from_validation, short_repr
from detente.io.scenario_yaml import dotted, read_scenario_document, read_scenario_file
from detente.io.yaml_source import FieldPath, YamlDocument, load_yaml_file, parse_yaml_text
from detente.model.paths import PathError, is_whole_number, resolve
from detente.model.perspective import BUILT_IN_PERSPECTIVES
from detente.model.scenario import Scenario
from detente.model.sweep import MAX_POINTS, Lever, SweepSpec
from detente.stability import DEFINITIONS

BUILT_IN_SCENARIOS: Mapping[str, Callable[[], Scenario]] = {"geneva_2021": geneva_2021}
"""Scenarios a sweep may start from by name."""

MAX_CHECKED_VALUES = 1_000
"""Most lever values a sweep file has checked against its scenario: each listed value,
option and distinct case value of a lever that sets field paths (a range counts its two
ends). Each check builds and validates the changed scenario, about 2.5 ms on the 2021
baseline, so reading stays within a few seconds."""

SweepSource = str | Path | Mapping[str, Any]


def _document(source: SweepSource) -> YamlDocument:
    if isinstance(source, Mapping):
        return YamlDocument(file="<mapping>", data=dict(source), lines={})
    if isinstance(source, str) and ("\n" in source or source.lstrip().startswith("{")):
        return parse_yaml_text(source, "<string>")
    return load_yaml_file(source)


class _Reader:
    """Problems of one sweep file, each at the line of the field it is about."""

    def __init__(self, doc: YamlDocument) -> None:
        self.doc = doc
        self.problems: list[Problem] = []
        self.checking = True

    def add(self, at: FieldPath, message: str, value: Any = None) -> None:
        shown = None if value is None else short_repr(value)
        self.problems.append(Problem(dotted(at), message, self.doc.line_of(at), shown))

    def fail(self) -> ScenarioError:
        ordered = sorted(self.problems, key=lambda p: (p.line is None, p.line or 0))
        return ScenarioError(self.doc.file, ordered)

    def spec(self) -> SweepSpec | None:
        data = self.doc.data
        if not isinstance(data, Mapping):
            what = "empty" if data is None else f"a {type(data).__name__}, not a mapping"
            self.add((), f"the file is {what}; expected a mapping of sweep fields")
            return None
        try:
            return SweepSpec.model_validate(data)
        except ValidationError as exc:
            self.problems += problems_from_validation(
                SweepSpec, exc, lambda loc: (dotted(loc), self.doc.line_of(loc))
            )
            return None

    def scenario(self, spec: SweepSpec) -> Scenario | None:
        """The base scenario: inline, a built-in name, or a file beside the sweep file."""
        source = spec.scenario
        if isinstance(source, dict):
            prefix = ("scenario",)
            lines = {path[1:]: line for path, line in self.doc.lines.items() if path[:1] == prefix}
            try:
                doc = YamlDocument(self.doc.file, source, lines)
                return read_scenario_document(doc).scenario
            except ScenarioError as exc:
                for p in exc.problems:
                    path = f"scenario.{p.path}" if p.path else "scenario"
                    self.problems.append(Problem(path, p.message, p.line, p.value))
                return None
        if source in BUILT_IN_SCENARIOS:
            return BUILT_IN_SCENARIOS[source]()
        base = Path(self.doc.file).parent if not self.doc.file.startswith("<") else Path()
        found = base / source
        if not found.exists():
            close = difflib.get_close_matches(source, list(BUILT_IN_SCENARIOS), n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            self.add(
                ("scenario",),
                f"no scenario file {str(found)!r} and no built-in scenario of that name; {hint}"
                f"expected a scenario file (relative to this file) or one of: "
                f"{', '.join(BUILT_IN_SCENARIOS)}",
                source,
            )
            return None
        return read_scenario_file(found).scenario  # its own errors name its own file

    def check_value(self, scenario: Scenario, changes: Mapping[str, Any], at: FieldPath) -> None:
        if not self.checking:
            return
        try:
            with_changes(scenario, changes)
        except ScenarioError as exc:
            for p in exc.problems:
                message = f"{p.path}: {p.message}"
                self.problems.append(Problem(dotted(at), message, self.doc.line_of(at), p.value))

    def lever(self, scenario: Scenario, spec: SweepSpec, i: int, lever: Lever) -> None:
        at: FieldPath = ("levers", i)
        data = scenario.model_dump()
        whole = True
        for j, path in enumerate(lever.paths):
            where = (*at, "path", j) if isinstance(lever.path, tuple) else (*at, "path")
            try:
                whole = whole and is_whole_number(resolve(data, path)[1])
            except PathError as exc:
                self.add(where, exc.reason, path)
                return
        if lever.multiplier is not None:
            try:
                check_parameters(scenario, Experiments.from_mapping({lever.multiplier: 1.0}))
            except DetenteError as exc:
                self.add((*at, "multiplier"), str(exc), lever.multiplier)
                return
            bad = [v for v in lever.values if isinstance(v, str | bool) or v <= 0]
            if bad or (lever.range is not None and lever.range.low <= 0):
                self.add(at, "a multiplier must be a number above 0", bad or lever.range)
            return
        if lever.options is not None:
            for name, changes in lever.options.items():
                self._option(scenario, at, name, changes)
            return
        whole = whole and bool(lever.paths)
        if lever.range is not None:
            self._range(scenario, spec, at, lever, whole)
            return
        for k, value in enumerate(lever.values):
            self.check_value(scenario, dict.fromkeys(lever.paths, value), (*at, "values", k))

    def _option(
        self, scenario: Scenario, at: FieldPath, name: str, changes: Mapping[str, Any]
    ) -> None:
        where = (*at, "options", name)
        if not self.checking:
            return
        try:
            with_changes(
                scenario,
                changes,
                file=self.doc.file,
                line_of=lambda p: self.doc.line_of((*where, p)),
            )
        except ScenarioError as exc:
            for p in exc.problems:
                self.problems.append(
                    Problem(f"{dotted(where)}.{p.path}", p.message, p.line, p.value)
                )

    def _range(
        self, scenario: Scenario, spec: SweepSpec, at: FieldPath, lever: Lever, whole: bool
    ) -> None:
        r = lever.range
        assert r is not None
        if spec.design == "grid" and r.steps is None:
            self.add((*at, "range"), "a range on a grid needs steps: the number of values")
            return
        if spec.design == "latin_hypercube" and r.steps is not None:
            self.add(
                (*at, "range", "steps"),
                "a latin_hypercube samples the range continuously; remove steps "
                "(or give values to sample from)",
            )
        for end, value in (("low", r.low), ("high", r.high)):
            v: float | int = round(value) if whole else value
            self.check_value(scenario, dict.fromkeys(lever.paths, v), (*at, "range", end))

    def keep(self, scenario: Scenario, spec: SweepSpec) -> None:
        keep = spec.keep
        actors = [s.actor for s in scenario.sides]
        readings = [p.id for p in BUILT_IN_PERSPECTIVES]
        for name, given, known in (
            ("definitions", keep.definitions, list(DEFINITIONS)),
            ("readings", keep.readings, readings),
            ("sides", keep.sides, actors),
        ):
            for k, item in enumerate(given or ()):
                if item not in known:
                    close = difflib.get_close_matches(item, known, n=1)
                    hint = f"did you mean {close[0]!r}? " if close else ""
                    self.add(
                        ("keep", name, k),
                        f"unknown {name[:-1]}; {hint}expected one of: {', '.join(known)}",
                        item,
                    )
        if keep.sides is not None and len(set(keep.sides)) < 2:
            self.add(("keep", "sides"), "name two or more different sides", list(keep.sides))

    def cases(self, scenario: Scenario, spec: SweepSpec) -> None:
        names = [lv.name for lv in spec.levers]
        checked: set[tuple[str, str]] = set()
        for i, case in enumerate(spec.cases):
            for key in case:
                if key not in names:
                    close = difflib.get_close_matches(key, names, n=1)
                    hint = f"did you mean {close[0]!r}? " if close else ""
                    self.add(
                        ("cases", i, key),
                        f"unknown lever; {hint}expected one of: " + ", ".join(names),
                    )
            missing = [n for n in names if n not in case]
            if missing:
                self.add(("cases", i), f"gives no value for lever(s) {', '.join(missing)}")
            for lever in spec.levers:
                if lever.name not in case or (lever.name, repr(case[lever.name])) in checked:
                    continue
                checked.add((lever.name, repr(case[lever.name])))
                value = case[lever.name]
                at = ("cases", i, lever.name)
                if lever.options is not None:
                    if value not in lever.options:
                        self.add(
                            at,
                            "not an option of this lever; expected one of: "
                            + ", ".join(lever.options),
                            value,
                        )
                elif lever.multiplier is not None:
                    if isinstance(value, str | bool) or value <= 0:
                        self.add(at, "a multiplier must be a number above 0", value)
                else:
                    self.check_value(scenario, dict.fromkeys(lever.paths, value), at)

    def budget(self, spec: SweepSpec) -> None:
        """Refuse (before checking any) more lever values than can be checked quickly."""
        listed = 0
        in_cases: set[tuple[str, str]] = set()
        for lever in spec.levers:
            if lever.options is not None:
                listed += len(lever.options)
            elif lever.multiplier is None:
                listed += 2 if lever.range is not None else len(lever.values)
                in_cases.update(
                    (lever.name, repr(c[lever.name])) for c in spec.cases if lever.name in c
                )
        if listed + len(in_cases) <= MAX_CHECKED_VALUES:
            return
        self.checking = False
        self.add(
            ("cases",) if len(in_cases) > listed else ("levers",),
            f"the file lists {listed + len(in_cases):,} lever values to check against the "
            f"scenario ({listed:,} in levers, {len(in_cases):,} distinct in cases), above the "
            f"limit of {MAX_CHECKED_VALUES:,} (MAX_CHECKED_VALUES, see docs/limits.md); "
            "use a range (checked at its two ends) or a latin_hypercube",
        )

    def size(self, spec: SweepSpec) -> None:
        if spec.design != "grid":
            return
        points = 1
        for lever in spec.levers:
            try:
                points *= len(lever_levels(lever, whole=False))
            except DetenteError:
                return  # reported with the lever
        if points > MAX_POINTS:
            self.add(
                ("levers",),
                f"the grid has {points:,} points, above the limit of {MAX_POINTS:,} "
                "(MAX_POINTS, see docs/limits.md); use fewer values or a latin_hypercube",
            )


def load_sweep(source: SweepSource, *, chunk_size: int | None = None) -> SweepPlan:
    """Read a sweep file (or YAML text, or a mapping) and plan it.

    Parameters
    ----------
    source
        The sweep file; or YAML text (a string spanning lines); or a mapping.
    chunk_size
        Experiments per chunk, overriding the file's ``chunk_size``.

    Returns
    -------
    SweepPlan
        The sweep, its base scenario and its points.

    Raises
    ------
    ScenarioError
        With every problem of the file, each at its line and field path.
    """
    doc = _document(source)
    reader = _Reader(doc)
    spec = reader.spec()
    if spec is None:
        raise reader.fail()
    scenario = reader.scenario(spec)
    if scenario is None:
        raise reader.fail()
    reader.budget(spec)
    for i, lever in enumerate(spec.levers):
        reader.lever(scenario, spec, i, lever)
    reader.keep(scenario, spec)
    reader.cases(scenario, spec)
    reader.size(spec)
    if reader.problems:
        raise reader.fail()
    return SweepPlan.build(spec, scenario, chunk_size=chunk_size)


__all__ = ["BUILT_IN_SCENARIOS", "MAX_CHECKED_VALUES", "load_sweep"]
