"""The evaluate seam: rows aligned, independent of chunking and executor, N sides."""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import numpy as np
import pytest

from detente.analysis.assess import assess
from detente.analysis.batch import BATCH_DEFINITIONS
from detente.analysis.evaluate import TAIL_SPLIT, _chunks, evaluate
from detente.analysis.executors import ProcessExecutor, SerialExecutor, allocator_tuned
from detente.analysis.experiments import Experiments, OutcomeSpec
from detente.analysis.outcomes import STRIKE_FIELDS
from detente.engine.exchange import directions, run_exchange
from detente.errors import InvalidArgumentError
from detente.examples import geneva_2021, toy_dyad
from detente.io import load_scenario
from detente.model.cases import AlertCase
from detente.model.perspective import FULL

HERE = Path(__file__).parent
THREE = HERE / "scenarios" / "valid" / "three-sides-override.yaml"
ONE_CASE = OutcomeSpec(definitions=BATCH_DEFINITIONS, perspectives=(FULL,), alert_cases="own")


def _draws(n: int, seed: int = 20210616) -> Experiments:
    rng = np.random.default_rng(seed)
    return Experiments.from_mapping(
        {
            "us.cep": rng.uniform(0.7, 1.3, n),
            "ru.cep": rng.uniform(0.7, 1.3, n),
            "us.reliability": rng.uniform(0.85, 1.1, n),
            "ru.interceptor_pk": rng.uniform(0.5, 1.5, n),
        }
    )


def _columns(results):
    return results.outcomes.columns()


def _tuned(_: int) -> bool:
    return allocator_tuned()


def test_serial_and_process_pool_agree_bit_for_bit_on_1000_draws():
    scenario, draws = geneva_2021(), _draws(1000)
    serial = evaluate(scenario, draws, outcomes=ONE_CASE, executor=SerialExecutor())
    with ProcessExecutor(workers=2) as pool:
        parallel = evaluate(scenario, draws, outcomes=ONE_CASE, executor=pool, chunk_size=128)
    a, b = _columns(serial), _columns(parallel)
    assert a.keys() == b.keys() and len(a) > 20
    for key in a:
        assert np.array_equal(a[key], b[key]), key


@pytest.mark.skipif(sys.platform != "linux", reason="glibc's mallopt")
def test_worker_processes_start_with_the_allocator_settings():
    # each worker ran tune_allocator as its initializer (the test process may or may not
    # have: the command-line tests run the detente command's entry point in-process)
    with ProcessExecutor(workers=1) as pool:
        assert pool.map(_tuned, [0]) == [True]


@pytest.mark.parametrize("chunk_size", [1, 7, 250])
def test_results_do_not_depend_on_the_chunk_size(chunk_size):
    scenario, draws = geneva_2021(), _draws(60, seed=3)
    whole = _columns(evaluate(scenario, draws, outcomes=ONE_CASE, chunk_size=1000))
    cut = _columns(evaluate(scenario, draws, outcomes=ONE_CASE, chunk_size=chunk_size))
    for key in whole:
        assert np.array_equal(whole[key], cut[key]), key


@pytest.mark.parametrize(
    ("n", "per_chunk", "workers"),
    [(100_000, 5_000, 2), (100_000, 5_000, 1), (7, 3, 2), (10_001, 5_000, 2), (9, 4, 8)],
)
def test_chunks_cover_every_experiment_once_and_taper_for_several_workers(n, per_chunk, workers):
    bounds = _chunks(n, per_chunk, workers)
    assert bounds[0][0] == 0 and bounds[-1][1] == n
    assert all(hi > lo for lo, hi in bounds)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(bounds))
    sizes = [hi - lo for lo, hi in bounds]
    assert max(sizes) <= per_chunk
    # the last `workers` chunks' worth of experiments comes in pieces a quarter the size
    head = n - (min(n, workers * per_chunk) if workers > 1 else 0)
    small = max(1, per_chunk // TAIL_SPLIT)
    assert all(hi <= head or (lo >= head and hi - lo <= small) for lo, hi in bounds)


def test_the_100000_draw_run_on_two_workers_ends_in_small_chunks():
    sizes = [hi - lo for lo, hi in _chunks(100_000, 5_000, 2)]
    assert sizes == [5_000] * 18 + [1_250] * 8
    assert [hi - lo for lo, hi in _chunks(100_000, 5_000, 1)] == [5_000] * 20


class _TwoWorkersInOneProcess(SerialExecutor):
    workers = 2


def test_results_do_not_depend_on_the_tapered_tail():
    scenario, draws = geneva_2021(), _draws(60, seed=5)
    whole = _columns(evaluate(scenario, draws, outcomes=ONE_CASE, chunk_size=1000))
    seen: list[int] = []
    tapered = evaluate(
        scenario,
        draws,
        outcomes=ONE_CASE,
        chunk_size=16,
        executor=_TwoWorkersInOneProcess(),
        progress=lambda done, total: seen.append(total),
    )
    assert seen[-1] == 2 + 8  # 28 draws in chunks of 16, then 32 in pieces of 4
    cut = _columns(tapered)
    for key in whole:
        assert np.array_equal(whole[key], cut[key]), key


def test_row_i_of_a_batch_equals_experiment_i_alone():
    scenario, draws = toy_dyad(icbms=150, mirv=2.0, slbms=40), _draws(5, seed=9)
    draws = Experiments.from_mapping(
        {k.replace("us.", "a.").replace("ru.", "b."): v for k, v in draws.columns.items()}
    )
    spec = OutcomeSpec()  # every definition, reading and alert case, arms race included
    batch = _columns(evaluate(scenario, draws, outcomes=spec))
    for i in range(draws.size):
        alone = _columns(evaluate(scenario, draws.take(i, i + 1), outcomes=spec))
        for key, values in alone.items():
            assert batch[key][i] == values[0], key


def test_assess_is_the_baseline_experiment():
    scenario = geneva_2021()
    a = assess(scenario)
    out = evaluate(scenario).outcomes
    for (name, persp, case), res in a.results.items():
        assert out.definitions[(name, persp, case)].value[0] == res.value


def test_unit_multipliers_change_nothing():
    scenario = geneva_2021()
    plain = _columns(evaluate(scenario, outcomes=ONE_CASE))
    ones = Experiments.from_mapping({"us.cep": [1.0, 1.0], "ru.load": [1.0, 1.0]})
    both = _columns(evaluate(scenario, ones, outcomes=ONE_CASE))
    for key, value in plain.items():
        assert np.array_equal(both[key], np.repeat(value, 2)), key


def test_unknown_parameter_names_the_nearest_one():
    with pytest.raises(InvalidArgumentError, match=r"did you mean 'ru\.cep'"):
        evaluate(geneva_2021(), Experiments.from_mapping({"ru.cpe": [1.0]}))
    with pytest.raises(InvalidArgumentError, match="finite and > 0"):
        evaluate(geneva_2021(), Experiments.from_mapping({"ru.cep": [0.0]}))


def test_a_three_sided_scenario_runs_every_ordered_pair():
    scenario = load_scenario(THREE)
    actors = [s.actor for s in scenario.sides]
    pairs = directions(actors)
    assert len(pairs) == 6
    for attacker, defender in pairs:
        outcome = run_exchange(scenario, attacker, defender)
        assert outcome.attacker == attacker and outcome.defender == defender
        assert 0.0 <= outcome.damage_to_attacker <= 1.0
    out = evaluate(scenario).outcomes
    cases = AlertCase.every(actors)
    assert len(cases) == 8
    for name in ("first_strike", "second_strike", "use_or_lose", "arms_race"):
        for case in cases:
            value = out.definitions[(name, "full", case)]
            assert set(value.components) == set(actors)
            assert 0.0 <= value.value[0] <= 1.0
    for attacker, defender in pairs:
        assert ("full", cases[0], attacker, defender) in out.strikes


def test_three_sided_values_use_the_worst_opponent():
    scenario = load_scenario(THREE)
    out = evaluate(scenario, outcomes=OutcomeSpec(definitions=("second_strike",))).outcomes
    case = AlertCase.every([s.actor for s in scenario.sides])[0]
    value = out.definitions[("second_strike", "full", case)]
    # blue's answer to each attacker, worst one taken
    for side in value.components:
        parts = [v[0] for k, v in value.details.items() if k.startswith(f"{side}.")]
        expected = min(min(1.0, p / scenario.stability.unacceptable_damage) for p in parts)
        assert value.components[side][0] == pytest.approx(expected)


def test_strikes_asked_for_alone_are_the_same_strikes_as_in_a_full_evaluation():
    scenario = load_scenario(THREE)
    a, b, c = scenario.actors
    draws = Experiments.from_mapping({f"{a}.launchers": [0.5, 1.0, 2.0], f"{b}.cep": 1.2})
    both = {"perspectives": (FULL,), "alert_cases": "own", "ride_out": (False,)}
    full = evaluate(scenario, draws, outcomes=OutcomeSpec(**both, coalitions=True)).outcomes
    wanted = (((b,), (a,)), ((b, c), (a,)))
    alone = evaluate(
        scenario, draws, outcomes=OutcomeSpec(**both, definitions=(), strikes=wanted)
    ).outcomes
    case = AlertCase(tuple((s.actor, s.posture.alert) for s in scenario.sides))
    assert list(alone.strikes) == [("full", case, b, a)] and not alone.definitions
    assert list(alone.coalitions) == [("full", case, (b, c), (a,))]
    for key, strike in alone.strikes.items():
        for name in STRIKE_FIELDS:
            assert np.array_equal(getattr(strike, name), getattr(full.strikes[key], name))
    for key, camp in alone.coalitions.items():
        for actor, damage in camp.damage.items():
            assert np.array_equal(damage, full.coalitions[key].damage[actor])


@pytest.mark.parametrize(
    ("spec", "words"),
    [
        ({"strikes": ((("us",), ("ru",)),)}, "without definitions"),
        ({"definitions": (), "strikes": ((("us",), ()),)}, "two non-empty groups"),
        ({"definitions": (), "strikes": ((("us",), ("us",)),)}, "different sides"),
    ],
)
def test_strikes_alone_are_checked(spec, words):
    with pytest.raises(InvalidArgumentError, match=words):
        OutcomeSpec(**spec)


def test_strikes_name_sides_of_the_assessment():
    spec = OutcomeSpec(definitions=(), strikes=((("us",), ("cn",)),))
    with pytest.raises(InvalidArgumentError, match="expected sides of the assessment"):
        evaluate(geneva_2021(), outcomes=spec)
