"""`detente schema`: a valid JSON Schema that accepts good files and rejects broken ones."""

import json
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from detente.cli import app
from detente.cli.base import run
from detente.data import posture_names
from detente.io.schema import scenario_file_schema

ROOT = Path(__file__).parent.parent
VALID = sorted((ROOT / "tests" / "scenarios" / "valid").glob("*.yaml"))
EXAMPLES = sorted(p for p in (ROOT / "examples").glob("*.yaml") if "sweep" not in p.name)


def _as_json(path: Path):
    # editors see YAML dates as strings; JSON has no date type
    return json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))


def _leaves(errors):
    """The innermost errors (those under a failed `anyOf` branch included)."""
    for error in errors:
        if error.context:
            yield from _leaves(error.context)
        else:
            yield error


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = scenario_file_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def test_cli_prints_the_same_schema(monkeypatch, capsys):
    monkeypatch.setattr("sys.argv", ["detente", "schema"])
    assert run(app) == 0
    printed = json.loads(capsys.readouterr().out)
    Draft202012Validator.check_schema(printed)
    assert printed == scenario_file_schema()


@pytest.mark.parametrize("path", VALID + EXAMPLES, ids=lambda p: p.name)
def test_valid_files_pass(validator, path):
    errors = [e.message for e in validator.iter_errors(_as_json(path))]
    assert errors == []


@pytest.mark.parametrize(
    ("stem", "words"),
    [
        ("unknown-key", "'cepm' was unexpected"),
        ("reliability-out-of-range", "1.4 is greater than the maximum of 1"),
        ("negative-count", "-5 is less than the minimum of 0"),
        ("one-side", "is too short"),
        ("unknown-top-level-key", "'treaty_id' was unexpected"),
        ("bad-category", "'icbm_sillo' is not one of"),
    ],
)
def test_broken_files_fail(validator, stem, words):
    data = _as_json(ROOT / "tests" / "scenarios" / "invalid" / f"{stem}.yaml")
    messages = " / ".join(e.message for e in _leaves(validator.iter_errors(data)))
    assert words in messages


def test_posture_is_a_builtin_name_or_inline(validator):
    side = scenario_file_schema()["$defs"]["Side"]
    assert set(side["properties"]) == {"posture", "factors", "override"}
    options = side["properties"]["posture"]["anyOf"]
    assert {"$ref": "#/$defs/Posture"} in options
    names = list(posture_names())
    if names:
        assert options[0]["enum"] == names
        data = _as_json(VALID[0])
        data["sides"][0] = {"posture": "no-such-posture"}
        assert not validator.is_valid(data)
        data["sides"][0] = {"posture": names[0], "override": {"alert": "generated"}}
        assert validator.is_valid(data)


def test_override_keys_must_be_posture_fields(validator):
    data = _as_json(VALID[0])
    data["sides"][0]["override"] = {"alret": "generated"}
    assert not validator.is_valid(data)
    data["sides"][0]["override"] = {"alert": "generated"}
    assert validator.is_valid(data)
