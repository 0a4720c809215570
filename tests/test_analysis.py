"""assess_draws and compare: agreement with assess, and what-if bookkeeping."""

from __future__ import annotations

import numpy as np
import pytest

from detente.analysis.assess import assess
from detente.analysis.batch import BATCH_DEFINITIONS, assess_draws
from detente.analysis.compare import changed_fields, compare
from detente.errors import IncompatibleScenariosError
from detente.examples import toy_dyad
from detente.model.scenario import Scenario


def test_unit_draws_reproduce_the_headline_assessment():
    s = toy_dyad(a={"icbms": 200, "mirv": 3.0, "cep_m": 90.0}, b={"slbms": 60, "icbms": 80})
    head = assess(s)
    frame = assess_draws(s, {"a": {"cep": np.ones(3)}})
    assert len(frame) == 3
    for name in BATCH_DEFINITIONS:
        assert frame[name].to_numpy() == pytest.approx(head.value(name).value, abs=1e-12)
        assert frame[f"{name}.a"].iloc[0] == pytest.approx(head.value(name).components["a"])


def test_draw_rows_match_one_draw_runs():
    s = toy_dyad(a={"icbms": 200, "mirv": 3.0}, b={"icbms": 150, "slbms": 40})
    cep = np.array([0.6, 1.0, 1.7])
    frame = assess_draws(s, {"a": {"cep": cep}, "b": {"reliability": [0.9, 1.0, 1.1]}})
    for i in range(3):
        one = assess_draws(
            s, {"a": {"cep": cep[i : i + 1]}, "b": {"reliability": [[0.9, 1.0, 1.1][i]]}}
        )
        assert one["first_strike"].iloc[0] == frame["first_strike"].iloc[i]


def test_better_accuracy_lowers_damage_limitation_stability():
    s = toy_dyad(a={"icbms": 200, "mirv": 3.0}, b={"icbms": 200})
    frame = assess_draws(s, {"a": {"cep": [0.5, 1.0, 2.0]}})
    assert frame["damage_limitation.a"].is_monotonic_increasing


def test_compare_reports_what_changed_and_the_deltas():
    base = toy_dyad(icbms=150, mirv=2.0)
    variant = toy_dyad(icbms=150, mirv=2.0, b={"slbms": 60, "at_sea": 0.9})
    c = compare(base, variant)
    fields = [c.path for c in c.changes]
    assert any("systems[slbm]" in f for f in fields)
    frame = c.to_frame()
    assert set(frame["perspective"]) == {"full", "us", "ru"}
    row = frame[
        (frame.definition == "first_strike")
        & (frame.perspective == "full")
        & (frame.case == "a:day_to_day/b:day_to_day")
    ].iloc[0]
    assert row["delta"] == pytest.approx(row["variant"] - row["base"])
    assert row["variant"] == pytest.approx(c.variant.value("first_strike").value)
    d = c.to_dict()
    assert set(d["headline"]) == {
        "first_strike",
        "second_strike",
        "damage_limitation",
        "use_or_lose",
        "arms_race",
    }


def test_compare_rejects_different_actors():
    other = Scenario(
        name="x",
        sides=(
            toy_dyad().sides[0],
            toy_dyad(icbms=3)
            .sides[1]
            .model_copy(
                update={"posture": toy_dyad().sides[1].posture.model_copy(update={"actor": "c"})}
            ),
        ),
    )
    with pytest.raises(IncompatibleScenariosError, match="same two actors"):
        compare(toy_dyad(), other)


def test_changed_fields_matches_lists_by_id():
    base = {"systems": [{"id": "x", "n": 1}, {"id": "y", "n": 2}]}
    variant = {"systems": [{"id": "y", "n": 3}, {"id": "x", "n": 1}, {"id": "z", "n": 0}]}
    assert changed_fields(base, variant) == [
        ("systems[y].n", 2, 3),
        ("systems[z]", None, {"id": "z", "n": 0}),
    ]


def test_assess_refuses_a_side_paired_with_itself_or_a_stranger():
    from detente.errors import InvalidArgumentError

    s = toy_dyad()
    for pair in (("a", "a"), ("a", "zz"), ("a",)):
        with pytest.raises(InvalidArgumentError, match="pair"):
            assess(s, pair=pair)
    with pytest.raises(InvalidArgumentError, match="Scenario"):
        assess("examples/geneva-2021.yaml")  # type: ignore[arg-type]


def test_results_cannot_be_edited_through_what_they_return():
    from detente.data import sources

    a = assess(toy_dyad())
    res = a.value("first_strike")
    with pytest.raises(TypeError):
        res.components["a"] = 0.0  # type: ignore[index]
    registry = sources()
    key = next(iter(registry))
    registry[key]["title"] = "changed"
    registry.pop(key)
    assert sources()[key]["title"] != "changed"


def test_unknown_names_list_the_valid_ones():
    from detente.errors import InvalidArgumentError

    a = assess(toy_dyad())
    with pytest.raises(InvalidArgumentError, match=r"mean 'first_strike'\? expected one of"):
        a.value("first_strke")
    with pytest.raises(InvalidArgumentError, match="expected one of: full, us, ru"):
        a.value("first_strike", "cn")
    with pytest.raises(InvalidArgumentError, match="alert case"):
        a.value("first_strike", "full", "a:generated/c:generated")
