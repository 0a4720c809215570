"""Property tests: whatever a scenario file holds, loading gives a Scenario or a ScenarioError."""

import copy
import math
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from detente.errors import ScenarioError
from detente.io import dump_scenario, load_scenario
from detente.model import Scenario

VALID = Path(__file__).parent / "scenarios" / "valid"
BASE = yaml.safe_load((VALID / "toy-dyad.yaml").read_text(encoding="utf-8"))


def _paths(data: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path to a node of ``data`` (root excluded)."""
    out = []
    items = (
        data.items()
        if isinstance(data, dict)
        else enumerate(data)
        if isinstance(data, list)
        else ()
    )
    for key, value in items:
        out.append((*prefix, key))
        out.extend(_paths(value, (*prefix, key)))
    return out


PATHS = _paths(BASE)
SHALLOW = [p for p in PATHS if len(p) <= 3]


def _deep(depth: int) -> Any:
    value: Any = "bottom"
    for i in range(depth):
        value = [value] if i % 2 else {"k": value}
    return value


replacements = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=10**20, max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([-1, -1e300, 1.4, 2, 1e308, 0, 1e-320]),
    st.text(max_size=30),
    st.sampled_from(["", " ", "ünïcødé ✓", "🚀" * 5, "\u202e", "yes", "null", "1e3"]),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
    st.integers(min_value=1, max_value=60).map(_deep),
)


@st.composite
def mutated(draw: st.DrawFn) -> Any:
    data = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        # shallow paths are few among many deep ones; draw them often enough too
        path = draw(st.sampled_from(PATHS) | st.sampled_from(SHALLOW))
        parent = data
        try:
            for key in path[:-1]:
                parent = parent[key]
            action = draw(st.sampled_from(["delete", "replace", "add"]))
            if action == "delete":
                del parent[path[-1]]
            elif action == "replace":
                parent[path[-1]] = draw(replacements)
            elif isinstance(parent, dict):
                parent[draw(st.text(min_size=1, max_size=8))] = draw(replacements)
            elif isinstance(parent, list):
                parent.append(draw(replacements))
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed or replaced this part
    return data


def _load(text: str) -> Scenario | ScenarioError:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "s.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            return load_scenario(path)
        except ScenarioError as exc:
            return exc


def _check(result: Scenario | ScenarioError) -> None:
    if isinstance(result, ScenarioError):
        assert result.problems
        for problem in result.problems:
            assert problem.line is not None and problem.line >= 1
            assert problem.message
            assert "Traceback" not in problem.render(result.file)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
@example({"name": 7, "sides": 3})
@example({**BASE, "sides": [1, {"posture": 2}, {"posture": {"systems": 3}}]})
@example({**BASE, "sides": "two"})
def test_mutated_scenario_loads_or_raises_scenario_error(data):
    _check(_load(yaml.safe_dump(data, allow_unicode=True)))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_loads_or_raises_scenario_error(text):
    _check(_load(text))


@settings(max_examples=60, deadline=None)
@given(
    label=st.text(max_size=40),
    cep=st.floats(min_value=1e-3, max_value=1e5),
    reliability=st.floats(min_value=0.0, max_value=1.0),
    launchers=st.integers(min_value=0, max_value=10**6),
)
def test_round_trip_of_varied_valid_scenarios(label, cep, reliability, launchers):
    data = copy.deepcopy(BASE)
    data["label"] = label
    system = data["sides"][0]["posture"]["systems"][0]
    system.update(cep_m=cep, reliability=reliability, launchers_deployed=launchers)
    scenario = Scenario.model_validate(data)
    again = _load(dump_scenario(scenario))
    assert again == scenario
    assert not isinstance(again, ScenarioError) and math.isclose(
        again.sides[0].posture.systems[0].cep_m, cep
    )
