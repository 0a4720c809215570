"""Cross-field checks that keep degenerate postures from giving confident verdicts."""

from __future__ import annotations

import pytest

from detente.errors import ScenarioError
from detente.examples import toy_posture
from detente.model.checks import check_posture, check_value_class
from detente.model.scenario import StabilitySettings


def test_a_posture_needs_exactly_one_value_class():
    p = toy_posture("a")
    no_value = p.model_copy(update={"targets": tuple(t for t in p.targets if t.kind != "value")})
    problems = check_value_class(no_value)
    assert [x.path for x in problems] == ["targets"]
    two = p.model_copy(
        update={"targets": (*p.targets, p.targets[-1].model_copy(update={"id": "v2"}))}
    )
    assert [x.path for x in check_value_class(two)] == [f"targets.{len(p.targets)}.kind"]
    with pytest.raises(ScenarioError):
        check_posture(no_value, strict=True)


def test_no_system_may_live_in_the_value_class():
    p = toy_posture("a")
    moved = p.model_copy(
        update={"systems": (p.systems[0].model_copy(update={"home_target": "value"}),)}
    )
    assert [x.path for x in check_value_class(moved)] == ["systems.0.home_target"]
    assert check_value_class(p) == []


def test_unacceptable_damage_must_be_positive():
    with pytest.raises(ValueError, match="greater than 0"):
        StabilitySettings(unacceptable_damage=0.0)
