"""Sweep files: located errors, the JSON Schema, and the shipped sweep examples."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from detente.errors import ScenarioError
from detente.examples import toy_dyad
from detente.io import dump_scenario
from detente.io.schema import sweep_file_schema
from detente.io.sweep_yaml import load_sweep

ROOT = Path(__file__).resolve().parents[1]
SWEEPS = sorted((ROOT / "examples").glob("*sweep*.yaml"))
WORKED = ROOT / "examples" / "bmd-alert-treaty-sweep.yaml"


def _problems(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as err:
        load_sweep(text)
    return str(err.value).splitlines()[1:]


def test_there_is_a_shipped_sweep_example():
    assert WORKED in SWEEPS


@pytest.mark.parametrize("path", SWEEPS, ids=[p.stem for p in SWEEPS])
def test_shipped_sweeps_load_and_match_the_schema(path):
    plan = load_sweep(path)
    assert plan.points >= 1
    jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), sweep_file_schema())
    header = "\n".join(line for line in path.read_text().splitlines() if line.startswith("#"))
    assert "Question:" in header


def test_the_worked_example_is_the_grid_the_docs_describe():
    plan = load_sweep(WORKED)
    assert plan.points == 11 * 4 * 2
    assert plan.levels["us_interceptors"] == tuple(range(0, 1001, 100))
    assert plan.levels["treaty"] == ("new_start", "lapsed")
    lapsed = plan.point_changes({"us_interceptors": 0, "ru_alert": 0.15, "treaty": "lapsed"})[0]
    assert lapsed["treaty"] == "no_treaty"
    assert lapsed["sides[us].systems[us_minuteman_iii].warheads_per_launcher"] == 2.0


def test_the_schema_is_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(sweep_file_schema())
    json.dumps(sweep_file_schema())


BAD = """\
name: bad
scenario: geneva_2021
levers:
  - name: bmd
    path: sides[us].defenses[us_gdm].interceptors
    values: [0, 100]
  - name: alert
    path: sides[ru].systems[ru_yars_mobile].alert.day_to_day
    values: [0.15, 1.5]
  - name: treaty
    options:
      lapsed:
        treaty: no_treaty
        sides[us].systems[us_minuteman_iii].warheads_per_launchr: 2.0
  - name: n
    path: sides[us].defenses[us_gmd].interceptors
    range: {low: 0, high: 100}
keep:
  definitions: [first_strik]
  readings: [fulll]
"""


def test_every_problem_is_reported_at_its_line():
    lines = _problems(BAD)
    assert lines == [
        "  <string>:5: levers.0.path: sides[us].defenses has no item with id 'us_gdm'; did you "
        "mean 'us_gmd'? expected one of: us_gmd, us_aegis_ashore_romania, us_aegis_bmd_ships, "
        "us_thaad, us_air_defense (got 'sides[us].defenses[us_gdm].interceptors')",
        "  <string>:9: levers.1.values.1: sides[ru].systems[ru_yars_mobile].alert.day_to_day: "
        "must be between 0 and 1 (got 1.5)",
        "  <string>:14: levers.2.options.lapsed.sides[us].systems[us_minuteman_iii]."
        "warheads_per_launchr: sides[us].systems[us_minuteman_iii] has no field "
        "'warheads_per_launchr'; did you mean 'warheads_per_launcher'? expected one of: "
        + lines[2].split("expected one of: ")[1],
        "  <string>:17: levers.3.range: a range on a grid needs steps: the number of values",
        "  <string>:19: keep.definitions.0: unknown definition; did you mean 'first_strike'? "
        "expected one of: first_strike, second_strike, damage_limitation, use_or_lose, "
        "arms_race (got 'first_strik')",
        "  <string>:20: keep.readings.0: unknown reading; did you mean 'full'? expected one "
        "of: full, us, ru, cn (got 'fulll')",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "name: x\nscenario: geneva_2021\nlevers: []\n",
            "<string>:3: levers: needs at least 1 item(s), got 0",
        ),
        (
            "name: x\nscenario: genva_2021\nlevers:\n  - {name: a, path: treaty, values: [x]}\n",
            "<string>:2: scenario: no scenario file 'genva_2021' and no built-in scenario of that "
            "name; did you mean 'geneva_2021'?",
        ),
        (
            "name: x\nscenario: geneva_2021\nlevers:\n  - {name: a, values: [1]}\n",
            "<string>:4: levers.0: a lever sets exactly one of: path, multiplier, options",
        ),
        (
            "name: x\nscenario: geneva_2021\ndesign: latin_hypercube\nlevers:\n"
            "  - {name: a, path: exchange.reserve_fraction, range: {low: 0, high: 1}}\n",
            "<string>:1: a latin_hypercube design needs samples",
        ),
        (
            "name: x\nscenario: geneva_2021\ndesign: latin_hypercube\nsamples: 4\nlevers:\n"
            "  - {name: a, path: exchange.reserve_fraction, range: {low: 0, high: 1, steps: 3}}\n",
            "<string>:6: levers.0.range.steps: a latin_hypercube samples the range continuously",
        ),
        (
            "name: x\nscenario: geneva_2021\nlevers:\n"
            "  - {name: a, multiplier: ru.cepp, values: [1]}\n",
            "<string>:4: levers.0.multiplier: unknown parameter 'ru.cepp'; did you mean 'ru.cep'?",
        ),
        (
            "name: x\nscenario: geneva_2021\nlevers:\n"
            "  - {name: a, multiplier: ru.cep, values: [0, 1]}\n",
            "<string>:4: levers.0: a multiplier must be a number above 0 (got [0])",
        ),
        (
            "name: x\nscenario: geneva_2021\nlevers:\n"
            "  - {name: a, path: 'sides[us].defenses[us_gmd].interceptors', "
            "range: {low: 0, high: 10000, steps: 10000}}\n"
            "  - {name: b, path: exchange.reserve_fraction, range: {low: 0, high: 1, "
            "steps: 10000}}\n",
            "<string>:3: levers: the grid has 100,000,000 points, above the limit of 10,000,000",
        ),
        (
            "name: x\nscenario: geneva_2021\ndesign: cases\nlevers:\n"
            "  - {name: a, options: {one: {}, two: {treaty: no_treaty}}}\n"
            "cases:\n  - {a: three}\n  - {b: one}\n",
            "<string>:7: cases.0.a: not an option of this lever; expected one of: one, two",
        ),
        ("- just\n- a list\n", "the file is a list, not a mapping"),
        (
            "name: x\nscenario: geneva_2021\ndesign: latin_hypercube\nsamples: 1000000\n"
            "levers:\n"
            + "".join(
                f"  - {{name: a{i}, path: exchange.reserve_fraction, range: {{low: 0, high: 1}}}}\n"
                for i in range(11)
            ),
            "<string>:4: samples: 1,000,000 samples of 11 lever(s) are 11,000,000 values, "
            "above the limit of 10,000,000 (MAX_SAMPLE_CELLS",
        ),
        (
            "name: x\nscenario: geneva_2021\nlevers:\n"
            "  - {name: a, path: 'sides[us].defenses[us_gmd].interceptors', "
            f"values: {list(range(1001))}}}\n",
            "<string>:3: levers: the file lists 1,001 lever values to check against the scenario "
            "(1,001 in levers, 0 distinct in cases), above the limit of 1,000 (MAX_CHECKED_VALUES",
        ),
        (
            "name: x\nscenario: geneva_2021\ndesign: cases\nlevers:\n"
            "  - {name: a, path: 'sides[us].defenses[us_gmd].interceptors', values: [1]}\n"
            "  - {name: b, options: {one: {}, two: {treaty: no_treaty}}}\ncases:\n"
            + "".join(f"  - {{a: {i % 999}, b: one}}\n" for i in range(5000)),
            "<string>:7: cases: the file lists 1,002 lever values to check against the scenario "
            "(3 in levers, 999 distinct in cases)",
        ),
    ],
)
def test_sweep_file_errors(text, expected):
    assert any(expected in line for line in _problems(text)), _problems(text)


def test_an_inline_scenario_is_checked_at_its_lines():
    text = (
        "name: x\nscenario:\n  name: inline\n  sides:\n    - posture: us-2021\n"
        "    - posture: ru-2012\nlevers:\n  - {name: a, path: treaty, values: [no_treaty]}\n"
    )
    assert _problems(text) == [
        "  <string>:6: scenario.sides.1.posture: unknown built-in posture; did you mean "
        "'ru-2025'? expected one of: cn-2021, cn-2025, cn-2030, cn-2035, ru-2021, ru-2025, "
        "us-2021, us-2025 (got 'ru-2012')"
    ]


def test_a_scenario_file_is_found_beside_the_sweep_file(tmp_path):
    (tmp_path / "toy.yaml").write_text(dump_scenario(toy_dyad(interceptors=10)))
    spec = tmp_path / "toy-sweep.yaml"
    spec.write_text(
        "name: toy\nscenario: toy.yaml\nlevers:\n"
        "  - {name: n, path: 'sides[a].defenses[area_bmd].interceptors', values: [0, 5]}\n"
    )
    plan = load_sweep(spec)
    assert plan.scenario == toy_dyad(interceptors=10)
    assert plan.points == 2
    (tmp_path / "toy.yaml").write_text("name: [broken\n")
    with pytest.raises(ScenarioError, match=r"toy\.yaml:2"):
        load_sweep(spec)
