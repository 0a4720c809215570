"""An override item whose id matches nothing says so, with the nearest id."""

from __future__ import annotations

import pytest

from detente.errors import ScenarioError
from detente.io import load_scenario


def test_typo_in_an_override_id_points_at_the_nearest_built_in_id(tmp_path):
    path = tmp_path / "typo.yaml"
    path.write_text(
        "name: typo\n"
        "sides:\n"
        "  - posture: us-2021\n"
        "    override:\n"
        "      defenses:\n"
        "        - id: gmd\n"
        "          interceptors: 100\n"
        "  - posture: ru-2021\n",
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    problems = info.value.problems
    assert problems
    for p in problems:
        assert p.line == 6
        assert p.path.startswith("sides.0.override.defenses.0")
        assert "did you mean 'us_gmd'?" in p.message


def test_a_genuinely_new_item_is_still_accepted(tmp_path):
    path = tmp_path / "new.yaml"
    path.write_text(
        "name: new_layer\n"
        "sides:\n"
        "  - posture: us-2021\n"
        "    override:\n"
        "      defenses:\n"
        "        - id: us_extra_area\n"
        "          kind: area\n"
        "          interceptors: 20\n"
        "          pk: {ballistic_rv: 0.5}\n"
        "  - posture: ru-2021\n",
        encoding="utf-8",
    )
    scenario = load_scenario(path)
    assert scenario.side("us").posture.defenses[-1].id == "us_extra_area"
