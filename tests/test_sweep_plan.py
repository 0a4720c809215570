"""Sweep plans: designs, chunks, variants in one batch, multipliers and the draws hook."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from detente.analysis.evaluate import evaluate
from detente.analysis.experiments import Experiments
from detente.analysis.sweep import SweepPlan, run_sweep
from detente.analysis.sweep_tidy import tidy_outcomes
from detente.analysis.variants import Variant, evaluate_variants
from detente.errors import InvalidArgumentError, ScenarioError
from detente.examples import geneva_2021, toy_dyad
from detente.model.paths import apply_changes
from detente.model.sweep import Keep, SweepSpec

DEFS = ("first_strike", "second_strike")
KEEP = {"definitions": list(DEFS), "readings": ["full"], "alert_cases": "own"}


@pytest.fixture(scope="module")
def toy():
    return toy_dyad(interceptors=100, slbms=40, launch_on_warning=True)


def spec(**fields) -> SweepSpec:
    base = {"name": "t", "scenario": "inline", "keep": KEEP}
    return SweepSpec.model_validate({**base, **fields})


INTERCEPTORS = {
    "name": "bmd",
    "path": "sides[a].defenses[area_bmd].interceptors",
    "values": [0, 100, 400],
}
AT_SEA = {"name": "sea", "path": "sides[b].systems[slbm].alert.day_to_day", "values": [0.2, 0.6]}


def test_grid_points_run_last_lever_fastest(toy):
    plan = SweepPlan.build(spec(levers=[INTERCEPTORS, AT_SEA]), toy, chunk_size=4)
    assert plan.points == 6
    assert plan.n_chunks == 2
    first, second = plan.chunk(0), plan.chunk(1)
    assert first.values == {"bmd": [0, 0, 100, 100], "sea": [0.2, 0.6, 0.2, 0.6]}
    assert second.values == {"bmd": [400, 400], "sea": [0.2, 0.6]}
    assert (first.first, second.first) == (0, 4)
    with pytest.raises(IndexError):
        plan.chunk(2)


def test_a_range_on_a_whole_number_field_gives_whole_numbers(toy):
    lever = {
        "name": "bmd",
        "path": "sides[a].defenses[area_bmd].interceptors",
        "range": {"low": 0, "high": 10, "steps": 4},
    }
    plan = SweepPlan.build(spec(levers=[lever]), toy)
    assert plan.levels["bmd"] == (0, 3, 7, 10)  # 0, 3.33, 6.67, 10 rounded
    lever = {
        "name": "sea",
        "path": "sides[b].systems[slbm].alert.day_to_day",
        "range": {"low": 0.1, "high": 0.7, "steps": 4},
    }
    plan = SweepPlan.build(spec(levers=[lever]), toy)
    np.testing.assert_allclose(plan.levels["sea"], [0.1, 0.3, 0.5, 0.7])


def test_latin_hypercube_puts_one_point_in_every_stratum(toy):
    levers = [
        {
            "name": "bmd",
            "path": "sides[a].defenses[area_bmd].interceptors",
            "range": {"low": 0, "high": 1000},
        },
        {
            "name": "sea",
            "path": "sides[b].systems[slbm].alert.day_to_day",
            "range": {"low": 0.1, "high": 0.7},
        },
        {"name": "lo", "path": "sides[b].launch_on_warning.enabled", "values": [True, False]},
    ]
    n = 20
    plan = SweepPlan.build(spec(design="latin_hypercube", samples=n, seed=7, levers=levers), toy)
    sample = plan.sample
    assert sample is not None
    sea = np.asarray(sample["sea"])
    strata = np.floor((sea - 0.1) / 0.6 * n).astype(int)
    assert sorted(strata) == list(range(n))  # the defining property of a Latin hypercube
    assert all(isinstance(v, int) for v in sample["bmd"])  # a count: rounded
    assert sample["lo"].count(True) == sample["lo"].count(False) == n // 2
    again = SweepPlan.build(spec(design="latin_hypercube", samples=n, seed=7, levers=levers), toy)
    assert again.sample == sample
    other = SweepPlan.build(spec(design="latin_hypercube", samples=n, seed=8, levers=levers), toy)
    assert other.sample != sample


def test_cases_design_takes_the_listed_points(toy):
    cases = [{"bmd": 0, "sea": 0.2}, {"bmd": 400, "sea": 0.6}]
    plan = SweepPlan.build(spec(design="cases", cases=cases, levers=[INTERCEPTORS, AT_SEA]), toy)
    assert plan.points == 2
    assert plan.chunk(0).values == {"bmd": [0, 400], "sea": [0.2, 0.6]}
    bad = [{"bmd": 0}]
    with pytest.raises(InvalidArgumentError, match="missing"):
        SweepPlan.build(spec(design="cases", cases=bad, levers=[INTERCEPTORS, AT_SEA]), toy)


def _per_point(plan: SweepPlan, toy) -> pd.DataFrame:
    """The reference: one evaluate call per point on a scenario changed by hand."""
    frames = []
    for p in range(plan.points):
        values = plan.chunk(p // plan.chunk_points).values
        k = p % plan.chunk_points
        changes, mults = plan.point_changes({n: v[k] for n, v in values.items()})
        scenario = apply_changes(toy, changes)
        out = evaluate(scenario, Experiments.from_mapping(mults), outcomes=plan.outcomes)
        frames.append(tidy_outcomes(out.outcomes, np.asarray([p]), plan.spec.keep))
    return _canon(pd.concat(frames, ignore_index=True))


def _canon(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.astype(dict.fromkeys(("definition", "reading", "case", "side", "quantity"), str))
    keys = ["experiment", "definition", "reading", "case", "side", "quantity"]
    return frame.sort_values(keys).reset_index(drop=True)


def test_a_sweep_equals_one_evaluation_per_point_bit_for_bit(toy):
    plan = SweepPlan.build(spec(levers=[INTERCEPTORS, AT_SEA]), toy, chunk_size=4)
    swept = run_sweep(plan)
    pd.testing.assert_frame_equal(_canon(swept.outcomes), _per_point(plan, toy), check_exact=True)
    assert list(swept.experiments["experiment"]) == list(range(6))
    inputs = [json.loads(t) for t in swept.experiments["inputs"]]
    assert inputs[3] == {"bmd": 100, "sea": 0.6}


def test_levers_of_another_structure_are_batched_apart_and_still_equal(toy):
    cep = {"name": "cep", "path": "sides[a].systems[icbm].cep_m", "values": [100.0, 300.0]}
    plan = SweepPlan.build(spec(levers=[cep, AT_SEA]), toy)
    changes = [
        plan.point_changes({"cep": c, "sea": s})[0] for c in (100.0, 300.0) for s in (0.2, 0.6)
    ]
    variants = [Variant(apply_changes(toy, ch), Experiments.baseline()) for ch in changes]
    groups = evaluate_variants(variants, plan.outcomes)
    assert sorted(m for m, _ in groups) == [[0, 1], [2, 3]]  # one batch per CEP
    pd.testing.assert_frame_equal(
        _canon(run_sweep(plan).outcomes), _per_point(plan, toy), check_exact=True
    )


def test_results_do_not_depend_on_the_chunk_size(toy):
    a = run_sweep(SweepPlan.build(spec(levers=[INTERCEPTORS, AT_SEA]), toy, chunk_size=1))
    b = run_sweep(SweepPlan.build(spec(levers=[INTERCEPTORS, AT_SEA]), toy, chunk_size=5))
    pd.testing.assert_frame_equal(_canon(a.outcomes), _canon(b.outcomes), check_exact=True)
    pd.testing.assert_frame_equal(a.experiments, b.experiments, check_exact=True)


def test_a_multiplier_lever_is_an_experiment_column(toy):
    lever = {"name": "cep", "multiplier": "a.cep", "values": [0.5, 2.0]}
    plan = SweepPlan.build(spec(levers=[lever]), toy)
    swept = _canon(run_sweep(plan).outcomes)
    out = evaluate(toy, Experiments.from_mapping({"a.cep": [0.5, 2.0]}), outcomes=plan.outcomes)
    direct = _canon(tidy_outcomes(out.outcomes, np.arange(2), plan.spec.keep))
    pd.testing.assert_frame_equal(swept, direct, check_exact=True)
    with pytest.raises(InvalidArgumentError, match=r"unknown parameter 'z\.cep'"):
        SweepPlan.build(spec(levers=[{**lever, "multiplier": "z.cep"}]), toy)


def test_an_options_lever_applies_each_set_of_changes(toy):
    lever = {
        "name": "posture",
        "options": {
            "as_is": {},
            "generated": {"sides[a].alert": "generated", "sides[b].alert": "generated"},
        },
    }
    plan = SweepPlan.build(spec(levers=[lever]), toy)
    frame = run_sweep(plan).outcomes
    cases = frame.groupby("experiment")["case"].apply(lambda c: sorted(set(map(str, c))))
    assert cases[0] == ["a:day_to_day/b:day_to_day", "a:day_to_day/b:day_to_day/ride_out"]
    assert cases[1] == ["a:generated/b:generated", "a:generated/b:generated/ride_out"]


def _cep_sampler(scenario, n, rng):
    """A test sampler: the attacker's CEP multiplier, uniform on [0.8, 1.2]."""
    return Experiments.from_mapping({"a.cep": rng.uniform(0.8, 1.2, n)})


def test_draws_per_point_are_seeded_by_point_not_by_chunk(toy):
    levers = [INTERCEPTORS]
    one = SweepPlan.build(spec(levers=levers, draws=3, seed=11), toy, chunk_size=3)
    many = SweepPlan.build(spec(levers=levers, draws=3, seed=11), toy, chunk_size=9)
    assert (one.n_chunks, many.n_chunks) == (3, 1)
    a = run_sweep(one, sampler=_cep_sampler)
    b = run_sweep(many, sampler=_cep_sampler)
    pd.testing.assert_frame_equal(_canon(a.outcomes), _canon(b.outcomes), check_exact=True)
    pd.testing.assert_frame_equal(a.experiments, b.experiments, check_exact=True)
    assert list(a.experiments["point"]) == [0, 0, 0, 1, 1, 1, 2, 2, 2]
    assert list(a.experiments["draw"]) == [0, 1, 2] * 3
    drawn = [json.loads(t)["a.cep"] for t in a.experiments["inputs"]]
    expected = np.random.default_rng(np.random.SeedSequence([11, 1])).uniform(0.8, 1.2, 3)
    np.testing.assert_array_equal(drawn[3:6], expected)


def test_without_a_sampler_a_point_draws_its_uncertain_parameters_except_those_a_lever_set():
    scenario = geneva_2021()
    lever = {
        "name": "sea",
        "path": "sides[ru].systems[ru_bulava].alert.day_to_day",
        "values": [0.15, 0.5],
    }
    plan = SweepPlan.build(spec(levers=[lever], draws=3, seed=5), scenario)
    result = run_sweep(plan)
    inputs = [json.loads(t) for t in result.experiments["inputs"]]
    name = "ru.systems[ru_bulava].alert.day_to_day"
    shipped, moved = inputs[:3], inputs[3:]
    # at the shipped value the share is drawn from its cited range; where the lever
    # moved it, it is held at the lever's value instead of being drawn back
    assert len({row[name] for row in shipped}) == 3
    assert all(0.1 <= row[name] <= 0.8 for row in shipped)
    assert all(name not in row for row in moved)
    assert all("ru.systems[ru_sineva].cep_m" in row for row in inputs)
    firsts = result.outcomes.query("definition == 'first_strike'")
    assert firsts["value"].nunique() > 2


def test_a_bad_point_is_an_error_naming_the_path(toy):
    lever = {"name": "bmd", "path": "sides[a].defenses[area_bmd].interceptors", "values": [-3]}
    plan = SweepPlan.build(spec(levers=[lever]), toy)
    with pytest.raises(ScenarioError, match=r"sides\[a\].defenses\[area_bmd\].interceptors"):
        run_sweep(plan)


def test_tidy_rows_hold_values_parts_details_and_flows(toy):
    plan = SweepPlan.build(spec(levers=[INTERCEPTORS]), toy)
    frame = run_sweep(plan).outcomes
    one = frame[(frame["experiment"] == 0) & (frame["definition"] == "first_strike")]
    one = one[one["case"].astype(str) == "a:day_to_day/b:day_to_day"]
    parts = set(zip(one["side"].astype(str), one["quantity"].astype(str), strict=True))
    assert {("combined", "value"), ("a", "value"), ("b", "value"), ("a", "cost_first")} <= parts
    # point 0 has bmd = 0, not the toy as written (100 interceptors)
    zero = apply_changes(toy, {"sides[a].defenses[area_bmd].interceptors": 0})
    out = evaluate(zero, outcomes=plan.outcomes).outcomes
    key = next(k for k in out.definitions if k[0] == "first_strike" and not k[2].ride_out)
    combined = one[one["side"] == "combined"]["value"].iloc[0]
    assert combined == out.definitions[key].value[0]
    strikes = frame[frame["definition"] == "strike"]
    assert set(strikes["side"].astype(str)) == {"a>b", "b>a"}
    lean = run_sweep(
        SweepPlan.build(
            spec(
                levers=[INTERCEPTORS],
                keep={**KEEP, "components": False, "details": False, "flows": False},
            ),
            toy,
        )
    ).outcomes
    assert set(lean["side"].astype(str)) == {"combined"}
    assert Keep().details and Keep().flows
