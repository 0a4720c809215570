"""Scenario files: valid ones load, invalid ones name file, line and field; round trip."""

import datetime as dt
import re
from pathlib import Path

import pytest

from detente.errors import ScenarioError
from detente.io import dump_scenario, load_scenario, read_scenario_file

HERE = Path(__file__).parent / "scenarios"
VALID = sorted((HERE / "valid").glob("*.yaml"))
INVALID = sorted((HERE / "invalid").glob("*.yaml"))
HEADER = re.compile(rb"^# (?P<what>.+) \| line (?P<line>\d+) \| (?P<path>\S+)$")


def expectation(path: Path) -> tuple[int, str]:
    """Expected line and field path, from the file's first-line comment."""
    first = path.read_bytes().split(b"\n", 1)[0]
    match = HEADER.match(first)
    assert match, f"{path.name}: first line must be '# what | line N | path'"
    return int(match["line"]), match["path"].decode()


def test_there_are_enough_distinct_invalid_files():
    assert len(INVALID) >= 15
    assert len({p.read_bytes() for p in INVALID}) == len(INVALID)


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_file_names_line_and_field(path):
    line, field = expectation(path)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    error = info.value
    assert error.file == str(path)
    located = [(p.line, p.path) for p in error.problems]
    want = (line, "" if field == "-" else field)
    assert want in located, f"expected {want} among {located}"
    rendered = str(error)
    prefix = f"{path}:{line}:" + ("" if field == "-" else f" {field}:")
    assert prefix in rendered


def test_messages_say_what_is_expected():
    def message(stem: str) -> str:
        with pytest.raises(ScenarioError) as info:
            load_scenario(HERE / "invalid" / f"{stem}.yaml")
        return str(info.value)

    assert "must be between 0 and 1 (got 1.4)" in message("reliability-out-of-range")
    assert "did you mean 'cep_m'?" in message("unknown-key")
    assert "did you mean 'override'?" in message("unknown-side-key")
    assert "did you mean 'treaty'?" in message("unknown-top-level-key")
    assert "must not be negative (got -5)" in message("negative-count")
    assert "2 or 3 sides, got 1" in message("one-side")
    assert "2 or 3 sides, got 4" in message("four-sides")
    assert "expected a whole number (got 'many')" in message("wrong-type")
    assert "expected one of ['blue_silos', 'blue_cities'] (got 'blue_silo')" in message(
        "dangling-home-target"
    )
    assert "different actor" in message("same-actor-twice")
    assert "unknown built-in posture" in message("unknown-posture")
    assert "line 21" in message("yaml-syntax")  # where the unclosed mapping starts


def test_all_problems_of_a_file_are_reported_together(tmp_path):
    text = (HERE / "invalid" / "reliability-out-of-range.yaml").read_text()
    text = text.replace("cep_m: 150", "cepm: 150").replace(
        "home_target: blue_silos", "home_target: x"
    )
    text = text.replace("count: 150", "count: -150")
    path = tmp_path / "many.yaml"
    path.write_text(text)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    got = {(p.line, p.path) for p in info.value.problems}
    assert {
        (16, "sides.0.posture.systems.0.cepm"),
        (17, "sides.0.posture.systems.0.reliability"),
        (30, "sides.1.posture.targets.0.count"),
    } <= got
    # lines are in file order
    lines = [p.line for p in info.value.problems]
    assert lines == sorted(lines)


def test_cross_field_check_problems_are_located(tmp_path):
    # a dangling home_target and an alert-order problem, both found by check_scenario
    text = (HERE / "valid" / "toy-dyad.yaml").read_text()
    text = text.replace("home_target: red_garrisons", "home_target: red_garrison")
    text = text.replace("{day_to_day: 0.6, generated: 0.9}", "{day_to_day: 0.6, generated: 0.1}")
    path = tmp_path / "checks.yaml"
    path.write_text(text)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    got = {(p.line, p.path) for p in info.value.problems}
    assert got == {
        (42, "sides.0.posture.systems.1.alert.generated"),
        (63, "sides.1.posture.systems.0.home_target"),
    }


def test_toy_dyad_loads_with_its_values():
    s = load_scenario(HERE / "valid" / "toy-dyad.yaml")
    assert s.name == "toy_dyad"
    assert [side.actor for side in s.sides] == ["blue", "red"]
    blue = s.sides[0].posture
    assert blue.date == dt.date(2021, 7, 28)
    assert blue.system("blue_slbm").warheads_per_launcher == 4
    assert s.sides[1].factors.early_warning_satellites is False
    assert s.exchange.reserve_fraction == 0.2


def test_override_edits_removes_and_appends_by_id():
    loaded = read_scenario_file(HERE / "valid" / "three-sides-override.yaml")
    s = loaded.scenario
    blue = s.sides[0].posture
    assert [x.id for x in blue.systems] == ["blue_icbm", "blue_bomber"]
    icbm = blue.system("blue_icbm")
    assert icbm.cep_m == 120
    assert icbm.alert.day_to_day == 0.95  # kept from the posture
    assert icbm.alert.generated == 1.0  # from the override
    assert blue.alert == "generated"
    assert s.date == "2021-07-28"  # an unquoted date is read as its ISO text
    assert loaded.builtins == (None, None, None)
    assert s.sides[2].factors.cyber_c2_degradation == 0.2


def test_error_in_an_appended_override_item_points_into_the_override(tmp_path):
    text = (HERE / "valid" / "three-sides-override.yaml").read_text()
    text = text.replace(
        "          range_km: 11000\n          home_target: blue_bases",
        "          home_target: blue_bases",
    )
    path = tmp_path / "o.yaml"
    path.write_text(text)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    (problem,) = info.value.problems
    # the appended bomber is item 2 of the override (line 49) but item 1 of the merged posture
    assert (problem.line, problem.path) == (49, "sides.0.override.systems.2.range_km")


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_yaml_round_trip_gives_an_equal_scenario(path, tmp_path):
    scenario = load_scenario(path)
    out = tmp_path / "dumped.yaml"
    text = dump_scenario(scenario, out)
    assert out.read_text(encoding="utf-8") == text
    assert load_scenario(out) == scenario


def test_nothing_is_written_by_loading_an_invalid_file(tmp_path):
    src = (HERE / "invalid" / "unknown-key.yaml").read_bytes()
    path = tmp_path / "bad.yaml"
    path.write_bytes(src)
    with pytest.raises(ScenarioError):
        load_scenario(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.yaml"]
    assert path.read_bytes() == src


def test_cross_field_problems_of_a_valid_side_come_with_field_errors_of_another(tmp_path):
    text = (HERE / "valid" / "toy-dyad.yaml").read_text()
    text = text.replace("home_target: blue_ports", "home_target: blue_port")  # line 41
    text = text.replace("count: 150, hardness_psi: 5", "count: 150, hardness_psi: -5")  # line 67
    path = tmp_path / "mixed.yaml"
    path.write_text(text)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert [(p.line, p.path) for p in info.value.problems] == [
        (41, "sides.0.posture.systems.1.home_target"),
        (67, "sides.1.posture.targets.1.hardness_psi"),
    ]


def test_unknown_treaty_lists_the_built_in_ones():
    with pytest.raises(ScenarioError) as info:
        load_scenario(HERE / "invalid" / "unknown-treaty.yaml")
    assert "unknown treaty; " in str(info.value) and "expected one of:" in str(info.value)
    assert "new_start" in str(info.value)


@pytest.mark.examples
@pytest.mark.parametrize(
    "path",
    [HERE.parent.parent / "examples" / n for n in ("geneva-2021.yaml", "generated-alert.yaml")],
    ids=lambda p: p.name,
)
def test_examples_load(path):
    loaded = read_scenario_file(path)
    assert [s.actor for s in loaded.scenario.sides] == ["us", "ru"]
    assert loaded.builtins == ("us-2021", "ru-2021")
    assert loaded.scenario.treaty == "new_start"


def test_override_of_a_built_in_posture_is_merged_and_located(tmp_path):
    path = tmp_path / "ov.yaml"
    path.write_text(
        "name: ov\n"
        "sides:\n"
        "  - posture: us-2021\n"
        "    override:\n"
        "      systems:\n"
        "        - id: us_minuteman_iii\n"
        "          cep_m: 90\n"
        "  - posture: ru-2021\n"
        "    override: {alert: generated}\n"
    )
    s = load_scenario(path)
    assert s.sides[0].posture.system("us_minuteman_iii").cep_m == 90
    assert s.sides[1].posture.alert == "generated"
    path.write_text(path.read_text().replace("cep_m: 90", "cep_mm: 90"))
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    (problem,) = info.value.problems
    assert (problem.line, problem.path) == (7, "sides.0.override.systems.0.cep_mm")
    assert "did you mean 'cep_m'?" in problem.message
