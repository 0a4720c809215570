"""Weapon-target assignment: brute force, hand cases, heuristic quality, validation."""

import itertools

import numpy as np
import pytest
from numpy.testing import assert_allclose

from detente.engine.allocation import WTAInputError, solve_wta, surviving_value


def _value(p, v, assignment):
    """Surviving value recomputed here, weapon by weapon."""
    q = np.ones(len(v))
    for i, j in enumerate(assignment):
        if j >= 0:
            q[j] *= 1.0 - p[i, j]
    return float(np.dot(v, q))


def _brute_force(p, v):
    # Enumerating full assignments suffices: adding a weapon multiplies a survival by (1 - p) <= 1.
    best = np.inf
    for combo in itertools.product(range(p.shape[1]), repeat=p.shape[0]):
        best = min(best, _value(p, v, combo))
    return best


def _random_instance(seed, n_weapons, n_targets, low=0.0, high=1.0):
    rng = np.random.default_rng(seed)
    p = rng.uniform(low, high, (n_weapons, n_targets))
    p[rng.random(p.shape) < 0.15] = 0.0
    return p, rng.uniform(1.0, 100.0, n_targets)


@pytest.mark.reference
def test_hand_case_two_weapons_stack_on_the_big_target():
    # Both on target 0: 10 * 0.25 + 1 = 3.5; split: 10 * 0.5 + 0.8 = 5.8.
    for method in ("greedy", "local_search", "exact"):
        sol = solve_wta([[0.5, 0.2], [0.5, 0.2]], [10.0, 1.0], method=method)
        assert sol.assignment.tolist() == [0, 0]
        assert_allclose(sol.surviving_value, 3.5, rtol=1e-12)


@pytest.mark.parametrize("method", ["greedy", "local_search", "exact"])
@pytest.mark.parametrize("seed", range(4))
def test_reported_value_matches_independent_recomputation(method, seed):
    p, v = _random_instance(seed, 9, 7)
    sol = solve_wta(p, v, method=method)
    assert_allclose(sol.surviving_value, _value(p, v, sol.assignment), rtol=1e-12)
    assert sol.assignment.shape == (9,)
    assert sol.assignment.min() >= -1 and sol.assignment.max() < 7


@pytest.mark.parametrize(
    ("seed", "n_weapons", "n_targets"),
    [
        (s, w, t)
        for s, (w, t) in enumerate([(3, 3), (4, 5), (5, 4), (6, 3), (6, 6), (7, 4), (8, 3)])
    ],
)
def test_exact_equals_brute_force(seed, n_weapons, n_targets):
    p, v = _random_instance(100 + seed, n_weapons, n_targets)
    best = _brute_force(p, v)
    sol = solve_wta(p, v, method="exact")
    assert sol.status == "optimal"
    assert_allclose(sol.surviving_value, best, rtol=1e-6)
    assert sol.lower_bound is not None and sol.lower_bound <= best * (1 + 1e-7)
    assert sol.gap is not None and sol.gap <= 1e-6


def test_exact_handles_certain_kills():
    p = np.array([[1.0, 0.3], [0.4, 1.0], [0.5, 0.5]])
    v = np.array([5.0, 7.0])
    sol = solve_wta(p, v, method="exact")
    assert_allclose(sol.surviving_value, 0.0, atol=1e-9)


def test_fast_is_close_to_highs_on_random_instances():
    gaps = []
    for seed in range(12):
        n = (10, 20, 30)[seed % 3]
        p, v = _random_instance(200 + seed, n, n, 0.1, 0.9)
        exact = solve_wta(p, v, method="exact", time_limit_s=60)
        fast = solve_wta(p, v, method="local_search")
        assert fast.surviving_value >= exact.lower_bound * (1 - 1e-7)
        gaps.append((fast.surviving_value - exact.surviving_value) / exact.surviving_value)
    assert np.mean(gaps) <= 0.005, gaps
    assert np.max(gaps) <= 0.03, gaps


@pytest.mark.parametrize("seed", range(3))
def test_greedy_optimal_with_identical_weapons(seed):
    # den Broeder, Ellison & Emerling (1959): MMR is optimal when all weapons are alike.
    rng = np.random.default_rng(300 + seed)
    n_weapons, n_targets = 12, 6
    p = np.tile(rng.uniform(0.2, 0.9, n_targets), (n_weapons, 1))
    v = rng.uniform(1.0, 100.0, n_targets)
    exact = solve_wta(p, v, method="exact")
    greedy = solve_wta(p, v, method="greedy")
    assert exact.status == "optimal"
    assert_allclose(greedy.surviving_value, exact.surviving_value, rtol=1e-9)


def test_useless_weapons_stay_unassigned():
    p = np.array([[0.0, 0.0], [0.6, 0.1]])
    sol = solve_wta(p, [3.0, 4.0])
    assert sol.assignment.tolist() == [-1, 0]


def test_large_fast_instance_completes():
    rng = np.random.default_rng(7)
    p, v = rng.uniform(0.0, 1.0, (200, 200)), rng.uniform(1.0, 100.0, 200)
    sol = solve_wta(p, v, method="local_search")
    assert (sol.assignment >= 0).all() and sol.assignment.max() < 200
    assert_allclose(sol.surviving_value, _value(p, v, sol.assignment), rtol=1e-10)
    assert sol.surviving_value <= solve_wta(p, v, method="greedy").surviving_value


def test_time_limit_returns_incumbent_with_gap():
    p, v = _random_instance(5, 40, 40, 0.1, 0.9)
    sol = solve_wta(p, v, method="exact", time_limit_s=0.05)
    assert sol.status in {"time_limit", "optimal"}
    # a bound is either proven (finite, with its gap) or absent, never -inf / inf
    if sol.lower_bound is None:
        assert sol.gap is None and sol.status == "time_limit"
    else:
        assert np.isfinite(sol.lower_bound) and sol.gap is not None and np.isfinite(sol.gap)
    assert_allclose(sol.surviving_value, _value(p, v, sol.assignment), rtol=1e-12)


def test_exact_respects_its_time_limit_on_a_hard_instance():
    # 150 x 150 is far beyond what HiGHS proves in a second; the call must still
    # return close to its budget (slack for one last solver step and the recount)
    p, v = _random_instance(11, 150, 150, 0.6, 0.9)
    sol = solve_wta(p, v, method="exact", time_limit_s=1.0)
    assert sol.status == "time_limit"
    assert sol.seconds < 1.0 + 3.0


@pytest.mark.parametrize(
    ("kill_prob", "values", "match"),
    [
        ([0.5, 0.5], [1.0, 1.0], "2-D"),
        ([[0.5, 0.5]], [1.0], "one value per target"),
        ([[1.5, 0.5]], [1.0, 1.0], r"\[0, 1\]"),
        ([[0.5, np.nan]], [1.0, 1.0], "finite"),
        ([[0.5, 0.5]], [1.0, -2.0], ">= 0"),
    ],
)
def test_invalid_input_raises(kill_prob, values, match):
    with pytest.raises(WTAInputError, match=match):
        solve_wta(kill_prob, values)


def test_unknown_method_and_surviving_value_helper():
    with pytest.raises(WTAInputError, match="method"):
        solve_wta([[0.5]], [1.0], method="magic")  # type: ignore[arg-type]
    assert_allclose(surviving_value([[0.5, 0.2]], [10.0, 1.0], [1]), 10.8)


@pytest.mark.parametrize("shape", [(0, 3), (3, 0), (0, 0)])
@pytest.mark.parametrize("method", ["greedy", "local_search", "exact"])
def test_empty_problems_are_solved_not_refused(shape, method):
    values = np.arange(1.0, shape[1] + 1.0)
    sol = solve_wta(np.zeros(shape), values, method=method)
    assert sol.assignment.tolist() == [-1] * shape[0]
    assert sol.surviving_value == pytest.approx(values.sum())
