"""A scenario carries its treaty as an object: built-in id, treaty file or inline, one resolver."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator
from pydantic import ValidationError

from detente.analysis.assess import assess
from detente.analysis.treaty_view import treaty_view
from detente.data import builtin_treaty_id, load_treaty, resolve_treaty
from detente.errors import ScenarioError, UnknownNameError
from detente.examples import geneva_2021, toy_dyad
from detente.io import dump_scenario, load_scenario
from detente.io.schema import scenario_file_schema
from detente.io.treaty_yaml import resolve_treaty_reference
from detente.model.scenario import Scenario
from detente.model.treaty import Treaty

ROOT = Path(__file__).parent.parent
TOY = ROOT / "tests" / "scenarios" / "valid" / "toy-dyad.yaml"

LOW_CEILING = """\
id: low_ceiling
label: Low ceiling
counting:
  - quantity: deployed_warheads
    measure: loaded_warheads
limits:
  - id: deployed_warheads
    quantity: deployed_warheads
    ceiling: 10
"""


def _with_treaty(tmp_path: Path, treaty_text: str) -> Path:
    """The toy scenario file with ``treaty_text`` as its treaty line(s), in ``tmp_path``."""
    lines = TOY.read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if not line.startswith("treaty:")]
    path = tmp_path / "scenario.yaml"
    path.write_text("\n".join([*kept, treaty_text]) + "\n", encoding="utf-8")
    return path


def test_built_in_names_resolve_in_one_place():
    assert resolve_treaty("new_start") == resolve_treaty("new-start") == load_treaty("new-start")
    with pytest.raises(UnknownNameError, match="expected one of: all_warheads"):
        resolve_treaty("salt_9")
    assert builtin_treaty_id(load_treaty("new-start")) == "new_start"
    other = load_treaty("new-start").model_copy(update={"label": "changed"})
    assert builtin_treaty_id(other) is None


def test_a_scenario_holds_a_treaty_object():
    s = geneva_2021()
    assert isinstance(s.treaty, Treaty)
    assert s.treaty == load_treaty("new-start")
    with pytest.raises(ValidationError, match="unknown treaty 'new_strat'"):
        Scenario.model_validate({**s.model_dump(), "treaty": "new_strat"})


def test_a_treaty_object_put_on_a_scenario_is_the_one_counted():
    low = load_treaty("new-start").model_copy(
        update={
            "id": "low",
            "limits": tuple(
                lim.model_copy(update={"ceiling": 100}) for lim in load_treaty("new-start").limits
            ),
        }
    )
    base = geneva_2021()
    views = treaty_view(base.model_copy(update={"treaty": low}))
    assert [v.treaty for v in views] == ["low", "low"]
    assert [v.complies for v in views] == [False, False]
    assert all(v.complies for v in treaty_view(base))
    # a built-in id in model_copy is resolved like a constructor argument
    again = toy_dyad().model_copy(update={"treaty": "new_start"})
    assert again.treaty == load_treaty("new-start")


def test_json_names_a_built_in_treaty_by_its_id():
    data = assess(toy_dyad(icbms=10).model_copy(update={"treaty": "new_start"})).to_dict()
    assert data["scenario"]["treaty"] == "new_start"
    assert assess(toy_dyad(icbms=10)).to_dict()["scenario"]["treaty"] is None


def test_a_scenario_file_may_name_a_treaty_file_beside_it(tmp_path):
    (tmp_path / "designs").mkdir()
    (tmp_path / "designs" / "low.yaml").write_text(LOW_CEILING, encoding="utf-8")
    scenario = load_scenario(_with_treaty(tmp_path, "treaty: designs/low.yaml"))
    assert scenario.treaty is not None and scenario.treaty.id == "low_ceiling"
    assert [lim.ceiling for lim in scenario.treaty.limits] == [10]


def test_a_scenario_file_may_write_its_treaty_inline(tmp_path):
    inline = "treaty:\n" + "".join(f"  {line}\n" for line in LOW_CEILING.splitlines())
    scenario = load_scenario(_with_treaty(tmp_path, inline))
    assert scenario.treaty == resolve_treaty_reference("low.yaml", relative_to=_low(tmp_path))


def _low(tmp_path: Path) -> Path:
    (tmp_path / "low.yaml").write_text(LOW_CEILING, encoding="utf-8")
    return tmp_path


def test_an_inline_treaty_error_is_located(tmp_path):
    bad = LOW_CEILING.replace("ceiling: 10", "ceiling: -3")
    inline = "treaty:\n" + "".join(f"  {line}\n" for line in bad.splitlines())
    path = _with_treaty(tmp_path, inline)
    line = path.read_text(encoding="utf-8").splitlines().index("      ceiling: -3") + 1
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    [problem] = info.value.problems
    assert (problem.path, problem.line, problem.value) == ("treaty.limits.0.ceiling", line, "-3")


def test_a_broken_treaty_file_is_reported_at_the_treaty_with_its_own_line(tmp_path):
    (tmp_path / "low.yaml").write_text(LOW_CEILING.replace("ceiling: 10", "ceiling: ten"))
    path = _with_treaty(tmp_path, "treaty: low.yaml")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    [problem] = info.value.problems
    assert problem.path == "treaty"
    assert problem.line == len(path.read_text(encoding="utf-8").splitlines())
    assert "low.yaml:9: limits.0.ceiling:" in problem.message


def test_a_missing_treaty_file_and_an_unknown_name_are_errors(tmp_path):
    with pytest.raises(ScenarioError, match=r"treaty: treaty file: .*missing\.yaml"):
        load_scenario(_with_treaty(tmp_path, "treaty: missing.yaml"))
    with pytest.raises(ScenarioError, match="unknown treaty; expected one of: all_warheads"):
        load_scenario(_with_treaty(tmp_path, "treaty: salt_9"))


def test_dump_writes_a_built_in_treaty_by_id_and_any_other_inline(tmp_path):
    s = geneva_2021()
    assert "\ntreaty: new_start\n" in dump_scenario(s)
    dump_scenario(s, tmp_path / "same.yaml")
    assert load_scenario(tmp_path / "same.yaml") == s
    low = resolve_treaty_reference("low.yaml", relative_to=_low(tmp_path))
    custom = s.model_copy(update={"treaty": low})
    text = dump_scenario(custom, tmp_path / "out.yaml")
    assert "id: low_ceiling" in text
    assert load_scenario(tmp_path / "out.yaml") == custom


def test_the_schema_accepts_every_form_of_treaty():
    validator = Draft202012Validator(scenario_file_schema())
    base = json.loads(json.dumps(yaml.safe_load(TOY.read_text()), default=str))
    for treaty in ("new_start", "new-start", "designs/low.yaml", {"id": "x"}, None):
        assert list(validator.iter_errors({**base, "treaty": treaty})) == []
    assert list(validator.iter_errors({**base, "treaty": "salt_9"})) != []


def test_a_scenario_given_as_text_or_a_mapping_cannot_name_a_treaty_file(tmp_path):
    treaty = tmp_path / "t.yaml"
    treaty.write_text("id: t\nlabel: T\n", encoding="utf-8")
    base = {"name": "x", "sides": [{"posture": "us-2021"}, {"posture": "ru-2021"}]}
    for source in (
        {**base, "treaty": str(treaty)},
        yaml.safe_dump({**base, "treaty": str(treaty)}),
    ):
        with pytest.raises(ScenarioError, match="cannot name a treaty file"):
            load_scenario(source)
