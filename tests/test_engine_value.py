"""Damage to value: the calibration, the closed form against whole warheads, and yield."""

from __future__ import annotations

import heapq

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detente.data import load_posture
from detente.engine.exchange import run_exchange_batch
from detente.engine.value_points import damage_from_area, value_curve, value_points
from detente.examples import toy_dyad
from detente.physics.blast import damage_radius_m


def _area_km2(yield_kt: float, psi: float = 7.0) -> float:
    return float(np.pi * damage_radius_m(yield_kt, psi) ** 2 / 1e6)


def _shipped_points() -> tuple[np.ndarray, np.ndarray]:
    value = next(t for t in load_posture("ru-2021").targets if t.kind == "value")
    return value_points(
        value.count, value.value_zipf_exponent, value.value_area_km2, value.value_density_exponent
    )


def _whole_warheads(n: int, area: float, shares: np.ndarray, areas: np.ndarray) -> float:
    """Greedy over whole warheads, each on the point where it destroys the most."""
    cover = np.zeros(shares.size)
    heap = [
        (-s * -np.expm1(-area / a), k) for k, (s, a) in enumerate(zip(shares, areas, strict=True))
    ]
    heapq.heapify(heap)
    total = 0.0
    for _ in range(n):
        gain, k = heapq.heappop(heap)
        total -= gain
        cover[k] += area
        left = shares[k] * np.exp(-cover[k] / areas[k])
        heapq.heappush(heap, (-left * -np.expm1(-area / areas[k]), k))
    return total


@pytest.mark.reference
def test_shipped_value_reproduces_the_enthoven_smith_anchors():
    # 100 and 200 one-megaton equivalents destroy 59% and 72% of Soviet industry
    # (Enthoven & Smith 1971, p. 207); bursts at the optimum height, 7 psi.
    curve = value_curve(*_shipped_points())
    one_mt = _area_km2(1000.0)
    got = damage_from_area(np.array([100.0, 200.0]) * one_mt, curve)
    assert got == pytest.approx([0.59, 0.72], abs=0.005)


@pytest.mark.parametrize(
    ("count", "yield_kt"),
    [(100, 1000.0), (200, 1000.0), (400, 1000.0), (500, 100.0), (1500, 100.0), (300, 455.0)],
)
def test_divisible_area_is_within_two_points_of_whole_warheads(count, yield_kt):
    shares, areas = _shipped_points()
    area = _area_km2(yield_kt)
    closed = float(damage_from_area(np.array([count * area]), value_curve(shares, areas))[0])
    whole = _whole_warheads(count, area, shares, areas)
    assert whole <= closed + 1e-9  # area split among points can only do better
    assert closed - whole < 0.02


def test_equally_dense_points_give_the_poisson_coverage_curve():
    shares, areas = value_points(50, 1.0, 1000.0, 1.0)
    lethal = np.array([0.0, 10.0, 500.0, 3000.0])
    got = damage_from_area(lethal, value_curve(shares, areas))
    assert got == pytest.approx(-np.expm1(-lethal / 1000.0), abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(
    points=st.integers(1, 400),
    zipf=st.floats(0.0, 2.0),
    density=st.floats(0.0, 1.0),
    lethal=st.lists(st.floats(0.0, 2e5), min_size=2, max_size=6),
)
def test_damage_rises_with_lethal_area_and_stays_below_one(points, zipf, density, lethal):
    curve = value_curve(*value_points(points, zipf, 30000.0, density))
    area = np.sort(np.asarray(lethal))
    got = damage_from_area(area, curve)
    assert np.all(np.diff(got) >= -1e-12)
    assert np.all((got >= 0.0) & (got <= 1.0))


def test_value_damage_rises_with_yield_at_equal_warhead_count():
    s = toy_dyad(icbms=100, mirv=3.0).with_fixed_doctrine()
    yields = np.array([0.1, 0.3, 1.0, 3.0])
    flows = run_exchange_batch(s, "a", "b", attacker_draws={"yield_kt": yields})
    arrived = flows.attacker_later_arrived.sum(axis=1)
    assert np.allclose(arrived, arrived[0])  # the same warheads arrive
    assert np.all(np.diff(flows.damage_to_defender) > 0)
