"""Field paths into a scenario, with_changes, and load_scenario from text or a mapping."""

from __future__ import annotations

from pathlib import Path

import pytest

from detente.errors import ScenarioError
from detente.examples import geneva_2021
from detente.io import load_scenario, with_changes
from detente.model.paths import PathError, apply_changes, readable, resolve, split

ROOT = Path(__file__).resolve().parents[1]
GENEVA = ROOT / "examples" / "geneva-2021.yaml"


@pytest.fixture(scope="module")
def base():
    return geneva_2021()


@pytest.fixture(scope="module")
def data(base):
    return base.model_dump()


@pytest.mark.parametrize(
    ("path", "at"),
    [
        ("treaty", ("treaty",)),
        ("exchange.reserve_fraction", ("exchange", "reserve_fraction")),
        (
            "sides[us].defenses[us_gmd].interceptors",
            ("sides", 0, "posture", "defenses", 0, "interceptors"),
        ),
        ("sides[ru].posture.alert", ("sides", 1, "posture", "alert")),
        ("sides[ru].alert", ("sides", 1, "posture", "alert")),
        (
            "sides[us].factors.early_warning_satellites",
            ("sides", 0, "factors", "early_warning_satellites"),
        ),
        ("sides[1].systems[0].cep_m", ("sides", 1, "posture", "systems", 0, "cep_m")),
        ("sides.1.posture.systems.0.cep_m", ("sides", 1, "posture", "systems", 0, "cep_m")),
        (
            "sides[ru].systems[ru_bulava].alert.day_to_day",
            ("sides", 1, "posture", "systems", 8, "alert", "day_to_day"),
        ),
    ],
)
def test_resolve_names_the_model_position(data, path, at):
    assert resolve(data, path)[0] == at


@pytest.mark.parametrize(
    ("path", "words"),
    [
        (
            "sides[us].defenses[us_gmd].intercepters",
            "sides[us].defenses[us_gmd] has no field 'intercepters'; did you mean 'interceptors'?",
        ),
        ("sides[uss].defenses", "sides has no item with actor 'uss'; did you mean 'us'?"),
        (
            "sides[us].defenses[us_gdm].interceptors",
            "sides[us].defenses has no item with id 'us_gdm'; did you mean 'us_gmd'?",
        ),
        (
            "sides[us].defenses.interceptors",
            "sides[us].defenses is a list; pick an item with [id] or [position] before",
        ),
        ("treaty[0]", "treaty is not a list"),
        ("sides[us].systems[99]", "item(s); position 99 does not exist"),
        (
            "exchnage.reserve_fraction",
            "the scenario has no field 'exchnage'; did you mean 'exchange'?",
        ),
        ("sides[us]..cep_m", "cannot read the part ''"),
    ],
)
def test_a_bad_path_names_the_nearest_valid_name(data, path, words):
    with pytest.raises(PathError) as err:
        resolve(data, path)
    assert words in err.value.reason
    assert err.value.path == path


def test_split_reads_keys_and_positions():
    assert split("sides[us].systems[2].cep_m") == [
        ("sides", "us"),
        ("systems", "2"),
        ("cep_m", None),
    ]


def test_with_changes_changes_only_what_it_names(base):
    changed = with_changes(
        base,
        {
            "sides[us].defenses[us_gmd].interceptors": 500,
            "sides[ru].systems[ru_yars_mobile].alert.day_to_day": 0.3,
            "treaty": "no_treaty",
        },
    )
    assert changed.side("us").posture.defenses[0].interceptors == 500
    assert changed.side("ru").posture.system("ru_yars_mobile").alert.day_to_day == 0.3
    assert changed.treaty == "no_treaty"
    # the input is untouched, and everything not named is equal
    assert base.side("us").posture.defenses[0].interceptors == 44
    back = with_changes(
        changed,
        {
            "sides[us].defenses[us_gmd].interceptors": 44,
            "sides[ru].systems[ru_yars_mobile].alert.day_to_day": 0.15,
            "treaty": "new_start",
        },
    )
    assert back == base


def test_no_changes_is_the_same_scenario(base):
    assert with_changes(base, {}) is base
    assert apply_changes(base, {}) is base


@pytest.mark.parametrize(
    ("changes", "line"),
    [
        (
            {"sides[us].defenses[us_gmd].interceptors": -5},
            "sides[us].defenses[us_gmd].interceptors: must not be negative (got -5)",
        ),
        (
            {"sides[us].defenses[us_gmd].interceptors": 2.5},
            "sides[us].defenses[us_gmd].interceptors: expected a whole number, not a fraction "
            "(got 2.5)",
        ),
        (
            {"sides[us].defenses[us_gmd].interceptors": "500"},
            "expected a whole number, not text: write it without quotes",
        ),
        (
            {"sides[ru].systems[ru_yars_mobile].alert.day_to_day": 1.3},
            "alert.day_to_day: must be between 0 and 1 (got 1.3)",
        ),
        (
            {"sides[ru].systems[ru_yars_mobile].alert.day_to_day": 0.95},
            "sides[ru].systems[ru_yars_mobile].alert.generated: generated alert fraction is "
            "below day-to-day (0.95)",
        ),
        ({"sides[us].alert": "hot"}, "sides[us].alert: expected one of"),
    ],
)
def test_with_changes_checks_like_a_scenario_file(base, changes, line):
    with pytest.raises(ScenarioError) as err:
        with_changes(base, changes)
    assert line in str(err.value)
    assert len(err.value.problems) == 1


def test_with_changes_points_at_the_line_it_was_given(base):
    lines = {"sides[us].defenses[us_gmd].interceptors": 17}
    with pytest.raises(ScenarioError) as err:
        with_changes(
            base,
            {"sides[us].defenses[us_gmd].interceptors": -1},
            file="spec.yaml",
            line_of=lines.get,
        )
    assert (
        str(err.value)
        .splitlines()[1]
        .strip()
        .startswith("spec.yaml:17: sides[us].defenses[us_gmd].interceptors: must not be negative")
    )


def test_the_same_field_twice_is_refused(base):
    with pytest.raises(ScenarioError, match="names the same field as"):
        with_changes(base, {"sides[ru].alert": "generated", "sides[ru].posture.alert": "generated"})


def test_model_level_changes_give_the_same_scenario(base):
    changes = {"sides[us].defenses[us_gmd].interceptors": 250, "exchange.reserve_fraction": 0.2}
    assert apply_changes(base, changes) == with_changes(base, changes)


def test_readable_writes_positions_as_ids(data):
    loc = ("sides", 1, "posture", "systems", 8, "alert", "day_to_day")
    assert readable(data, loc) == "sides[ru].systems[ru_bulava].alert.day_to_day"


def test_load_scenario_from_text_and_mapping_equals_the_file():
    text = GENEVA.read_text(encoding="utf-8")
    from_file = load_scenario(GENEVA)
    assert load_scenario(text) == from_file
    import yaml

    assert load_scenario(yaml.safe_load(text)) == from_file
    assert load_scenario(str(GENEVA)) == from_file


def test_load_scenario_text_errors_name_the_line():
    text = "name: x\nsides:\n  - posture: us-2021\n  - posture: ru-2012\n"
    with pytest.raises(ScenarioError) as err:
        load_scenario(text)
    assert "<string>:4: sides.1.posture: unknown built-in posture" in str(err.value)


def test_load_scenario_mapping_errors_name_the_field():
    with pytest.raises(ScenarioError) as err:
        load_scenario(
            {
                "name": "x",
                "sides": [
                    {"posture": "us-2021", "override": {"alert": "hot"}},
                    {"posture": "ru-2021"},
                ],
            }
        )
    assert "<mapping>: sides.0.override.alert: expected one of" in str(err.value)


def test_load_scenario_refuses_other_inputs():
    with pytest.raises(
        ScenarioError, match="expected a scenario file path, YAML text or a mapping"
    ):
        load_scenario(42)  # type: ignore[arg-type]
